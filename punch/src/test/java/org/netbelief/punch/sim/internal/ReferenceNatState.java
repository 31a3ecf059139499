package org.netbelief.punch.sim.internal;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.netbelief.punch.sim.Dependence;
import org.netbelief.punch.sim.Endpoints;
import org.netbelief.punch.sim.NatBehavior;
import org.netbelief.punch.sim.PortAllocation;

/**
 * The NAT state as it was before the small/large layout (main at 25ab1b8), kept verbatim as the
 * reference for {@link NatStateDifferentialTest}.
 *
 * <p>Original class comment:
 *
 * The translation state of one simulated NAT: its mappings and filter permissions, and the RFC
 * 4787 rules that read and change them.
 *
 * <h2>Model</h2>
 *
 * <ul>
 *   <li>A <b>mapping</b> is keyed by the internal endpoint and a <em>mapping key</em> derived from
 *       the remote endpoint: nothing for endpoint-independent mapping, the remote address for
 *       address-dependent, the remote endpoint for address-and-port-dependent. It holds the
 *       external port, a unique id and an expiry time. Every outbound packet refreshes it to
 *       {@code now + timeout}; inbound packets do only when {@code inboundRefresh} is set.
 *   <li>A <b>permission</b> is keyed by the mapping id and a <em>filter key</em> (the remote address
 *       for address-dependent filtering, the remote endpoint for address-and-port-dependent) and
 *       holds its own expiry, refreshed like the mapping. Endpoint-independent filtering keeps no
 *       permissions: a live mapping lets everything in. Keying by mapping id (never reused) means
 *       a permission can never leak to a later mapping that happens to get the same port.
 *   <li>An inbound packet needs a live mapping on its destination port and, unless filtering is
 *       endpoint-independent, a live permission for its source.
 * </ul>
 *
 * <p>Tables are {@link PairMap}s; expired entries are dropped lazily when met and by a sweep
 * whenever the live count doubles, so memory follows the live bindings, not the history.
 *
 * <p>Footprint: a simulation holds one of these per simulated home and carrier NAT (10 000 and
 * more per run, two runs at a time), and a home NAT holds a handful of mappings. The tables
 * start small (8 slots, growing by doubling), the permission table exists only when filtering
 * is not endpoint-independent, and a mapping's fields sit together in one {@code long[]}
 * stride ({@link #E_INTERNAL} ...) so a lookup touches one line for them, not one per field
 * array. About 1 KB per NAT instead of 2.2 KB.
 *
 * <p>Not thread-safe.
 */
final class ReferenceNatState {
  /** {@link #outbound} result: no external port was free. */
  public static final int PORTS_EXHAUSTED = -1;
  /** {@link #inbound} result: no mapping on that port. */
  public static final long NO_MAPPING = -1;
  /** {@link #inbound} result: the mapping exists but its binding timed out. */
  public static final long EXPIRED = -2;
  /** {@link #inbound} result: the mapping is live but the filter refused the source. */
  public static final long FILTERED = -3;

  private static final int LOW_PORT = 1024;
  private static final int PORT_SPAN = 65536 - LOW_PORT;

  private final NatBehavior behavior;
  private final long timeout;
  private final int externalAddress;
  private final SplittableRandom random;

  private static final int INITIAL_ENTRIES = 4;

  private final PairMap byInternal = new PairMap(INITIAL_ENTRIES); // (internalEp, mapKey) -> entry
  private final PairMap byPort = new PairMap(INITIAL_ENTRIES); // (extPort, 0) -> entry
  // (mappingId, filterKey) -> expiresAt; null with endpoint-independent filtering, which keeps none
  private final PairMap permissions;

  // Entry e's fields at e * E_STRIDE + E_*: the internal endpoint, the mapping key, the expiry
  // time, and the mapping id (high 48 bits) with the external port (low 16).
  private static final int E_STRIDE = 4;
  private static final int E_INTERNAL = 0;
  private static final int E_KEY = 1;
  private static final int E_EXPIRES = 2;
  private static final int E_ID_PORT = 3;
  private long[] entries = new long[INITIAL_ENTRIES * E_STRIDE];
  private int[] freeEntries = new int[INITIAL_ENTRIES];
  private int freeCount;
  private int entryCount; // high-water mark of entry slots
  private int live;
  private int sweepAt = 64;
  private int permissionSweepAt = 64;
  private long nextMappingId = 1;
  private int nextPort;
  // The mapping last found or made, for the next outbound packet of the same flow: a host
  // behind a home NAT sends most of its packets through one mapping (all of them with
  // endpoint-independent mapping), and a hit skips the byInternal probe — two dependent cache
  // misses when 10 000 NATs take turns (about 9 % of a 3 000-peer run's samples were that probe).
  // Cleared when that entry is removed and on rebind, so a hit is always the entry byInternal
  // holds for the key.
  private long lastInternal;
  private long lastKey;
  private int lastEntry = -1;

  /** Creates the state of a NAT with the given behaviour and external address. */
  ReferenceNatState(NatBehavior behavior, int externalAddress, SplittableRandom random) {
    this.behavior = behavior;
    this.timeout = behavior.bindingTimeoutNanos();
    this.externalAddress = externalAddress;
    this.random = random;
    this.nextPort = LOW_PORT + random.nextInt(PORT_SPAN);
    this.permissions = behavior.filtering() == Dependence.ENDPOINT_INDEPENDENT
        ? null : new PairMap(INITIAL_ENTRIES);
  }

  private long expiresAt(int e) {
    return entries[e * E_STRIDE + E_EXPIRES];
  }

  private void setExpiresAt(int e, long t) {
    entries[e * E_STRIDE + E_EXPIRES] = t;
  }

  private long mappingId(int e) {
    return entries[e * E_STRIDE + E_ID_PORT] >>> 16;
  }

  private int extPort(int e) {
    return (int) (entries[e * E_STRIDE + E_ID_PORT] & 0xFFFF);
  }

  /** The behaviour this NAT implements. */
  public NatBehavior behavior() {
    return behavior;
  }

  /** The NAT's address in its outer realm. */
  public int externalAddress() {
    return externalAddress;
  }

  /** Filter permissions held (an upper bound: expired ones not yet swept still count). */
  public int permissionCount() {
    return permissions == null ? 0 : permissions.size();
  }

  /** Live mappings (an upper bound: expired ones not yet met still count). */
  public int mappingCount() {
    return live;
  }

  private long mappingKey(long remote) {
    switch (behavior.mapping()) {
      case ENDPOINT_INDEPENDENT:
        return 0;
      case ADDRESS_DEPENDENT:
        return Endpoints.address(remote) & 0xFFFFFFFFL;
      default:
        return remote;
    }
  }

  private long filterKey(long remote) {
    return behavior.filtering() == Dependence.ADDRESS_DEPENDENT
        ? Endpoints.address(remote) & 0xFFFFFFFFL
        : remote;
  }

  /**
   * Translates an outbound packet from {@code internal} to {@code remote}: finds or creates the
   * mapping, refreshes it and the permission for {@code remote}.
   *
   * @return the external port, or {@link #PORTS_EXHAUSTED}
   */
  public int outbound(long internal, long remote, long now) {
    long key = mappingKey(remote);
    int e = entryFor(internal, key, now);
    if (e < 0) {
      int port = allocate(Endpoints.port(internal), now);
      if (port < 0) {
        return PORTS_EXHAUSTED;
      }
      e = newEntry(internal, key, port, now);
    }
    long until = now + timeout;
    setExpiresAt(e, until);
    if (permissions != null) {
      permissions.put(mappingId(e), filterKey(remote), until);
      if (permissions.size() >= permissionSweepAt) {
        // A peer that talks to many remotes through one mapping piles up permissions; drop the
        // expired ones whenever their number doubles (amortised O(1) per packet).
        permissions.removeValuesAtMost(now);
        permissionSweepAt = Math.max(64, permissions.size() * 2);
      }
    }
    return extPort(e);
  }

  /**
   * Filters and translates an inbound packet from {@code remote} to external port {@code port}.
   *
   * @return the internal endpoint to deliver to, or {@link #NO_MAPPING}, {@link #EXPIRED} or
   *     {@link #FILTERED}
   */
  public long inbound(long remote, int port, long now) {
    long found = byPort.get(port, 0);
    if (found == PairMap.MISSING) {
      return NO_MAPPING;
    }
    int e = (int) found;
    if (expiresAt(e) <= now) {
      removeEntry(e);
      return EXPIRED;
    }
    if (permissions != null) {
      long fk = filterKey(remote);
      long until = permissions.get(mappingId(e), fk);
      if (until == PairMap.MISSING || until <= now) {
        return FILTERED;
      }
      if (behavior.inboundRefresh()) {
        permissions.put(mappingId(e), fk, now + timeout);
      }
    }
    if (behavior.inboundRefresh()) {
      setExpiresAt(e, now + timeout);
    }
    return entries[e * E_STRIDE + E_INTERNAL];
  }

  /**
   * The true remaining lifetime of the hole that lets {@code remote} reach {@code internal}: how
   * long from {@code now} an inbound packet from {@code remote} would still pass if nothing
   * refreshed the binding; 0 when it would not pass now.
   */
  public long remainingNanos(long internal, long remote, long now) {
    long found = byInternal.get(internal, mappingKey(remote));
    if (found == PairMap.MISSING) {
      return 0;
    }
    int e = (int) found;
    long rem = expiresAt(e) - now;
    if (permissions != null) {
      long until = permissions.get(mappingId(e), filterKey(remote));
      rem = until == PairMap.MISSING ? 0 : Math.min(rem, until - now);
    }
    return Math.max(0, rem);
  }

  /**
   * The external port of the live mapping {@code internal} would use toward {@code remote}, or
   * -1 when there is none.
   */
  public int externalPort(long internal, long remote, long now) {
    long found = byInternal.get(internal, mappingKey(remote));
    if (found == PairMap.MISSING || expiresAt((int) found) <= now) {
      return -1;
    }
    return extPort((int) found);
  }

  /**
   * A rebinding: the NAT forgets every mapping and permission (a reboot, a conntrack flush). The
   * sequential and random allocators continue from a fresh random point, so later mappings get
   * new external ports; a port-preserving NAT gives the internal port again when it is free.
   */
  public void rebind() {
    lastEntry = -1;
    byInternal.clear();
    byPort.clear();
    if (permissions != null) {
      permissions.clear();
    }
    freeCount = 0;
    entryCount = 0;
    live = 0;
    nextPort = LOW_PORT + random.nextInt(PORT_SPAN);
  }

  private int entryFor(long internal, long key, long now) {
    int e = lastEntry;
    if (e < 0 || internal != lastInternal || key != lastKey) {
      long found = byInternal.get(internal, key);
      if (found == PairMap.MISSING) {
        return -1;
      }
      e = (int) found;
      remember(internal, key, e);
    }
    if (expiresAt(e) <= now) {
      removeEntry(e);
      return -1;
    }
    return e;
  }

  private int newEntry(long internal, long key, int port, long now) {
    if (live >= sweepAt) {
      sweepExpired(now);
      sweepAt = Math.max(64, live * 2);
    }
    int e;
    if (freeCount > 0) {
      e = freeEntries[--freeCount];
    } else {
      if (entryCount * E_STRIDE == entries.length) {
        entries = Arrays.copyOf(entries, entries.length * 2);
      }
      e = entryCount++;
    }
    int b = e * E_STRIDE;
    entries[b + E_INTERNAL] = internal;
    entries[b + E_KEY] = key;
    entries[b + E_ID_PORT] = nextMappingId++ << 16 | port;
    byInternal.put(internal, key, e);
    byPort.put(port, 0, e);
    live++;
    remember(internal, key, e);
    return e;
  }

  private void remember(long internal, long key, int e) {
    lastInternal = internal;
    lastKey = key;
    lastEntry = e;
  }

  private void removeEntry(int e) {
    if (e == lastEntry) {
      lastEntry = -1;
    }
    int b = e * E_STRIDE;
    byInternal.remove(entries[b + E_INTERNAL], entries[b + E_KEY]);
    byPort.remove(extPort(e), 0);
    entries[b + E_EXPIRES] = Long.MIN_VALUE;
    if (freeCount == freeEntries.length) {
      freeEntries = Arrays.copyOf(freeEntries, freeEntries.length * 2);
    }
    freeEntries[freeCount++] = e;
    live--;
  }

  private void sweepExpired(long now) {
    for (int e = 0; e < entryCount; e++) {
      long t = expiresAt(e);
      if (t != Long.MIN_VALUE && t <= now) {
        removeEntry(e);
      }
    }
    if (permissions != null) {
      permissions.removeValuesAtMost(now);
    }
  }

  /** True when {@code port} is held by a live mapping; reclaims it when its mapping expired. */
  private boolean portInUse(int port, long now) {
    long found = byPort.get(port, 0);
    if (found == PairMap.MISSING) {
      return false;
    }
    int e = (int) found;
    if (expiresAt(e) <= now) {
      removeEntry(e);
      return false;
    }
    return true;
  }

  private int allocate(int internalPort, long now) {
    PortAllocation p = behavior.portAllocation();
    if (p == PortAllocation.PRESERVING && internalPort > 0 && !portInUse(internalPort, now)) {
      return internalPort;
    }
    if (p == PortAllocation.RANDOM) {
      for (int tries = 0; tries < 32; tries++) {
        int port = LOW_PORT + random.nextInt(PORT_SPAN);
        if (!portInUse(port, now)) {
          return port;
        }
      }
    }
    for (int tries = 0; tries < PORT_SPAN; tries++) {
      int port = nextPort;
      nextPort = port == 65535 ? LOW_PORT : port + 1;
      if (!portInUse(port, now)) {
        return port;
      }
    }
    return PORTS_EXHAUSTED;
  }
}

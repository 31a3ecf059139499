package org.netbelief.punch.sim.internal;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.netbelief.punch.sim.Dependence;
import org.netbelief.punch.sim.Endpoints;
import org.netbelief.punch.sim.NatBehavior;
import org.netbelief.punch.sim.PortAllocation;

/**
 * The translation state of one simulated NAT: its mappings and filter permissions, and the RFC
 * 4787 rules that read and change them.
 *
 * <h2>Model</h2>
 *
 * <ul>
 *   <li>A <b>mapping</b> is keyed by the internal endpoint and a <em>mapping key</em> derived from
 *       the remote endpoint: nothing for endpoint-independent mapping, the remote address for
 *       address-dependent, the remote endpoint for address-and-port-dependent. It holds the
 *       external port and an expiry time. Every outbound packet refreshes it to
 *       {@code now + timeout}; inbound packets do only when {@code inboundRefresh} is set.
 *   <li>A <b>permission</b> belongs to one mapping and is keyed by a <em>filter key</em> (the
 *       remote address for address-dependent filtering, the remote endpoint for
 *       address-and-port-dependent) and holds its own expiry, refreshed like the mapping.
 *       Endpoint-independent filtering keeps no permissions: a live mapping lets everything in.
 *       A permission never leaks to a later mapping that happens to get the same port: it stays
 *       with the mapping it was made for, dead once that mapping is gone.
 *   <li>An inbound packet needs a live mapping on its destination port and, unless filtering is
 *       endpoint-independent, a live permission for its source.
 * </ul>
 *
 * <p>Expired mappings are dropped lazily, when met (an inbound packet on their port, an outbound
 * packet of their flow, a port allocation probing their port), and by a sweep whenever the live
 * count doubles; expired permissions only by the sweeps (of the mappings, and of the permissions
 * whenever their number doubles), so memory follows the live bindings, not the history.
 *
 * <h2>Layout: small and large</h2>
 *
 * A simulation holds one of these per home and carrier NAT (10 000 and more per run), takes
 * turns among them packet by packet, so the cost of a packet through a NAT is its cache misses:
 * each distinct object or far-apart line it touches is a miss. Nearly every NAT is a home NAT
 * with one to a few mappings and a handful of permissions, so a NAT starts <em>small</em>: all
 * its mappings and permissions sit in ONE {@code long[]} ({@code t}), the mappings first
 * ({@code M_STRIDE} words each) and the permissions right after ({@code P_STRIDE} words each),
 * scanned linearly: a packet touches this object and a few adjacent lines of that array,
 * against about seven scattered lines with three hash tables (the hash maps' objects and arrays,
 * the entry array, the behaviour record) — {@code PairMap.get} and {@code put} from here were 13 %
 * of a 10 000-peer run's samples. The behaviour's fields a packet needs are copied into this
 * object, so the {@link NatBehavior} is not read per packet.
 *
 * <p>A NAT that outgrows the small layout ({@code SMALL_MAPPINGS} mappings or
 * {@code SMALL_PERMISSIONS} permissions: a carrier-grade NAT, a symmetric NAT talking to many
 * remotes) moves for good (until a {@link #rebind}) to the <em>large</em> layout, {@code Large}:
 * hash tables ({@link PairMap}s) keyed by internal endpoint and mapping key, by port, and by
 * mapping id and filter key. Both layouts hold the same sets and apply the same rules, so which
 * one a NAT uses never changes a result: the ports allocated (and so the random draws), the
 * lazy expiries and the sweeps' timing are the same.
 *
 * <p>Not thread-safe.
 */
public final class NatState {
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

  // Mapping and filtering modes, copied from the behaviour (no NatBehavior read per packet).
  private static final int EI = 0;
  private static final int AD = 1;
  private static final int APD = 2;

  // Both below 64, the least sweep threshold: no sweep is ever due in the small layout.
  /** Most mappings the small layout holds; at most 31 (one bit each in {@code used}). */
  static final int SMALL_MAPPINGS = 16;
  /** Most permissions the small layout holds. */
  static final int SMALL_PERMISSIONS = 24;

  // Small layout. Mapping slot s at s * M_STRIDE: the internal endpoint (48 bits) shifted over
  // the external port (16), the mapping key, the expiry time. Permission i at
  // pBase + i * P_STRIDE: the owning mapping's slot + 1 (0 once that mapping is gone) in the top
  // 16 bits over the filter key (48 bits), then the expiry time. Endpoints are 48 bits, so this
  // packing is exact; a call with a wider value moves the NAT to the large layout.
  private static final int M_STRIDE = 3;
  private static final int M_EP_PORT = 0;
  private static final int M_KEY = 1;
  private static final int M_EXPIRES = 2;
  private static final int P_STRIDE = 2;
  private static final long LOW48 = (1L << 48) - 1;
  private static final int INITIAL_MAPPING_SLOTS = 2;
  private static final int INITIAL_PERMISSION_SLOTS = 6;

  // Hot fields first (read per packet).
  private long[] t;
  private final long timeout;
  private int used; // bit s: mapping slot s holds a mapping (small layout)
  private int permCount; // permissions in t (small layout), dead ones included
  private int pBase; // index of the first permission in t: mapping slots * M_STRIDE
  private final int mappingMode;
  private final int filteringMode;
  private final boolean inboundRefresh;
  private final boolean hairpinning;
  // The mapping last found or made, for the next outbound packet of the same flow: a host
  // behind a home NAT sends most of its packets through one mapping (all of them with
  // endpoint-independent mapping), and a hit skips the lookup. A slot of t in the small layout,
  // an entry of the large one; cleared when that mapping is removed, on rebind and when the
  // layout changes, so a hit is always the mapping the tables hold for the key.
  private long lastInternal;
  private long lastKey;
  private int lastEntry = -1;
  private int live; // mappings held (expired ones not yet met included)
  private Large large; // null in the small layout

  // Cold fields.
  private final int externalAddress;
  private final PortAllocation portAllocation;
  private int sweepAt = 64;
  private int permissionSweepAt = 64;
  private int nextPort;
  private long nextDeadId = -1; // ids for dead permissions moved to the large layout (< 0)
  private final SplittableRandom random;
  private final NatBehavior behavior;

  /** Creates the state of a NAT with the given behaviour and external address. */
  public NatState(NatBehavior behavior, int externalAddress, SplittableRandom random) {
    this.behavior = behavior;
    this.timeout = behavior.bindingTimeoutNanos();
    this.externalAddress = externalAddress;
    this.random = random;
    this.mappingMode = mode(behavior.mapping());
    this.filteringMode = mode(behavior.filtering());
    this.inboundRefresh = behavior.inboundRefresh();
    this.hairpinning = behavior.hairpinning();
    this.portAllocation = behavior.portAllocation();
    this.nextPort = LOW_PORT + random.nextInt(PORT_SPAN);
    int permSlots = filteringMode == EI ? 0 : INITIAL_PERMISSION_SLOTS;
    this.t = new long[INITIAL_MAPPING_SLOTS * M_STRIDE + permSlots * P_STRIDE];
    this.pBase = INITIAL_MAPPING_SLOTS * M_STRIDE;
  }

  private static int mode(Dependence d) {
    switch (d) {
      case ENDPOINT_INDEPENDENT:
        return EI;
      case ADDRESS_DEPENDENT:
        return AD;
      default:
        return APD;
    }
  }

  /** The behaviour this NAT implements. */
  public NatBehavior behavior() {
    return behavior;
  }

  /** Whether the NAT hairpins (the behaviour's flag, without reading the behaviour). */
  public boolean hairpinning() {
    return hairpinning;
  }

  /** The NAT's address in its outer realm. */
  public int externalAddress() {
    return externalAddress;
  }

  /** Filter permissions held (an upper bound: expired ones not yet swept still count). */
  public int permissionCount() {
    if (large != null) {
      return large.permissions == null ? 0 : large.permissions.size();
    }
    return permCount;
  }

  /** Live mappings (an upper bound: expired ones not yet met still count). */
  public int mappingCount() {
    return live;
  }

  /** Whether the NAT has moved to the large layout (for tests). */
  boolean isLarge() {
    return large != null;
  }

  private long mappingKey(long remote) {
    if (mappingMode == EI) {
      return 0;
    }
    return mappingMode == AD ? Endpoints.address(remote) & 0xFFFFFFFFL : remote;
  }

  private long filterKey(long remote) {
    return filteringMode == AD ? Endpoints.address(remote) & 0xFFFFFFFFL : remote;
  }

  // ------------------------------------------------------------------ public operations

  /**
   * Translates an outbound packet from {@code internal} to {@code remote}: finds or creates the
   * mapping, refreshes it and the permission for {@code remote}.
   *
   * @return the external port, or {@link #PORTS_EXHAUSTED}
   */
  public int outbound(long internal, long remote, long now) {
    if (large == null) {
      if (((internal | remote) >>> 48) == 0) {
        return smallOutbound(internal, remote, now);
      }
      toLarge();
    }
    return largeOutbound(internal, remote, now);
  }

  /**
   * Filters and translates an inbound packet from {@code remote} to external port {@code port}.
   *
   * @return the internal endpoint to deliver to, or {@link #NO_MAPPING}, {@link #EXPIRED} or
   *     {@link #FILTERED}
   */
  public long inbound(long remote, int port, long now) {
    if (large != null) {
      return largeInbound(remote, port, now);
    }
    long[] a = t;
    int s = slotOfPort(a, port);
    if (s < 0) {
      return NO_MAPPING;
    }
    int m = s * M_STRIDE;
    if (a[m + M_EXPIRES] <= now) {
      removeSlot(s);
      return EXPIRED;
    }
    if (filteringMode != EI) {
      int p = permissionOf(a, s, filterKey(remote));
      if (p < 0 || a[p + 1] <= now) {
        return FILTERED;
      }
      if (inboundRefresh) {
        a[p + 1] = now + timeout;
      }
    }
    if (inboundRefresh) {
      a[m + M_EXPIRES] = now + timeout;
    }
    return a[m + M_EP_PORT] >>> 16;
  }

  /**
   * The true remaining lifetime of the hole that lets {@code remote} reach {@code internal}: how
   * long from {@code now} an inbound packet from {@code remote} would still pass if nothing
   * refreshed the binding; 0 when it would not pass now.
   */
  public long remainingNanos(long internal, long remote, long now) {
    if (large != null) {
      return largeRemainingNanos(internal, remote, now);
    }
    long[] a = t;
    int s = slotOf(a, internal, mappingKey(remote));
    if (s < 0) {
      return 0;
    }
    long rem = a[s * M_STRIDE + M_EXPIRES] - now;
    if (filteringMode != EI) {
      int p = permissionOf(a, s, filterKey(remote));
      rem = p < 0 ? 0 : Math.min(rem, a[p + 1] - now);
    }
    return Math.max(0, rem);
  }

  /**
   * The external port of the live mapping {@code internal} would use toward {@code remote}, or
   * -1 when there is none.
   */
  public int externalPort(long internal, long remote, long now) {
    if (large != null) {
      return largeExternalPort(internal, remote, now);
    }
    long[] a = t;
    int s = slotOf(a, internal, mappingKey(remote));
    if (s < 0 || a[s * M_STRIDE + M_EXPIRES] <= now) {
      return -1;
    }
    return (int) (a[s * M_STRIDE + M_EP_PORT] & 0xFFFF);
  }

  /**
   * A rebinding: the NAT forgets every mapping and permission (a reboot, a conntrack flush). The
   * sequential and random allocators continue from a fresh random point, so later mappings get
   * new external ports; a port-preserving NAT gives the internal port again when it is free.
   * The NAT returns to the small layout.
   */
  public void rebind() {
    lastEntry = -1;
    large = null;
    used = 0;
    permCount = 0;
    live = 0;
    nextPort = LOW_PORT + random.nextInt(PORT_SPAN);
  }

  // ------------------------------------------------------------------ small layout

  private int smallOutbound(long internal, long remote, long now) {
    long key = mappingKey(remote);
    long[] a = t;
    int s = lastEntry;
    if (s < 0 || internal != lastInternal || key != lastKey) {
      s = slotOf(a, internal, key);
      if (s >= 0) {
        remember(internal, key, s);
      }
    }
    if (s >= 0 && a[s * M_STRIDE + M_EXPIRES] <= now) {
      removeSlot(s);
      s = -1;
    }
    if (s < 0) {
      int port = allocate((int) (internal & 0xFFFF), now);
      if (port < 0) {
        return PORTS_EXHAUSTED;
      }
      if (Integer.bitCount(used) == SMALL_MAPPINGS) {
        toLarge();
        int e = largeNewEntry(internal, key, port, now);
        return largeRefresh(e, remote, now);
      }
      s = Integer.numberOfTrailingZeros(~used);
      if (s * M_STRIDE == pBase) {
        growMappingSlots();
      }
      a = t;
      int m = s * M_STRIDE;
      a[m + M_EP_PORT] = internal << 16 | port;
      a[m + M_KEY] = key;
      used |= 1 << s;
      live++;
      remember(internal, key, s);
    }
    int m = s * M_STRIDE;
    long until = now + timeout;
    a[m + M_EXPIRES] = until;
    int port = (int) (a[m + M_EP_PORT] & 0xFFFF);
    if (filteringMode != EI) {
      long tagged = (long) (s + 1) << 48 | filterKey(remote);
      int end = pBase + permCount * P_STRIDE;
      for (int p = pBase; p < end; p += P_STRIDE) {
        if (a[p] == tagged) {
          a[p + 1] = until;
          return port;
        }
      }
      if (permCount == SMALL_PERMISSIONS) {
        // The new permission does not fit: move everything to the hash tables and refresh
        // there (lastEntry is this mapping: it was just found or made).
        toLarge();
        return largeRefresh(lastEntry, remote, now);
      }
      if (end == a.length) {
        a = Arrays.copyOf(a, a.length + permCount * P_STRIDE);
        t = a;
      }
      a[end] = tagged;
      a[end + 1] = until;
      permCount++;
    }
    return port;
  }

  /** The slot of the mapping for (internal, key), or -1. */
  private int slotOf(long[] a, long internal, long key) {
    for (int bits = used; bits != 0; bits &= bits - 1) {
      int s = Integer.numberOfTrailingZeros(bits);
      int m = s * M_STRIDE;
      if (a[m + M_KEY] == key && a[m + M_EP_PORT] >>> 16 == internal) {
        return s;
      }
    }
    return -1;
  }

  /** The slot of the mapping on {@code port}, or -1. */
  private int slotOfPort(long[] a, int port) {
    for (int bits = used; bits != 0; bits &= bits - 1) {
      int s = Integer.numberOfTrailingZeros(bits);
      if ((int) (a[s * M_STRIDE + M_EP_PORT] & 0xFFFF) == port) {
        return s;
      }
    }
    return -1;
  }

  /** The index in t of slot {@code s}'s permission for {@code fk}, or -1. */
  private int permissionOf(long[] a, int s, long fk) {
    if ((fk >>> 48) != 0) {
      return -1; // never stored in the small layout
    }
    long tagged = (long) (s + 1) << 48 | fk;
    int end = pBase + permCount * P_STRIDE;
    for (int p = pBase; p < end; p += P_STRIDE) {
      if (a[p] == tagged) {
        return p;
      }
    }
    return -1;
  }

  private void removeSlot(int s) {
    if (s == lastEntry) {
      lastEntry = -1;
    }
    used &= ~(1 << s);
    live--;
    // Its permissions die with it (they stay, and count, until a sweep, as in the large layout).
    long[] a = t;
    long tag = (long) (s + 1) << 48;
    int end = pBase + permCount * P_STRIDE;
    for (int p = pBase; p < end; p += P_STRIDE) {
      if ((a[p] & ~LOW48) == tag) {
        a[p] &= LOW48;
      }
    }
  }

  private void growMappingSlots() {
    int slots = pBase / M_STRIDE * 2;
    int newBase = slots * M_STRIDE;
    long[] a = new long[newBase + (t.length - pBase)];
    System.arraycopy(t, 0, a, 0, pBase);
    System.arraycopy(t, pBase, a, newBase, t.length - pBase);
    t = a;
    pBase = newBase;
  }

  /** True when {@code port} is held by a live mapping; reclaims it when its mapping expired. */
  private boolean portInUse(int port, long now) {
    if (large != null) {
      return largePortInUse(port, now);
    }
    int s = slotOfPort(t, port);
    if (s < 0) {
      return false;
    }
    if (t[s * M_STRIDE + M_EXPIRES] <= now) {
      removeSlot(s);
      return false;
    }
    return true;
  }

  private void remember(long internal, long key, int e) {
    lastInternal = internal;
    lastKey = key;
    lastEntry = e;
  }

  private int allocate(int internalPort, long now) {
    PortAllocation p = portAllocation;
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

  /**
   * Moves the small layout's mappings and permissions to the large one. Mappings get fresh ids;
   * a dead permission (its mapping gone) gets an id of its own that no mapping has, so it still
   * counts, and is swept, as before, but never lets anything in. {@code lastEntry} follows its
   * mapping.
   */
  private void toLarge() {
    Large g = new Large(Math.max(Integer.bitCount(used), 2), filteringMode != EI,
        Math.max(permCount, 2));
    long[] a = t;
    int[] entryOfSlot = new int[Integer.SIZE];
    int last = -1;
    for (int bits = used; bits != 0; bits &= bits - 1) {
      int s = Integer.numberOfTrailingZeros(bits);
      int m = s * M_STRIDE;
      int port = (int) (a[m + M_EP_PORT] & 0xFFFF);
      int e = g.add(a[m + M_EP_PORT] >>> 16, a[m + M_KEY], port);
      g.setExpiresAt(e, a[m + M_EXPIRES]);
      entryOfSlot[s] = e;
      if (s == lastEntry) {
        last = e;
      }
    }
    int end = pBase + permCount * P_STRIDE;
    for (int p = pBase; p < end; p += P_STRIDE) {
      int tag = (int) (a[p] >>> 48);
      long id = tag == 0 ? nextDeadId-- : g.mappingId(entryOfSlot[tag - 1]);
      g.permissions.put(id, a[p] & LOW48, a[p + 1]);
    }
    large = g;
    lastEntry = last;
    used = 0;
    permCount = 0;
  }

  // ------------------------------------------------------------------ large layout

  /**
   * The large layout's tables: an entry per mapping (its fields in one {@code long[]} stride,
   * {@code E_INTERNAL} ...), found by {@code byInternal} and {@code byPort}, and the
   * permissions keyed by mapping id (never reused) and filter key.
   */
  private static final class Large {
    // Entry e's fields at e * E_STRIDE + E_*: the internal endpoint, the mapping key, the
    // expiry time, and the mapping id (high 48 bits) with the external port (low 16).
    static final int E_STRIDE = 4;
    static final int E_INTERNAL = 0;
    static final int E_KEY = 1;
    static final int E_EXPIRES = 2;
    static final int E_ID_PORT = 3;

    final PairMap byInternal; // (internalEp, mapKey) -> entry
    final PairMap byPort; // (extPort, 0) -> entry
    // (mappingId, filterKey) -> expiresAt; null with endpoint-independent filtering
    final PairMap permissions;
    long[] entries;
    int[] freeEntries;
    int freeCount;
    int entryCount; // high-water mark of entry slots
    long nextMappingId = 1;

    Large(int mappings, boolean withPermissions, int perms) {
      byInternal = new PairMap(mappings * 2);
      byPort = new PairMap(mappings * 2);
      permissions = withPermissions ? new PairMap(perms * 2) : null;
      entries = new long[mappings * 2 * E_STRIDE];
      freeEntries = new int[mappings * 2];
    }

    long expiresAt(int e) {
      return entries[e * E_STRIDE + E_EXPIRES];
    }

    void setExpiresAt(int e, long at) {
      entries[e * E_STRIDE + E_EXPIRES] = at;
    }

    long mappingId(int e) {
      return entries[e * E_STRIDE + E_ID_PORT] >>> 16;
    }

    int extPort(int e) {
      return (int) (entries[e * E_STRIDE + E_ID_PORT] & 0xFFFF);
    }

    /** Adds a mapping with a fresh id (expiry unset); returns its entry. */
    int add(long internal, long key, int port) {
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
      return e;
    }

    void remove(int e) {
      int b = e * E_STRIDE;
      byInternal.remove(entries[b + E_INTERNAL], entries[b + E_KEY]);
      byPort.remove(extPort(e), 0);
      entries[b + E_EXPIRES] = Long.MIN_VALUE;
      if (freeCount == freeEntries.length) {
        freeEntries = Arrays.copyOf(freeEntries, freeEntries.length * 2);
      }
      freeEntries[freeCount++] = e;
    }
  }

  private int largeOutbound(long internal, long remote, long now) {
    long key = mappingKey(remote);
    int e = largeEntryFor(internal, key, now);
    if (e < 0) {
      int port = allocate((int) (internal & 0xFFFF), now);
      if (port < 0) {
        return PORTS_EXHAUSTED;
      }
      e = largeNewEntry(internal, key, port, now);
    }
    return largeRefresh(e, remote, now);
  }

  /** Refreshes entry {@code e} and its permission for {@code remote}; returns its port. */
  private int largeRefresh(int e, long remote, long now) {
    Large g = large;
    long until = now + timeout;
    g.setExpiresAt(e, until);
    PairMap perms = g.permissions;
    if (perms != null) {
      perms.put(g.mappingId(e), filterKey(remote), until);
      if (perms.size() >= permissionSweepAt) {
        // A peer that talks to many remotes through one mapping piles up permissions; drop the
        // expired ones whenever their number doubles (amortised O(1) per packet).
        perms.removeValuesAtMost(now);
        permissionSweepAt = Math.max(64, perms.size() * 2);
      }
    }
    return g.extPort(e);
  }

  private long largeInbound(long remote, int port, long now) {
    Large g = large;
    long found = g.byPort.get(port, 0);
    if (found == PairMap.MISSING) {
      return NO_MAPPING;
    }
    int e = (int) found;
    if (g.expiresAt(e) <= now) {
      largeRemove(e);
      return EXPIRED;
    }
    if (g.permissions != null) {
      long fk = filterKey(remote);
      long until = g.permissions.get(g.mappingId(e), fk);
      if (until == PairMap.MISSING || until <= now) {
        return FILTERED;
      }
      if (inboundRefresh) {
        g.permissions.put(g.mappingId(e), fk, now + timeout);
      }
    }
    if (inboundRefresh) {
      g.setExpiresAt(e, now + timeout);
    }
    return g.entries[e * Large.E_STRIDE + Large.E_INTERNAL];
  }

  private long largeRemainingNanos(long internal, long remote, long now) {
    Large g = large;
    long found = g.byInternal.get(internal, mappingKey(remote));
    if (found == PairMap.MISSING) {
      return 0;
    }
    int e = (int) found;
    long rem = g.expiresAt(e) - now;
    if (g.permissions != null) {
      long until = g.permissions.get(g.mappingId(e), filterKey(remote));
      rem = until == PairMap.MISSING ? 0 : Math.min(rem, until - now);
    }
    return Math.max(0, rem);
  }

  private int largeExternalPort(long internal, long remote, long now) {
    Large g = large;
    long found = g.byInternal.get(internal, mappingKey(remote));
    if (found == PairMap.MISSING || g.expiresAt((int) found) <= now) {
      return -1;
    }
    return g.extPort((int) found);
  }

  private int largeEntryFor(long internal, long key, long now) {
    Large g = large;
    int e = lastEntry;
    if (e < 0 || internal != lastInternal || key != lastKey) {
      long found = g.byInternal.get(internal, key);
      if (found == PairMap.MISSING) {
        return -1;
      }
      e = (int) found;
      remember(internal, key, e);
    }
    if (g.expiresAt(e) <= now) {
      largeRemove(e);
      return -1;
    }
    return e;
  }

  private int largeNewEntry(long internal, long key, int port, long now) {
    if (live >= sweepAt) {
      largeSweepExpired(now);
      sweepAt = Math.max(64, live * 2);
    }
    int e = large.add(internal, key, port);
    live++;
    remember(internal, key, e);
    return e;
  }

  private void largeRemove(int e) {
    if (e == lastEntry) {
      lastEntry = -1;
    }
    large.remove(e);
    live--;
  }

  private void largeSweepExpired(long now) {
    Large g = large;
    for (int e = 0; e < g.entryCount; e++) {
      long at = g.expiresAt(e);
      if (at != Long.MIN_VALUE && at <= now) {
        largeRemove(e);
      }
    }
    if (g.permissions != null) {
      g.permissions.removeValuesAtMost(now);
    }
  }

  private boolean largePortInUse(int port, long now) {
    Large g = large;
    long found = g.byPort.get(port, 0);
    if (found == PairMap.MISSING) {
      return false;
    }
    int e = (int) found;
    if (g.expiresAt(e) <= now) {
      largeRemove(e);
      return false;
    }
    return true;
  }
}

package org.netbelief.punch.sim;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.netbelief.punch.sim.internal.EventQueue;
import org.netbelief.punch.sim.internal.IntIntMap;
import org.netbelief.punch.sim.internal.NatState;
import org.netbelief.punch.sim.internal.PacketPool;
import org.netbelief.punch.sim.internal.PairMap;

/**
 * A deterministic discrete-event network in virtual time: hosts, NATs with RFC 4787 behaviour,
 * links with delay, jitter, loss and outages.
 *
 * <h2>Topology</h2>
 *
 * Every node (host or NAT) sits in one <em>realm</em> with an address there, and reaches the realm
 * over its own link (its access link: the link's {@link LinkProfile} applies in both directions,
 * and {@link #setLinkUp} takes it down). The public Internet is the realm {@link #INTERNET}; each
 * NAT owns one inner realm, named by the NAT's node id, so addresses behind different NATs may
 * repeat (every home can be 192.168.1.0/24). NATs nest: a home NAT placed behind a carrier-grade
 * NAT is a NAT in series.
 *
 * <h2>Forwarding</h2>
 *
 * A packet leaving a node crosses the node's link into its realm. If a node of that realm has the
 * destination address, the packet crosses that node's link and arrives there (a host delivers it
 * to the socket bound on the port; a NAT filters and translates it inward). Otherwise the packet
 * goes to the realm's NAT, which translates it outward and sends it on from its own link — or,
 * when the destination is the NAT's own external address, hairpins it (if enabled). In the
 * Internet realm an unknown address is dropped. Each link crossing draws loss and adds
 * {@code delay + U[0, jitter]}; the packet waits in the event queue only where delay accumulated
 * before a NAT or a host must act on it, so a typical peer-to-peer packet costs one event.
 *
 * <h2>Determinism</h2>
 *
 * One seeded {@link SplittableRandom} drives loss, jitter and port choice; the event queue breaks
 * time ties by insertion order. The same seed and the same calls give the same run, bit for bit.
 *
 * <h2>Cost</h2>
 *
 * Packets live in pooled slots, events are four primitives in a heap, NAT tables are primitive
 * hash maps: the loop allocates nothing per packet once the pools have grown to the run's peak.
 * At 10 000 peers the network is far larger than the caches, so the layout is chosen for cache
 * misses per packet: a node's link, realm and socket fields sit together in one stride of a
 * single {@code long[]} (one or two cache lines per node a packet crosses, instead of one line
 * per field array), a host's first two sockets are found from its node record without a hash
 * probe, and the engines' datagram buffers are shared by the network
 * ({@link EngineApplication}). A socket's timer state (deadline, queued time) and its
 * application sit in arrays indexed by socket id, so a timer pop (live or stale) and a delivery
 * do not load the cold Socket object (its header load just to read the queued time was 5.4 % of
 * mesh-like's samples at 10 000 peers; with the arrays mesh-like ran 1-5 % faster in four
 * same-time A/B pairs).
 *
 * <pre>{@code
 * SimNetwork net = new SimNetwork(42);
 * int nat = net.addNat(SimNetwork.INTERNET, Endpoints.parseAddress("198.51.100.1"),
 *     NatBehavior.fullCone(), LinkProfile.ofMillis(20, 2, 0.0));
 * int host = net.addHost(nat, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
 * SimSocket s = net.bind(host, 4000, app);
 * net.runUntil(60_000_000_000L);
 * }</pre>
 *
 * <p>Single-threaded; application callbacks run on the caller of {@link #runUntil}.
 */
public final class SimNetwork {
  /** The realm of the public Internet, for {@code behind} arguments. */
  public static final int INTERNET = -1;

  private static final int KIND_HOST = 0;
  private static final int KIND_NAT = 1;

  private static final long EV_ARRIVE_UP = 0; // packet reaches a NAT from its inner realm
  private static final long EV_ARRIVE_DOWN = 1; // packet reaches a node from its outer realm
  private static final long EV_TIMER = 2;
  private static final long EV_ACTION = 3;
  private static final long EV_START = 4;

  private final SplittableRandom random;
  private final EventQueue queue = new EventQueue(1024);
  private final PacketPool pool = new PacketPool(256);
  // Per realm (index realm + 1; 0 is the Internet), its addresses to their nodes; null until the
  // realm has a node. One small map per realm instead of one (realm, address) PairMap: 8 bytes a
  // slot instead of 32, so the Internet's index stays in cache (about 7 % of the 3 000-peer run's
  // samples were PairMap probes here).
  private IntIntMap[] realmIndex = new IntIntMap[17];
  // (host, port) -> socket id, for every socket; the first two of a host are also in its node
  // record (N_SOCKET0/1), which answers almost every delivery without probing this table.
  private final PairMap socketIndex = new PairMap(64);

  // Node records: NODE_STRIDE longs per node in one array, the fields a packet reads when it
  // crosses a node's link first, so they share a cache line (one array per field cost a miss
  // per field: seven lines per node crossed).
  private static final int NODE_SHIFT = 3;
  private static final int N_FLAGS = 0; // bit 0: NAT (else host); bit 1: link down
  private static final int N_LOSS = 1; // loss probability, raw double bits
  private static final int N_DELAY = 2;
  private static final int N_JITTER = 3;
  private static final int N_PLACE = 4; // address (low 32 bits) | realm it sits in (high 32)
  // Per NAT: how many nodes sit in its inner realm (low 32) and the first of them (high 32). A
  // home realm usually holds one host, and then a lookup is one comparison, not a hash probe.
  private static final int N_REALM = 5;
  private static final int N_SOCKET0 = 6; // a host's first socket: (id + 1) << 32 | port; 0 none
  private static final int N_SOCKET1 = 7; // its second
  private static final long FLAG_NAT = 1;
  private static final long FLAG_DOWN = 2;

  private int nodeCount;
  private long[] nodes = new long[16 << NODE_SHIFT];
  private NatState[] nats = new NatState[16];
  /** The buffers every {@link EngineApplication} on this network shares (single-threaded). */
  private final EngineApplication.Buffers adapterBuffers = new EngineApplication.Buffers();

  private Socket[] sockets = new Socket[16];
  private int socketCount;
  // Per socket id, its timer state in one primitive array, stride 2 and adjacent: the deadline the
  // application set (T_DEADLINE) and the time of its live entry in the queue (T_QUEUED). And its
  // application, so a timer pop (live or stale) and a delivery reach the application without
  // loading the Socket object: at 10 000 peers every event touches a different, cold socket, and
  // the Socket header load just to read queuedAt was 5.4 % of mesh-like's samples (the Socket is
  // still what the application receives; passing the reference does not touch it).
  private static final int T_DEADLINE = 0;
  private static final int T_QUEUED = 1;
  private long[] timers = new long[16 << 1];
  private SimApplication[] apps = new SimApplication[16];

  private SimAction[] actions = new SimAction[16];
  private int[] freeActions = new int[16];
  private int freeActionCount;
  private int actionHighWater;

  private long now;
  private long sent;
  private long delivered;
  private long lost;
  private long linkDown;
  private long noRoute;
  private long noMapping;
  private long expired;
  private long filtered;
  private long hairpinRefused;
  private long portsExhausted;
  private long noSocket;
  private long events;

  /** Creates an empty network at virtual time 0 whose randomness comes from {@code seed}. */
  public SimNetwork(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The current virtual time in nanoseconds. */
  public long now() {
    return now;
  }

  /**
   * An independent random source split from the network's, for scenario code that must stay
   * deterministic without disturbing the network's own draws.
   */
  public SplittableRandom splitRandom() {
    return random.split();
  }

  /**
   * Adds a NAT.
   *
   * @param behindNat {@link #INTERNET} or the NAT in whose inner realm this one sits (in series)
   * @param externalAddress the NAT's address in that realm
   * @param link the NAT's link into that realm (its uplink)
   * @return the NAT's node id, which also names its inner realm
   * @throws IllegalArgumentException when the address is taken in that realm or the realm is
   *     unknown
   */
  public int addNat(int behindNat, int externalAddress, NatBehavior behavior, LinkProfile link) {
    int id = addNode(KIND_NAT, behindNat, externalAddress, link);
    nats[id] = new NatState(behavior, externalAddress, random.split());
    return id;
  }

  /**
   * Adds a host.
   *
   * @param behindNat {@link #INTERNET} or the NAT in whose inner realm the host sits
   * @param hostAddress the host's address in that realm
   * @param link the host's link into that realm
   * @return the host's node id
   */
  public int addHost(int behindNat, int hostAddress, LinkProfile link) {
    return addNode(KIND_HOST, behindNat, hostAddress, link);
  }

  private int addNode(int k, int realm, int addr, LinkProfile link) {
    if (realm != INTERNET && (realm < 0 || realm >= nodeCount || kind(realm) != KIND_NAT)) {
      throw new IllegalArgumentException("behindNat " + realm + " is not a NAT of this network");
    }
    if (lookupIndex(realm, addr) != PairMap.MISSING) {
      throw new IllegalArgumentException("address " + Endpoints.addressToString(addr)
          + " is already taken in realm " + realm);
    }
    if (nodeCount == nats.length) {
      int n = nodeCount * 2;
      nodes = Arrays.copyOf(nodes, n << NODE_SHIFT);
      nats = Arrays.copyOf(nats, n);
      realmIndex = Arrays.copyOf(realmIndex, n + 1);
    }
    int id = nodeCount++;
    int b = id << NODE_SHIFT;
    nodes[b + N_FLAGS] = k == KIND_NAT ? FLAG_NAT : 0;
    nodes[b + N_PLACE] = (long) realm << 32 | (addr & 0xFFFFFFFFL);
    setLinkFields(id, link);
    if (realmIndex[realm + 1] == null) {
      realmIndex[realm + 1] = new IntIntMap(realm == INTERNET ? 64 : 4);
    }
    realmIndex[realm + 1].put(addr, id);
    if (realm != INTERNET) {
      int r = (realm << NODE_SHIFT) + N_REALM;
      long rc = nodes[r];
      int count = (int) rc;
      int first = count == 0 ? id : (int) (rc >>> 32);
      nodes[r] = (long) first << 32 | (count + 1);
    }
    return id;
  }

  private void setLinkFields(int node, LinkProfile link) {
    int b = node << NODE_SHIFT;
    nodes[b + N_DELAY] = link.delayNanos();
    nodes[b + N_JITTER] = link.jitterNanos();
    nodes[b + N_LOSS] = Double.doubleToRawLongBits(link.lossProbability());
  }

  private int kind(int node) {
    return (nodes[(node << NODE_SHIFT) + N_FLAGS] & FLAG_NAT) != 0 ? KIND_NAT : KIND_HOST;
  }

  private int behindOf(int node) {
    return (int) (nodes[(node << NODE_SHIFT) + N_PLACE] >> 32);
  }

  private int addressOf(int node) {
    return (int) nodes[(node << NODE_SHIFT) + N_PLACE];
  }

  /** The buffers shared by the adapters on {@code s}'s network; fresh ones off a SimNetwork. */
  static EngineApplication.Buffers buffersOf(SimSocket s) {
    return s instanceof Socket ? ((Socket) s).network().adapterBuffers
        : new EngineApplication.Buffers();
  }

  /** Number of nodes (hosts and NATs). */
  public int nodeCount() {
    return nodeCount;
  }

  /** Whether the node is a NAT. */
  public boolean isNat(int node) {
    checkNode(node);
    return kind(node) == KIND_NAT;
  }

  /** The realm the node sits in: {@link #INTERNET} or a NAT's id. */
  public int behind(int node) {
    checkNode(node);
    return behindOf(node);
  }

  /** The node's address in its realm. */
  public int address(int node) {
    checkNode(node);
    return addressOf(node);
  }

  /** The behaviour of a NAT. */
  public NatBehavior natBehavior(int nat) {
    return nat(nat).behavior();
  }

  /** Changes a node's link character from now on. */
  public void setLink(int node, LinkProfile link) {
    checkNode(node);
    setLinkFields(node, link);
  }

  /** Takes a node's link down (every packet crossing it is dropped) or brings it back up. */
  public void setLinkUp(int node, boolean isUp) {
    checkNode(node);
    int f = (node << NODE_SHIFT) + N_FLAGS;
    nodes[f] = isUp ? nodes[f] & ~FLAG_DOWN : nodes[f] | FLAG_DOWN;
  }

  /** Whether the node's link is up. */
  public boolean isLinkUp(int node) {
    checkNode(node);
    return (nodes[(node << NODE_SHIFT) + N_FLAGS] & FLAG_DOWN) == 0;
  }

  /**
   * Rebinds a NAT now: it forgets all its mappings and filter permissions (see
   * {@link NatState#rebind}); packets to the old external ports are dropped until the inside
   * sends again and gets a new mapping.
   */
  public void rebind(int nat) {
    nat(nat).rebind();
  }

  /**
   * Binds a UDP port on a host to an application; the application's {@code onStart} runs at the
   * current virtual time, from the event loop.
   *
   * @throws IllegalArgumentException when the node is not a host or the port is taken
   */
  public SimSocket bind(int host, int port, SimApplication app) {
    checkNode(host);
    if (kind(host) != KIND_HOST) {
      throw new IllegalArgumentException("node " + host + " is a NAT, not a host");
    }
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be in 1..65535, was " + port);
    }
    if (socketIndex.get(host, port) != PairMap.MISSING) {
      throw new IllegalArgumentException("port " + port + " already bound on host " + host);
    }
    if (app == null) {
      throw new IllegalArgumentException("app must not be null");
    }
    if (socketCount == sockets.length) {
      sockets = Arrays.copyOf(sockets, socketCount * 2);
      apps = Arrays.copyOf(apps, socketCount * 2);
      timers = Arrays.copyOf(timers, socketCount * 4);
    }
    int id = socketCount++;
    Socket s = new Socket(id, host, Endpoints.of(addressOf(host), port));
    sockets[id] = s;
    apps[id] = app;
    timers[(id << 1) + T_DEADLINE] = Long.MAX_VALUE;
    timers[(id << 1) + T_QUEUED] = Long.MAX_VALUE;
    socketIndex.put(host, port, id);
    int hb = host << NODE_SHIFT;
    long rec = (long) (id + 1) << 32 | port;
    if (nodes[hb + N_SOCKET0] == 0) {
      nodes[hb + N_SOCKET0] = rec;
    } else if (nodes[hb + N_SOCKET1] == 0) {
      nodes[hb + N_SOCKET1] = rec;
    }
    queue.add(now, EV_START << 32 | id, 0);
    return s;
  }

  /**
   * Schedules an action at virtual time {@code atNanos} (not before now). Meant for scenario
   * events (connection requests, outages, rebindings), not per packet: it holds the action object.
   */
  public void at(long atNanos, SimAction action) {
    if (atNanos < now) {
      throw new IllegalArgumentException("cannot schedule at " + atNanos + " before now " + now);
    }
    int slot;
    if (freeActionCount > 0) {
      slot = freeActions[--freeActionCount];
    } else {
      if (actionHighWater == actions.length) {
        actions = Arrays.copyOf(actions, actionHighWater * 2);
        freeActions = Arrays.copyOf(freeActions, actionHighWater * 2);
      }
      slot = actionHighWater++;
    }
    actions[slot] = action;
    queue.add(atNanos, EV_ACTION << 32 | slot, 0);
  }

  /**
   * Runs every event up to and including {@code untilNanos}, then sets the clock to it.
   *
   * @throws IllegalArgumentException when {@code untilNanos} is before now
   */
  public void runUntil(long untilNanos) {
    if (untilNanos < now) {
      throw new IllegalArgumentException("cannot run until " + untilNanos + " before now " + now);
    }
    while (queue.peekTime() <= untilNanos) {
      queue.poll();
      now = queue.polledTime();
      events++;
      long a = queue.polledA();
      int target = (int) a;
      long what = a >>> 32;
      if (what == EV_ARRIVE_DOWN) {
        arriveFromOutside(target, (int) queue.polledB());
      } else if (what == EV_ARRIVE_UP) {
        arriveFromInside(target, (int) queue.polledB());
      } else if (what == EV_TIMER) {
        timerEvent(target);
      } else if (what == EV_ACTION) {
        SimAction action = actions[target];
        actions[target] = null;
        freeActions[freeActionCount++] = target;
        action.run(now);
      } else {
        apps[target].onStart(sockets[target], now);
      }
    }
    now = untilNanos;
  }

  /**
   * A timer entry of socket {@code id} came due. Only the entry at its queued time is live
   * (earlier re-arms left others behind, which are skipped). A deadline moved later than the
   * entry is re-queued here, lazily: an engine that pushes its timer back on every packet then
   * costs one heap entry per expiry, not one per packet. Reads only {@link #timers} (and
   * {@link #apps} when the timer fires), never the Socket object.
   */
  private void timerEvent(int id) {
    long[] t = timers;
    int k = id << 1;
    if (now != t[k + T_QUEUED]) {
      return;
    }
    t[k + T_QUEUED] = Long.MAX_VALUE;
    long d = t[k + T_DEADLINE];
    if (d == Long.MAX_VALUE) {
      return;
    }
    if (d <= now) {
      t[k + T_DEADLINE] = Long.MAX_VALUE;
      apps[id].onTimer(sockets[id], now);
    } else {
      t[k + T_QUEUED] = d;
      queue.add(d, EV_TIMER << 32 | id, 0);
    }
  }

  /** Events waiting in the queue. */
  public int pendingEvents() {
    return queue.size();
  }

  /** A snapshot of the packet counters. */
  public NetworkStats stats() {
    return new NetworkStats(sent, delivered, lost, linkDown, noRoute, noMapping, expired,
        filtered, hairpinRefused, portsExhausted, noSocket, events);
  }

  /**
   * Ground truth: the public endpoint (as seen on the Internet) that packets from
   * {@code socket} to {@code remote} would come from now, following live mappings through every
   * NAT in series; -1 when some NAT on the way has no live mapping for it yet.
   */
  public long publicEndpoint(SimSocket socket, long remote) {
    long ep = socket.localEndpoint();
    int realm = behindOf(socket.host());
    while (realm != INTERNET) {
      int port = nats[realm].externalPort(ep, remote, now);
      if (port < 0) {
        return -1;
      }
      ep = Endpoints.of(addressOf(realm), port);
      realm = behindOf(realm);
    }
    return ep;
  }

  /**
   * Ground truth for the oracle: how long from now a packet from the Internet endpoint
   * {@code remote} would still get through every NAT in front of {@code socket} if nothing
   * refreshed the bindings; 0 when it would not get through now, {@link Long#MAX_VALUE} for a
   * host on the Internet itself.
   */
  public long holeRemainingNanos(SimSocket socket, long remote) {
    long ep = socket.localEndpoint();
    int realm = behindOf(socket.host());
    long rem = Long.MAX_VALUE;
    while (realm != INTERNET) {
      NatState n = nats[realm];
      int port = n.externalPort(ep, remote, now);
      if (port < 0) {
        return 0;
      }
      rem = Math.min(rem, n.remainingNanos(ep, remote, now));
      ep = Endpoints.of(addressOf(realm), port);
      realm = behindOf(realm);
    }
    return rem;
  }

  // ---------------------------------------------------------------- forwarding (hot path)

  private void send(Socket s, long to, byte[] data, int offset, int length) {
    if (length < 0 || length > PacketPool.MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "datagram length must be in 0.." + PacketPool.MAX_PAYLOAD + ", was " + length);
    }
    if (offset < 0 || offset + length > data.length) {
      throw new IllegalArgumentException("offset " + offset + " and length " + length
          + " do not fit a buffer of " + data.length);
    }
    sent++;
    int slot = pool.acquire(s.endpoint, to, data, offset, length);
    leave(s.host, slot);
  }

  /** Crossing a link: false (and the packet is dropped and counted) when it does not make it. */
  private boolean cross(int node, int slot) {
    int b = node << NODE_SHIFT;
    if ((nodes[b + N_FLAGS] & FLAG_DOWN) != 0) {
      linkDown++;
      pool.release(slot);
      return false;
    }
    double p = Double.longBitsToDouble(nodes[b + N_LOSS]);
    if (p > 0 && random.nextDouble() < p) {
      lost++;
      pool.release(slot);
      return false;
    }
    return true;
  }

  private long linkDelay(int node) {
    int b = node << NODE_SHIFT;
    long j = nodes[b + N_JITTER];
    long d = nodes[b + N_DELAY];
    return j == 0 ? d : d + random.nextLong(j + 1);
  }

  /** The packet in {@code slot} leaves {@code node} over the node's link into its realm. */
  private void leave(int node, int slot) {
    if (!cross(node, slot)) {
      return;
    }
    long d = linkDelay(node);
    int realm = behindOf(node);
    int dstAddr = Endpoints.address(pool.dst(slot));
    long found = lookup(realm, dstAddr);
    if (found != PairMap.MISSING) {
      int target = (int) found;
      if (!cross(target, slot)) {
        return;
      }
      d += linkDelay(target);
      if (d == 0) {
        arriveFromOutside(target, slot);
      } else {
        queue.add(now + d, EV_ARRIVE_DOWN << 32 | target, slot);
      }
      return;
    }
    if (realm == INTERNET) {
      noRoute++;
      pool.release(slot);
      return;
    }
    if (d == 0) {
      arriveFromInside(realm, slot);
    } else {
      queue.add(now + d, EV_ARRIVE_UP << 32 | realm, slot);
    }
  }

  /** The packet reaches NAT {@code nat} from its inner realm: translate out, or hairpin. */
  private void arriveFromInside(int nat, int slot) {
    NatState n = nats[nat];
    long dst = pool.dst(slot);
    int port = n.outbound(pool.src(slot), dst, now);
    if (port < 0) {
      portsExhausted++;
      pool.release(slot);
      return;
    }
    int natAddress = addressOf(nat);
    pool.setSrc(slot, Endpoints.of(natAddress, port));
    if (Endpoints.address(dst) == natAddress) {
      if (!n.hairpinning()) {
        hairpinRefused++;
        pool.release(slot);
        return;
      }
      arriveFromOutside(nat, slot);
      return;
    }
    leave(nat, slot);
  }

  /** The packet reaches {@code node} from its outer realm: deliver, or filter and translate in. */
  private void arriveFromOutside(int node, int slot) {
    if ((nodes[(node << NODE_SHIFT) + N_FLAGS] & FLAG_NAT) == 0) {
      deliver(node, slot);
      return;
    }
    long dst = pool.dst(slot);
    long internal = nats[node].inbound(pool.src(slot), Endpoints.port(dst), now);
    if (internal < 0) {
      if (internal == NatState.FILTERED) {
        filtered++;
      } else if (internal == NatState.EXPIRED) {
        expired++;
      } else {
        noMapping++;
      }
      pool.release(slot);
      return;
    }
    pool.setDst(slot, internal);
    long found = lookup(node, Endpoints.address(internal));
    if (found == PairMap.MISSING) {
      noRoute++;
      pool.release(slot);
      return;
    }
    int target = (int) found;
    if (!cross(target, slot)) {
      return;
    }
    long d = linkDelay(target);
    if (d == 0) {
      arriveFromOutside(target, slot);
    } else {
      queue.add(now + d, EV_ARRIVE_DOWN << 32 | target, slot);
    }
  }

  /** The node with {@code addr} in {@code realm}, or {@link PairMap#MISSING}. */
  private long lookup(int realm, int addr) {
    if (realm != INTERNET) {
      long rc = nodes[(realm << NODE_SHIFT) + N_REALM];
      if ((int) rc == 1) {
        int only = (int) (rc >>> 32);
        return addressOf(only) == addr ? only : PairMap.MISSING;
      }
    }
    return lookupIndex(realm, addr);
  }

  private long lookupIndex(int realm, int addr) {
    IntIntMap m = realmIndex[realm + 1];
    int node = m == null ? IntIntMap.MISSING : m.get(addr);
    return node == IntIntMap.MISSING ? PairMap.MISSING : node;
  }

  private void deliver(int host, int slot) {
    int id = socketOf(host, Endpoints.port(pool.dst(slot)));
    if (id < 0) {
      noSocket++;
      pool.release(slot);
      return;
    }
    delivered++;
    try {
      apps[id].onDatagram(sockets[id], pool.data(slot), 0, pool.length(slot), pool.src(slot),
          now);
    } finally {
      pool.release(slot);
    }
  }

  /** The socket bound on {@code host}'s {@code port}, or -1. */
  private int socketOf(int host, int port) {
    int hb = host << NODE_SHIFT;
    long s0 = nodes[hb + N_SOCKET0];
    if ((int) s0 == port && s0 != 0) {
      return (int) (s0 >>> 32) - 1;
    }
    long s1 = nodes[hb + N_SOCKET1];
    if ((int) s1 == port && s1 != 0) {
      return (int) (s1 >>> 32) - 1;
    }
    if (s1 == 0) {
      return -1; // the host has at most the one or two sockets just checked
    }
    long found = socketIndex.get(host, port);
    return found == PairMap.MISSING ? -1 : (int) found;
  }

  private NatState nat(int node) {
    checkNode(node);
    if (kind(node) != KIND_NAT) {
      throw new IllegalArgumentException("node " + node + " is not a NAT");
    }
    return nats[node];
  }

  private void checkNode(int node) {
    if (node < 0 || node >= nodeCount) {
      throw new IllegalArgumentException("no node " + node + " (have " + nodeCount + ")");
    }
  }

  /**
   * A bound port. Its application and timer state live in {@link #apps} and {@link #timers},
   * indexed by {@link #id}, so the event loop need not load this object.
   */
  private final class Socket implements SimSocket {
    final int id;
    final int host;
    final long endpoint;

    Socket(int id, int host, long endpoint) {
      this.id = id;
      this.host = host;
      this.endpoint = endpoint;
    }

    SimNetwork network() {
      return SimNetwork.this;
    }

    @Override
    public long localEndpoint() {
      return endpoint;
    }

    @Override
    public int host() {
      return host;
    }

    @Override
    public void send(long toEndpoint, byte[] data, int offset, int length) {
      SimNetwork.this.send(this, toEndpoint, data, offset, length);
    }

    @Override
    public void setTimer(long deadlineNanos) {
      long at = deadlineNanos == Long.MAX_VALUE ? deadlineNanos : Math.max(deadlineNanos, now);
      long[] t = timers;
      int k = id << 1;
      t[k + T_DEADLINE] = at;
      if (at < t[k + T_QUEUED]) {
        t[k + T_QUEUED] = at;
        queue.add(at, EV_TIMER << 32 | id, 0);
      }
    }

    @Override
    public long timerDeadline() {
      return timers[(id << 1) + T_DEADLINE];
    }
  }
}

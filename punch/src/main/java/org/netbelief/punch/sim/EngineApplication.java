package org.netbelief.punch.sim;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.netbelief.punch.Engine;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.sim.internal.PacketPool;

/**
 * Runs a sans-I/O {@link Engine} on a simulated host: the thin adapter between the engine's
 * {@code onDatagram / onTimer / nextDeadlineNanos} and {@link EngineSink}, and the simulator's
 * {@link SimApplication} and {@link SimSocket}.
 *
 * <p>The adapter is the engine's sink, so it is made first, the engine with it, and then the
 * two are joined:
 *
 * <pre>{@code
 * EngineApplication app = new EngineApplication(events);        // events: event() and data()
 * PeerEngine engine = new PeerEngine(id, "alice", rendezvous, List.of(), true, policy,
 *     observer, app, random);
 * app.attach(engine, engine::start);                            // start() runs at bind time
 * net.bind(host, 5000, app);
 * ...
 * net.at(t, now -> app.call(now, () -> engine.connect("bob", now)));
 * }</pre>
 *
 * <p>After every call into the engine — a datagram, a timer, or anything wrapped in
 * {@link #call} — the socket's timer is set to {@link Engine#nextDeadlineNanos()}. Endpoints are
 * converted through two small set-associative caches (a sender's endpoint to one shared
 * {@code InetSocketAddress}, and a destination {@code InetSocketAddress}, by identity, to its
 * endpoint), and datagrams are copied into reused buffers, so the adapter allocates nothing per
 * packet in the steady state. The buffers belong to the network ({@link Buffers}, one per
 * {@link SimNetwork}, shared by all its adapters), not to each adapter: a network runs on one
 * thread, so one set serves every engine, stays in cache, and saves two 1 500-byte buffers per
 * engine (about 3 KB of the heap per simulated peer, twice that with a lifetime prober). The
 * caches have a fixed size: an engine that talks to many endpoints over a run (a rendezvous, a
 * peer that punches to many candidates) keeps a constant footprint, and a miss only costs one
 * conversion. The engine's {@code InetSocketAddress}es are
 * simulated addresses: nothing is resolved or opened.
 */
public final class EngineApplication implements SimApplication, EngineSink {
  /** Something to run against the engine at the current virtual time. */
  @FunctionalInterface
  public interface Starter {
    /** Runs at {@code nowNanos}. */
    void start(long nowNanos);
  }

  /**
   * The datagram buffers of every adapter on one network (single-threaded, like the network).
   *
   * <p>Inbound, a stack: an engine handling a datagram may send, and a send over links without
   * delay delivers at once, so another adapter's {@code onDatagram} (or this one's) runs before
   * the first returns. Each nesting level gets its own buffer, so a nested delivery never
   * overwrites the datagram an outer engine is still reading; the stack grows only as deep as
   * deliveries nest (one level with any link delay). Outbound, one scratch array: a send copies
   * it into the network's packet pool before anything else can run.
   */
  static final class Buffers {
    private ByteBuffer[] in = new ByteBuffer[2];
    private int depth;
    final byte[] scratch = new byte[PacketPool.MAX_PAYLOAD];

    /** The buffer of the next nesting level; {@link #pop} gives it back. */
    ByteBuffer push() {
      if (depth == in.length) {
        in = java.util.Arrays.copyOf(in, depth * 2);
      }
      ByteBuffer b = in[depth];
      if (b == null) {
        b = ByteBuffer.allocate(PacketPool.MAX_PAYLOAD);
        in[depth] = b;
      }
      depth++;
      return b;
    }

    void pop() {
      depth--;
    }

    /** Nesting levels in use (for tests). */
    int depth() {
      return depth;
    }
  }

  /*
   * The fields every event reads come first, so they lie next to the object header: at 10 000
   * peers every event finds its adapter cold, and a second cache line is a second miss. The
   * adapter has no int field, so the engine reference takes offset 12, beside the header, and
   * a timer (header, engine, socket) reads bytes 0..27 only.
   */
  private Engine engine;
  private SimSocket socket;
  /**
   * The last endpoint converted, either way, and its address object (a pair with {@code
   * Endpoints.of(lastAddress) == lastEndpoint}; at first a placeholder no engine holds, with
   * endpoint -1, which no endpoint equals). An engine mostly answers the sender it just heard
   * from, and a peer mostly talks to the rendezvous, so most conversions end here, in the
   * adapter's own cache line, without the cold cache slots and, for a destination, without
   * reading the address object's header for its identity hash. A sender found here is handed
   * to the engine as the address object the engine itself sent to (the shared rendezvous
   * address, for a peer), which the engine's own comparisons then find in cache.
   */
  private InetSocketAddress lastAddress = NO_ADDRESS;
  private long lastEndpoint = -1;
  /** The network's shared buffers, from the socket at bind time (own ones off a SimNetwork). */
  private Buffers buffers;
  /**
   * Both endpoint caches, in one pair of arrays (slots {@code 0..n-1} the senders', {@code
   * n..2n-1} the destinations'), so an adapter carries two arrays, not four.
   *
   * <p>Both are 4-way set-associative (a set's four entries adjacent, first-in first-out): the
   * rendezvous's adapter holds one entry per peer, and direct-mapped, at 10 000 peers in 16 384
   * slots, nearly half the peers shared a slot with another and kept evicting each other, every
   * packet of theirs converting anew and reaching the engine as a new address object (so its
   * identity checks against the registration's address failed).
   *
   * <p>Senders: endpoint ({@code endpoints[i]}) to the address object handed to the engine
   * ({@code addresses[i]}), by a hash of the endpoint. A hit hands the engine the
   * same object as last time, so its own lookups (equals on the same instance) stay cheap; empty
   * slots hold endpoint -1, which no endpoint equals.
   *
   * <p>Destinations: address object ({@code addresses[n + i]}) to endpoint ({@code
   * endpoints[n + i]}), by identity: an engine sends to the address objects it
   * keeps (the rendezvous, a session's remote), so identity hits almost always, and a hit costs
   * no hashing of the address nor an equals.
   */
  private final long[] endpoints;
  private final InetSocketAddress[] addresses;
  private final EngineSink events;
  private Starter starter;

  /**
   * Creates an adapter that hands the engine's events and data to {@code events} (whose
   * {@code send} is never called); null to drop them.
   */
  public EngineApplication(EngineSink events) {
    this(events, DEFAULT_CACHE_SLOTS);
  }

  /**
   * Like {@link #EngineApplication(EngineSink)}, with {@code cacheSlots} slots in each endpoint
   * cache (a power of two): about the number of distinct endpoints the engine talks to at a
   * time, e.g. the population size for a rendezvous.
   */
  public EngineApplication(EngineSink events, int cacheSlots) {
    if (cacheSlots < 1 || Integer.bitCount(cacheSlots) != 1 || cacheSlots > (1 << 24)) {
      throw new IllegalArgumentException("cacheSlots must be a power of two in 1..2^24, was " + cacheSlots);
    }
    this.events = events;
    this.endpoints = new long[2 * cacheSlots];
    this.addresses = new InetSocketAddress[2 * cacheSlots];
    java.util.Arrays.fill(endpoints, 0, cacheSlots, -1L);
  }

  /** The placeholder of {@code lastAddress} until the first conversion (never sent to). */
  private static final InetSocketAddress NO_ADDRESS = InetSocketAddress.createUnresolved("none", 0);

  /** Slots of each endpoint cache by default: a peer talks to a handful of endpoints at a time. */
  private static final int DEFAULT_CACHE_SLOTS = 16;

  /**
   * Joins the engine; {@code starter} (may be null) runs when the socket is bound, for instance
   * the engine's {@code start}.
   */
  public void attach(Engine e, Starter start) {
    if (e == null) {
      throw new IllegalArgumentException("engine must not be null");
    }
    this.engine = e;
    this.starter = start;
  }

  /** The engine, once attached. */
  public Engine engine() {
    return engine;
  }

  /** The socket, once bound and started. */
  public SimSocket socket() {
    return socket;
  }

  /** Runs {@code action} against the engine now, then re-arms the timer. */
  public void call(long nowNanos, Runnable action) {
    action.run();
    rearm();
  }

  @Override
  public void onStart(SimSocket s, long nowNanos) {
    if (engine == null) {
      throw new IllegalStateException("attach the engine before binding the application");
    }
    socket = s;
    buffers = SimNetwork.buffersOf(s);
    if (starter != null) {
      starter.start(nowNanos);
    }
    rearm();
  }

  @Override
  public void onDatagram(SimSocket s, byte[] data, int offset, int length, long from, long now) {
    Buffers b = buffers();
    ByteBuffer in = b.push();
    try {
      in.clear();
      in.put(data, offset, length);
      in.flip();
      engine.onDatagram(in, address(from), now);
    } finally {
      b.pop();
    }
    rearm();
  }

  private Buffers buffers() {
    Buffers b = buffers;
    if (b == null) {
      // Called before onStart (a test driving the adapter by hand): buffers of its own.
      b = new Buffers();
      buffers = b;
    }
    return b;
  }

  @Override
  public void onTimer(SimSocket s, long nowNanos) {
    engine.onTimer(nowNanos);
    rearm();
  }

  private void rearm() {
    if (socket != null) {
      socket.setTimer(engine.nextDeadlineNanos());
    }
  }

  @Override
  public void send(ByteBuffer datagram, InetSocketAddress to) {
    int len = datagram.remaining();
    long ep = endpoint(to);
    if (datagram.hasArray()) {
      socket.send(ep, datagram.array(), datagram.arrayOffset() + datagram.position(), len);
    } else {
      byte[] scratch = buffers().scratch;
      datagram.get(datagram.position(), scratch, 0, len);
      socket.send(ep, scratch, 0, len);
    }
  }

  @Override
  public void event(PunchEvent event) {
    if (events != null) {
      events.event(event);
    }
  }

  @Override
  public void data(String peerId, ByteBuffer payload, boolean relayed, long nowNanos) {
    if (events != null) {
      events.data(peerId, payload, relayed, nowNanos);
    }
  }

  /** Ways of each cache set: a set's entries are adjacent, so a lookup reads one line or two. */
  private static final int WAYS = 4;

  private InetSocketAddress address(long endpoint) {
    if (endpoint == lastEndpoint) {
      return lastAddress;
    }
    long[] endpoints = this.endpoints;
    InetSocketAddress[] addresses = this.addresses;
    int slots = addresses.length >> 1;
    int ways = Math.min(WAYS, slots);
    int sets = slots / ways;
    // Fibonacci hashing: the product's top log2(sets) bits mix every bit of the endpoint.
    int base = sets == 1 ? 0
        : ways * (int) ((endpoint * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(sets)));
    InetSocketAddress a = null;
    for (int w = base; w < base + ways; w++) {
      if (endpoints[w] == endpoint) {
        a = addresses[w];
        break;
      }
    }
    if (a == null) {
      a = Endpoints.toSocketAddress(endpoint);
      insert(endpoints, addresses, base, ways, endpoint, a);
    }
    lastEndpoint = endpoint;
    lastAddress = a;
    return a;
  }

  private long endpoint(InetSocketAddress a) {
    if (a == lastAddress) {
      return lastEndpoint;
    }
    long[] endpoints = this.endpoints;
    InetSocketAddress[] addresses = this.addresses;
    int slots = addresses.length >> 1;
    int ways = Math.min(WAYS, slots);
    int base = slots + ways * (System.identityHashCode(a) & (slots / ways - 1));
    for (int w = base; w < base + ways; w++) {
      if (addresses[w] == a) {
        long e = endpoints[w];
        lastEndpoint = e;
        lastAddress = a;
        return e;
      }
    }
    long e = Endpoints.of(a);
    insert(endpoints, addresses, base, ways, e, a);
    lastEndpoint = e;
    lastAddress = a;
    return e;
  }

  /** Puts a pair first in its set, moving the others down one way and dropping the last. */
  private static void insert(long[] endpoints, InetSocketAddress[] addresses, int base, int ways,
      long e, InetSocketAddress a) {
    for (int w = base + ways - 1; w > base; w--) {
      endpoints[w] = endpoints[w - 1];
      addresses[w] = addresses[w - 1];
    }
    endpoints[base] = e;
    addresses[base] = a;
  }
}

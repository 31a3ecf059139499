package org.netbelief.punch.sim;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.netbelief.punch.Engine;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.sim.internal.PacketPool;
import org.netbelief.punch.sim.internal.PairMap;

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
 * converted once per distinct endpoint and cached, and datagrams are copied into reused buffers,
 * so the adapter allocates nothing per packet in the steady state. The engine's
 * {@code InetSocketAddress}es are simulated addresses: nothing is resolved or opened.
 */
public final class EngineApplication implements SimApplication, EngineSink {
  /** Something to run against the engine at the current virtual time. */
  @FunctionalInterface
  public interface Starter {
    /** Runs at {@code nowNanos}. */
    void start(long nowNanos);
  }

  private final EngineSink events;
  private final ByteBuffer in = ByteBuffer.allocate(PacketPool.MAX_PAYLOAD);
  private final byte[] scratch = new byte[PacketPool.MAX_PAYLOAD];
  private final PairMap toAddressIndex = new PairMap(16); // (endpoint, 0) -> index
  private final List<InetSocketAddress> addresses = new ArrayList<>();
  private final Map<InetSocketAddress, Long> toEndpoint = new HashMap<>();
  private Engine engine;
  private Starter starter;
  private SimSocket socket;

  /**
   * Creates an adapter that hands the engine's events and data to {@code events} (whose
   * {@code send} is never called); null to drop them.
   */
  public EngineApplication(EngineSink events) {
    this.events = events;
  }

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
    if (starter != null) {
      starter.start(nowNanos);
    }
    rearm();
  }

  @Override
  public void onDatagram(SimSocket s, byte[] data, int offset, int length, long from, long now) {
    in.clear();
    in.put(data, offset, length);
    in.flip();
    engine.onDatagram(in, address(from), now);
    rearm();
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

  private InetSocketAddress address(long endpoint) {
    long idx = toAddressIndex.get(endpoint, 0);
    if (idx != PairMap.MISSING) {
      return addresses.get((int) idx);
    }
    InetSocketAddress a = Endpoints.toSocketAddress(endpoint);
    toAddressIndex.put(endpoint, 0, addresses.size());
    addresses.add(a);
    toEndpoint.put(a, endpoint);
    return a;
  }

  private long endpoint(InetSocketAddress a) {
    Long ep = toEndpoint.get(a);
    if (ep != null) {
      return ep;
    }
    long e = Endpoints.of(a);
    toEndpoint.put(a, e);
    return e;
  }
}

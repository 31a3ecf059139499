package org.netbelief.punch.sim;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.RendezvousEngine;
import org.netbelief.punch.wire.Frame;

/**
 * The simulated rendezvous's two alternate sockets for NAT behaviour discovery: the primary
 * address at {@link Population#RENDEZVOUS_ALT_PORT} and a second host at {@link
 * Population#RENDEZVOUS_ALT_ADDRESS}. It is the rendezvous engine's sink: sends from socket 0 go
 * through the primary {@link EngineApplication}, the others through the alternate sockets, so
 * discovery packets cross the emulated NATs, links and loss like all others.
 *
 * <pre>{@code
 * EngineApplication rvApp = new EngineApplication(null);
 * RendezvousAlternates alt = new RendezvousAlternates(rvApp);
 * RendezvousEngine rv = new RendezvousEngine(alt, random, alt.altPort(), alt.altAddress());
 * rvApp.attach(rv, null);
 * alt.bind(network, population, rv);
 * }</pre>
 *
 * <p>Discovery is a handful of packets per peer, so the alternates convert addresses without the
 * primary adapter's caches.
 */
final class RendezvousAlternates implements EngineSink {
  private final EngineApplication primary;
  private final Alternate[] sockets = new Alternate[3];
  private final byte[] scratch = new byte[Frame.MAX_DATAGRAM];

  RendezvousAlternates(EngineApplication primary) {
    this.primary = primary;
  }

  /** The alternate-port endpoint as peers reach it. */
  InetSocketAddress altPort() {
    return Endpoints.toSocketAddress(Population.RENDEZVOUS_ALT_PORT);
  }

  /** The alternate-address endpoint as peers reach it. */
  InetSocketAddress altAddress() {
    return Endpoints.toSocketAddress(Population.RENDEZVOUS_ALT_ADDRESS);
  }

  /** Binds the two alternate sockets; the engine is the one this sink serves. */
  void bind(SimNetwork network, Population population, RendezvousEngine engine) {
    bind(network, population.rendezvousHost(), population.rendezvousAltHost(), engine);
  }

  /**
   * Binds the alternate-port socket on {@code primaryHost} (whose address is {@link
   * Population#RENDEZVOUS}'s) and the alternate-address socket on {@code altHost} (at {@link
   * Population#RENDEZVOUS_ALT_ADDRESS}'s address).
   */
  void bind(SimNetwork network, int primaryHost, int altHost, RendezvousEngine engine) {
    sockets[Frame.SOCKET_ALT_PORT] = new Alternate(engine, Frame.SOCKET_ALT_PORT);
    sockets[Frame.SOCKET_ALT_ADDRESS] = new Alternate(engine, Frame.SOCKET_ALT_ADDRESS);
    network.bind(primaryHost, Endpoints.port(Population.RENDEZVOUS_ALT_PORT),
        sockets[Frame.SOCKET_ALT_PORT]);
    network.bind(altHost, Endpoints.port(Population.RENDEZVOUS_ALT_ADDRESS),
        sockets[Frame.SOCKET_ALT_ADDRESS]);
  }

  @Override
  public void send(ByteBuffer datagram, InetSocketAddress to) {
    primary.send(datagram, to);
  }

  @Override
  public void send(ByteBuffer datagram, InetSocketAddress to, int fromSocket) {
    Alternate a = fromSocket == Frame.SOCKET_PRIMARY ? null : sockets[fromSocket];
    if (a == null || a.socket == null) {
      primary.send(datagram, to);
      return;
    }
    int len = datagram.remaining();
    datagram.get(datagram.position(), scratch, 0, len);
    a.socket.send(Endpoints.of(to), scratch, 0, len);
  }

  @Override
  public void event(PunchEvent event) {
    primary.event(event);
  }

  /** One alternate socket: its datagrams go to the engine with its socket index. */
  private final class Alternate implements SimApplication {
    private final RendezvousEngine engine;
    private final int index;
    private final ByteBuffer in = ByteBuffer.allocate(Frame.MAX_DATAGRAM);
    SimSocket socket;

    Alternate(RendezvousEngine engine, int index) {
      this.engine = engine;
      this.index = index;
    }

    @Override
    public void onStart(SimSocket s, long nowNanos) {
      socket = s;
    }

    @Override
    public void onDatagram(SimSocket s, byte[] data, int offset, int length, long from, long now) {
      if (length > in.capacity()) {
        return; // oversized: the engine would drop it too
      }
      in.clear();
      in.put(data, offset, length);
      in.flip();
      InetSocketAddress source = Endpoints.toSocketAddress(from);
      // Through the primary adapter so its timer is re-armed after the engine ran.
      primary.call(now, () -> engine.onDatagram(in, source, index, now));
    }

    @Override
    public void onTimer(SimSocket s, long nowNanos) {
      // the engine's timers run on the primary socket
    }
  }
}

package org.netbelief.punch;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Where an engine puts its output. The driver implements it: datagrams go to the socket (or the
 * simulated network), events to the application.
 *
 * <p>Buffers passed to {@link #send} and {@link #data} are valid only during the call (an engine
 * builds them in its own arrays or, as {@link PeerEngine} does, in buffers of its thread that
 * the next datagram overwrites): copy what you keep. Calls come from the engine's thread, from
 * inside {@code onDatagram}, {@code onTimer}, {@code connect} or {@code send}.
 */
public interface EngineSink {
    /**
     * Send a datagram.
     *
     * @param datagram the bytes between position and limit
     * @param to destination
     */
    void send(ByteBuffer datagram, InetSocketAddress to);

    /**
     * Send a datagram from one of the engine's local sockets. Only a rendezvous with alternate
     * endpoints (NAT behaviour discovery, {@link RendezvousEngine}) uses a socket other than 0;
     * a driver with several sockets overrides this. The default sends from the only socket.
     *
     * @param datagram the bytes between position and limit
     * @param to destination
     * @param fromSocket {@code Frame.SOCKET_PRIMARY}, {@code SOCKET_ALT_PORT} or {@code
     *     SOCKET_ALT_ADDRESS}
     */
    default void send(ByteBuffer datagram, InetSocketAddress to, int fromSocket) {
        send(datagram, to);
    }

    /**
     * A control event happened (registered, introduced, established, lost, relayed, closed...).
     *
     * @param event the event
     */
    void event(PunchEvent event);

    /**
     * Application data arrived on an authenticated session.
     *
     * @param peerId the sender's id (32 hex characters)
     * @param payload the payload between position and limit
     * @param relayed true when it came through the rendezvous relay
     * @param nowNanos time
     */
    default void data(String peerId, ByteBuffer payload, boolean relayed, long nowNanos) {}
}

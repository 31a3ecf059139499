package org.netbelief.punch;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.netbelief.punch.wire.DropReason;

/**
 * A sans-I/O protocol engine: it never reads a clock or touches a socket. A driver feeds it
 * datagrams and timer expiries with the current time; it answers through its {@link EngineSink}.
 *
 * <pre>{@code
 * engine.onDatagram(buf, from, now);               // for every received datagram
 * if (now >= engine.nextDeadlineNanos()) engine.onTimer(now);
 * }</pre>
 *
 * <p>Single-threaded: all calls from one thread. Bad datagrams are counted per {@link DropReason}
 * and never throw.
 */
public interface Engine {
    /**
     * Processes one received datagram.
     *
     * <p>The engine may read the bytes in place rather than copying them (the peer engine does
     * for heap buffers): the caller keeps them unchanged until the call returns, including while
     * the engine's own sends run (a driver that delivers nested datagrams gives each nesting
     * level its own buffer, as the simulator's adapter does).
     *
     * @param datagram bytes between position and limit (not consumed; any buffer kind)
     * @param from source endpoint
     * @param nowNanos monotonic time
     */
    void onDatagram(ByteBuffer datagram, InetSocketAddress from, long nowNanos);

    /**
     * Runs due timers (retries, keepalives, expiries). Calling it early is harmless.
     *
     * @param nowNanos monotonic time
     */
    void onTimer(long nowNanos);

    /**
     * When {@link #onTimer} should run next; may be earlier than needed, never later.
     *
     * @return monotonic nanoseconds, or {@link Long#MAX_VALUE} when nothing is pending
     */
    long nextDeadlineNanos();

    /**
     * Datagrams dropped for one reason so far.
     *
     * @param reason the reason
     * @return the count
     */
    long drops(DropReason reason);

    /** @return all datagrams dropped so far */
    long totalDrops();
}

package org.netbelief.punch.sim;

/**
 * Code that runs on a simulated host behind a {@link SimSocket}: the shape of a sans-I/O engine's
 * driver. The simulator calls it on its single thread, always with the current virtual time.
 *
 * <p>An adapter for a sans-I/O engine with {@code onDatagram(bytes, from, now)},
 * {@code onTimer(now)} and an output queue of datagrams plus a next deadline is a few lines: feed
 * the call through, then drain the engine's datagrams into {@link SimSocket#send} and its deadline
 * into {@link SimSocket#setTimer}.
 *
 * <pre>{@code
 * SimApplication echo = new SimApplication() {
 *   public void onStart(SimSocket s, long now) {}
 *   public void onDatagram(SimSocket s, byte[] d, int off, int len, long from, long now) {
 *     s.send(from, d, off, len);
 *   }
 *   public void onTimer(SimSocket s, long now) {}
 * };
 * }</pre>
 */
public interface SimApplication {
  /** Called once, at the virtual time the socket was bound. */
  void onStart(SimSocket socket, long nowNanos);

  /**
   * A datagram arrived. The bytes {@code data[offset .. offset+length)} are valid only during the
   * call (the buffer is reused for later packets): copy what must be kept.
   *
   * @param fromEndpoint the source as seen by this host, packed by {@link Endpoints}
   */
  void onDatagram(
      SimSocket socket, byte[] data, int offset, int length, long fromEndpoint, long nowNanos);

  /** The deadline set with {@link SimSocket#setTimer} has come. */
  void onTimer(SimSocket socket, long nowNanos);
}

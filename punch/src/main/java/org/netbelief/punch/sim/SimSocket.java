package org.netbelief.punch.sim;

/**
 * A bound UDP port on a simulated host: what a {@link SimApplication} sends through and sets its
 * timer on. Obtained from {@link SimNetwork#bind}.
 */
public interface SimSocket {
  /** This socket's endpoint in its host's own realm (a private address behind a NAT). */
  long localEndpoint();

  /** The id of the host the socket belongs to. */
  int host();

  /**
   * Sends a datagram now. The bytes are copied before the call returns.
   *
   * @throws IllegalArgumentException when {@code length} is negative or above 1500 bytes
   */
  void send(long toEndpoint, byte[] data, int offset, int length);

  /**
   * Arms the socket's single timer for {@code deadlineNanos} (a deadline in the past fires at
   * once), replacing any earlier deadline; {@link Long#MAX_VALUE} disarms it.
   */
  void setTimer(long deadlineNanos);

  /** The armed deadline, or {@link Long#MAX_VALUE} when none. */
  long timerDeadline();
}

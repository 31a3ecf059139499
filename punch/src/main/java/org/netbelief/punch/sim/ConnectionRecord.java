package org.netbelief.punch.sim;

/**
 * What happened to one connection request under one policy: the raw material of the report.
 * A policy driver creates it with {@link ConnectionLog#open} when the request is made and fills it
 * in as events happen; times are virtual nanoseconds, -1 when the event did not happen.
 *
 * <p>Definitions used by {@link ReportWriter}: a connection is <em>carried</em> from the first of
 * {@link #directAt} and {@link #relayAt} until {@link #endedAt} (or the end of the run); it is
 * <em>direct</em> from {@link #directAt}. Time to connect is {@code directAt - requestedAt}.
 *
 * <p>Not thread-safe: filled from the simulator's single thread.
 */
public final class ConnectionRecord {
  private final int id;
  private final int initiator;
  private final int target;
  private final long requestedAt;
  private final boolean oraclePunchable;
  private long directAt = -1;
  private long relayAt = -1;
  private long gaveUpAt = -1;
  private long endedAt = -1;
  private long packets;
  private long keepalives;
  private long holesLost;
  private int attempts;
  private double predictedProbability = Double.NaN;
  private double oracleProbability = Double.NaN;

  ConnectionRecord(int id, int initiator, int target, long requestedAt, boolean oraclePunchable) {
    this.id = id;
    this.initiator = initiator;
    this.target = target;
    this.requestedAt = requestedAt;
    this.oraclePunchable = oraclePunchable;
  }

  /** Sequence number within its policy's log. */
  public int id() {
    return id;
  }

  /** Peer index of the side that asked. */
  public int initiator() {
    return initiator;
  }

  /** Peer index of the other side. */
  public int target() {
    return target;
  }

  /** When the connection was requested. */
  public long requestedAt() {
    return requestedAt;
  }

  /** Ground truth: whether the two NATs allow a direct path at all. */
  public boolean oraclePunchable() {
    return oraclePunchable;
  }

  /** When the direct path was first confirmed, or -1. */
  public long directAt() {
    return directAt;
  }

  /** When the relay first carried the connection, or -1. */
  public long relayAt() {
    return relayAt;
  }

  /** When the policy gave up punching, or -1. */
  public long gaveUpAt() {
    return gaveUpAt;
  }

  /** When the connection was closed, or -1 (still open at the end of the run). */
  public long endedAt() {
    return endedAt;
  }

  /** Packets the policy sent for this connection (punching, keepalives, acks). */
  public long packets() {
    return packets;
  }

  /** Of those, keepalives. */
  public long keepalives() {
    return keepalives;
  }

  /** Times an open direct path was found lost (its hole closed or the path broke). */
  public long holesLost() {
    return holesLost;
  }

  /** Punching attempts made (1 when the first attempt succeeded). */
  public int attempts() {
    return attempts;
  }

  /** The policy's belief, at request time, that a direct path would work; NaN if none. */
  public double predictedProbability() {
    return predictedProbability;
  }

  /** The oracle's probability for the same; NaN if none. */
  public double oracleProbability() {
    return oracleProbability;
  }

  /** Records the first direct confirmation (later calls are ignored). */
  public void direct(long nowNanos) {
    if (directAt < 0) {
      directAt = nowNanos;
    }
  }

  /** Records the first time the relay carried traffic (later calls are ignored). */
  public void relay(long nowNanos) {
    if (relayAt < 0) {
      relayAt = nowNanos;
    }
  }

  /** Records giving up on punching (later calls are ignored). */
  public void gaveUp(long nowNanos) {
    if (gaveUpAt < 0) {
      gaveUpAt = nowNanos;
    }
  }

  /** Records the close (later calls are ignored). */
  public void ended(long nowNanos) {
    if (endedAt < 0) {
      endedAt = nowNanos;
    }
  }

  /** Counts {@code n} packets sent. */
  public void addPackets(long n) {
    packets += n;
  }

  /** Counts one keepalive (also a packet). */
  public void addKeepalive() {
    keepalives++;
    packets++;
  }

  /** Counts one lost hole. */
  public void addHoleLost() {
    holesLost++;
  }

  /** Counts one punching attempt. */
  public void addAttempt() {
    attempts++;
  }

  /** Sets the policy's predicted probability of direct success, in [0, 1]. */
  public void predicted(double p) {
    this.predictedProbability = checkProbability("predicted", p);
  }

  /** Sets the oracle's probability of direct success, in [0, 1]. */
  public void oracle(double p) {
    this.oracleProbability = checkProbability("oracle", p);
  }

  private static double checkProbability(String what, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(what + " probability must be in [0, 1], was " + p);
    }
    return p;
  }
}

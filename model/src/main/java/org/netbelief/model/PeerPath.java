package org.netbelief.model;

import java.util.Map;

/**
 * One path from this host to a peer, as the feature keys of every factor's chain. Made by {@link
 * ReachabilityModel#path(Map)} once per path (it allocates; the updates that take it do not).
 *
 * <p>Besides the keys, a path carries one mutable time: when the peer was last told to punch
 * toward us, or the last time a packet passed ({@link #openedAt(long)}); the {@link
 * Factor#OPENED} belief decays with the silence since then through the model's {@link
 * HoleSurvival} curve. Thread-safe (the time is a volatile field).
 */
public final class PeerPath {
  /** The value of {@link #openedAtNanos()} before any call to {@link #openedAt(long)}. */
  public static final long NEVER = Long.MIN_VALUE;

  private final long[][] keys;
  private final Map<String, String> tokens;
  private volatile long openedAtNanos = NEVER;
  private volatile Object attachment;

  PeerPath(long[][] keys, Map<String, String> tokens) {
    this.keys = keys;
    this.tokens = tokens;
  }

  /** The keys of {@code factor}'s chain, general first (the array is shared: do not modify). */
  long[] keys(Factor factor) {
    return keys[factor.ordinal()];
  }

  /** The feature tokens this path was made from, by level name. */
  public Map<String, String> tokens() {
    return tokens;
  }

  /**
   * Records that at {@code nowNanos} the peer was told to punch toward us (or a packet from the
   * peer just passed): the OPENED factor counts its silence from here.
   */
  public void openedAt(long nowNanos) {
    this.openedAtNanos = nowNanos;
  }

  /** The time given to {@link #openedAt(long)} last, or {@link #NEVER}. */
  public long openedAtNanos() {
    return openedAtNanos;
  }

  /**
   * Attaches a caller's object to this path, for example the peer NAT's survival feature keys
   * that {@link HoleSurvival#learned(SurvivalModel)} reads. Replaces any previous attachment.
   */
  public void attach(Object attachment) {
    this.attachment = attachment;
  }

  /** The object given to {@link #attach(Object)} last, or null. */
  public Object attachment() {
    return attachment;
  }

  @Override
  public String toString() {
    return "PeerPath" + tokens;
  }
}

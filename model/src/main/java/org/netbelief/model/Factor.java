package org.netbelief.model;

/**
 * The four things that must all hold for an introduction attempt from us to a peer to succeed.
 * Each is a separate belief with its own evidence table, feature chain and half-life in a {@link
 * ReachabilityModel}.
 */
public enum Factor {
  /** Our packets get into the network at all. Shared by every path of this host. */
  UPLINK,
  /** The network delivers our packets to the peer. */
  DOWNLINK,
  /**
   * The peer has opened its firewall toward us. Decays with the time since the peer was told to
   * punch (see {@link HoleSurvival}).
   */
  OPENED,
  /** The peer's NAT lets a punched hole work for us at all. */
  OPENABLE;

  private static final Factor[] VALUES = values();

  /** The number of factors (4). */
  public static final int COUNT = VALUES.length;

  /** The factor with the given ordinal, without allocating. */
  static Factor of(int ordinal) {
    return VALUES[ordinal];
  }
}

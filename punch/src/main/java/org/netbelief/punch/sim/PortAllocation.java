package org.netbelief.punch.sim;

/** How a NAT picks the external port of a new mapping (RFC 4787 section 4.2). */
public enum PortAllocation {
  /** Keep the internal port when it is free; otherwise fall back to {@link #SEQUENTIAL}. */
  PRESERVING,
  /** The next free port after the previous allocation (wrapping within 1024..65535). */
  SEQUENTIAL,
  /** A uniformly random free port in 1024..65535 from the simulation's seeded source. */
  RANDOM
}

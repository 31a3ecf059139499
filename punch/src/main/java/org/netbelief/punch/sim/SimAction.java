package org.netbelief.punch.sim;

/** Something scheduled with {@link SimNetwork#at} to happen at a virtual time. */
@FunctionalInterface
public interface SimAction {
  /** Runs the action at virtual time {@code nowNanos}. */
  void run(long nowNanos);
}

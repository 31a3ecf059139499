/**
 * A deterministic discrete-event network simulator with RFC 4787 NATs, for testing and
 * evaluating hole punching in virtual time.
 *
 * <p>Start with {@link org.netbelief.punch.sim.SimNetwork}: add NATs and hosts, bind a
 * {@link org.netbelief.punch.sim.SimApplication} to a port, and run. Scenarios
 * ({@link org.netbelief.punch.sim.Scenario}) describe whole populations; the ground truth an
 * oracle needs is in {@link org.netbelief.punch.sim.GroundTruth} and
 * {@link org.netbelief.punch.sim.SimNetwork#holeRemainingNanos}. Nothing here touches a real
 * socket or clock: addresses are labels, time is an argument.
 */
package org.netbelief.punch.sim;

package org.netbelief.punch.sim.internal;

import org.netbelief.punch.sim.ConnectionLog;
import org.netbelief.punch.sim.EnginePolicy;
import org.netbelief.punch.sim.IceLikePolicy;
import org.netbelief.punch.sim.MeshLikePolicy;
import org.netbelief.punch.sim.NetworkStats;
import org.netbelief.punch.sim.OraclePolicy;
import org.netbelief.punch.sim.PolicySummary;
import org.netbelief.punch.sim.Scenario;
import org.netbelief.punch.sim.ScenarioLoader;
import org.netbelief.punch.sim.Simulate;
import org.netbelief.punch.sim.Simulation;

/**
 * Measures one policy's run over the default scenario resized:
 * {@code SpeedRun [peers] [seconds] [netbelief|ice-like|mesh-like|oracle]} prints the wall time,
 * the run thread's CPU time, the events and the policy's direct success rate.
 */
public final class SpeedRun {
  private SpeedRun() {}

  /** Entry point. */
  public static void main(String[] args) {
    int peers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3600;
    String policy = args.length > 2 ? args[2] : "netbelief";
    Scenario s = ScenarioLoader.parse(
        "{\"peers\": " + peers + ", \"durationSeconds\": " + seconds + "}", "args", false);
    EnginePolicy p;
    switch (policy) {
      case "ice-like":
        p = new EnginePolicy(policy, (i, pop, net, ids) -> new IceLikePolicy());
        break;
      case "mesh-like":
        p = new EnginePolicy(policy, (i, pop, net, ids) -> new MeshLikePolicy());
        break;
      case "oracle":
        p = new EnginePolicy(policy, (i, pop, net, ids) -> new OraclePolicy(i, pop, net, ids));
        break;
      case "netbelief":
        p = new EnginePolicy(policy, Simulate.defaultNetbelief());
        break;
      default:
        throw new IllegalArgumentException(
            "policy must be netbelief, ice-like, mesh-like or oracle, was " + policy);
    }
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    ConnectionLog log = new ConnectionLog();
    NetworkStats st = Simulation.run(s, p, log, (name, f, stats) ->
        System.err.printf("%s %.0f%% %.1f s%n", name, 100 * f, (System.nanoTime() - t0) / 1e9));
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
    PolicySummary sum = PolicySummary.of(log.records(p.name()), Simulation.endNanos(s));
    System.out.printf("policy=%s peers=%d virtualSeconds=%.0f requests=%d events=%d packets=%d"
        + " directSuccessRate=%.4f wallSeconds=%.2f threadCpuSeconds=%.2f%n", p.name(), peers,
        seconds, sum.attempts(), st.events(), st.sent(), sum.directSuccessRate(), wall, cpu);
  }
}

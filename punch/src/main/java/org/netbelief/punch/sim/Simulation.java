package org.netbelief.punch.sim;

import java.util.List;

/**
 * Runs a scenario under one or more {@link Policy}s.
 *
 * <p>Each policy gets a fresh {@link SimNetwork} seeded with the scenario's seed, the same
 * {@link Population} and the same {@link ScenarioSchedule}: identical NATs, links, connection
 * requests, outages and rebindings, so figures compare as ratios. Records go into one
 * {@link ConnectionLog}, under each policy's name.
 *
 * <pre>{@code
 * ConnectionLog log = new ConnectionLog();
 * for (Policy p : List.of(netbelief, iceLike, meshLike, oracle)) {
 *   Simulation.run(scenario, p, log, null);
 * }
 * ReportWriter.write(out, scenario, log, Simulation.endNanos(scenario), Map.of(), force);
 * }</pre>
 */
public final class Simulation {
  private Simulation() {}

  /** Told how far a run has come, about every 5 % of its virtual duration. */
  @FunctionalInterface
  public interface Progress {
    /** {@code fraction} of the virtual duration is done. */
    void at(String policy, double fraction, NetworkStats stats);
  }

  /** The virtual end time of a scenario's runs. */
  public static long endNanos(Scenario s) {
    return Math.round(s.durationSeconds() * 1e9);
  }

  /**
   * Runs {@code scenario} under {@code policy} to its end, recording into {@code log}.
   *
   * @param progress told about every 5 % of the virtual duration; may be null
   * @return the network counters at the end
   */
  public static NetworkStats run(
      Scenario scenario, Policy policy, ConnectionLog log, Progress progress) {
    SimNetwork net = new SimNetwork(scenario.seed());
    Population pop = Population.build(scenario, net);
    ScenarioSchedule schedule = ScenarioSchedule.generate(pop);
    schedule.applyTo(net, pop);
    String name = policy.name();
    log.declare(name);
    policy.setUp(net, pop);
    List<ScenarioSchedule.ConnectionRequest> requests = schedule.connections();
    for (ScenarioSchedule.ConnectionRequest c : requests) {
      net.at(c.atNanos(), now -> {
        ConnectionRecord r = log.open(
            name, c.initiator(), c.target(), now, pop.canPunch(c.initiator(), c.target()));
        policy.connect(c, r, now);
        net.at(now + c.holdNanos(), t -> {
          r.ended(t);
          policy.close(c, r, t);
        });
      });
    }
    long end = endNanos(scenario);
    if (progress != null) {
      for (int k = 1; k <= 20; k++) {
        double f = k / 20.0;
        net.at(Math.round(end * f), now -> progress.at(name, f, net.stats()));
      }
    }
    net.runUntil(end);
    return net.stats();
  }
}

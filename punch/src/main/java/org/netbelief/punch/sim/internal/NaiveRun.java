package org.netbelief.punch.sim.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.netbelief.punch.sim.ConnectionLog;
import org.netbelief.punch.sim.ConnectionRecord;
import org.netbelief.punch.sim.Endpoints;
import org.netbelief.punch.sim.NetworkStats;
import org.netbelief.punch.sim.Policy;
import org.netbelief.punch.sim.Population;
import org.netbelief.punch.sim.ReportWriter;
import org.netbelief.punch.sim.Scenario;
import org.netbelief.punch.sim.ScenarioLoader;
import org.netbelief.punch.sim.ScenarioSchedule;
import org.netbelief.punch.sim.SimNetwork;
import org.netbelief.punch.sim.Simulation;

/**
 * {@link NaivePuncher} as a {@link Policy} ({@code "naive"}): a stand-in that exercises the
 * whole simulator — population, schedule, outages, rebindings, records, report — and the
 * template for wiring the real engine in the same way.
 *
 * <p>Measure the simulator's speed with (after {@code ./mvnw -pl punch -am install -DskipTests}
 * and {@code ./mvnw -pl punch dependency:build-classpath -Dmdep.outputFile=cp.txt}):
 *
 * <pre>
 * java -cp "punch/target/classes:$(cat cp.txt)" \
 *     org.netbelief.punch.sim.internal.NaiveRun [peers] [seconds] [out-dir]
 * </pre>
 */
public final class NaiveRun implements Policy {
  /** Policy name in the report. */
  public static final String POLICY = "naive";

  private static final long MS = 1_000_000L;

  private final Map<Long, ConnectionRecord> active = new HashMap<>();
  private NaivePuncher[] punchers;

  /** Result of a run. */
  public record Result(Scenario scenario, ConnectionLog log, NetworkStats stats, long endNanos) {
    /** Extra report figures: the network counters. */
    public Map<String, Number> extra() {
      Map<String, Number> m = new LinkedHashMap<>();
      m.put("packetsSent", stats.sent());
      m.put("packetsDelivered", stats.delivered());
      m.put("packetsDropped", stats.dropped());
      m.put("droppedByFiltering", stats.filtered());
      m.put("droppedExpired", stats.expired());
      m.put("events", stats.events());
      return m;
    }
  }

  /** Runs {@code s} to its end under the naive policy. */
  public static Result run(Scenario s) {
    ConnectionLog log = new ConnectionLog();
    NetworkStats stats = Simulation.run(s, new NaiveRun(), log, null);
    return new Result(s, log, stats, Simulation.endNanos(s));
  }

  @Override
  public String name() {
    return POLICY;
  }

  @Override
  public void setUp(SimNetwork net, Population pop) {
    NaivePuncher.Listener listener = new NaivePuncher.Listener() {
      @Override
      public void established(int self, int peer, long from, long now) {
        ConnectionRecord r = active.get(key(self, peer));
        if (r != null) {
          r.direct(now);
        }
      }

      @Override
      public void gaveUp(int self, int peer, long now) {
        ConnectionRecord r = active.get(key(self, peer));
        if (r != null) {
          r.gaveUp(now);
        }
      }

      @Override
      public void sentToPeer(int self, int peer) {
        ConnectionRecord r = active.get(key(self, peer));
        if (r == null) {
          r = active.get(key(peer, self));
        }
        if (r != null) {
          r.addPackets(1);
        }
      }
    };
    net.bind(pop.rendezvousHost(), Endpoints.port(Population.RENDEZVOUS),
        new NaivePuncher.NaiveRendezvous());
    punchers = new NaivePuncher[pop.size()];
    for (int i = 0; i < pop.size(); i++) {
      punchers[i] = new NaivePuncher(
          i, Population.RENDEZVOUS, 200 * MS, 10, 25_000 * MS, listener);
      net.bind(pop.host(i), 5000, punchers[i]);
    }
  }

  @Override
  public void connect(ScenarioSchedule.ConnectionRequest c, ConnectionRecord r, long now) {
    ConnectionRecord old = active.put(key(c.initiator(), c.target()), r);
    if (old != null) {
      old.ended(now);
    }
    r.addAttempt();
    punchers[c.initiator()].connect(c.target(), now);
  }

  @Override
  public void close(ScenarioSchedule.ConnectionRequest c, ConnectionRecord r, long now) {
    active.remove(key(c.initiator(), c.target()), r);
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  /** {@code NaiveRun [peers] [seconds] [out-dir]}: runs the default scenario resized. */
  public static void main(String[] args) throws IOException {
    int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3600;
    Scenario s = ScenarioLoader.parse(
        "{\"peers\": " + peers + ", \"durationSeconds\": " + seconds + "}", "args", false);
    long t0 = System.nanoTime();
    Result r = run(s);
    long wall = System.nanoTime() - t0;
    if (args.length > 2) {
      ReportWriter.write(Path.of(args[2]), s, r.log(), r.endNanos(), r.extra(), true);
    }
    System.out.print(ReportWriter.summaryCsv(r.log(), r.endNanos()));
    System.out.printf("peers=%d virtualSeconds=%.0f events=%d packets=%d wallSeconds=%.2f%n",
        peers, seconds, r.stats().events(), r.stats().sent(), wall / 1e9);
  }
}

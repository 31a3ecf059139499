package org.netbelief.punch.sim;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.netbelief.model.fit.Calibration;
import org.netbelief.model.fit.ReliabilityBin;
import org.netbelief.punch.belief.BeliefPolicy;
import org.netbelief.punch.config.ModelConfig;
import org.netbelief.punch.internal.HandshakeMemo;
import org.netbelief.punch.report.Plots;
import org.netbelief.punch.trace.TraceWriter;

/**
 * The whole {@code simulate} job: runs a scenario under {@code netbelief}, {@code ice-like},
 * {@code mesh-like} and {@code oracle} (each an {@link EnginePolicy} around the real engines),
 * writes {@code report.json}, {@code summary.csv}, {@code connections.csv} and the plots, and
 * returns the table that the CLI prints.
 *
 * <pre>{@code
 * Simulate.Result r = Simulate.run(scenario, Simulate.defaultNetbelief(), outDir, false, null,
 *     (policy, f, stats) -> System.err.printf("%s %.0f%%%n", policy, 100 * f));
 * System.out.print(r.table());
 * }</pre>
 */
public final class Simulate {
  /** Policy names, in report order. */
  public static final List<String> POLICIES =
      List.of("netbelief", "ice-like", "mesh-like", "oracle");
  /** The reliability diagram of netbelief's predictions. */
  public static final String RELIABILITY_PNG = "reliability.png";
  /** Belief against truth over time for one path through an uplink outage. */
  public static final String BELIEF_PNG = "belief-over-time.png";
  /** Keepalive cost against holes lost, one point per policy. */
  public static final String KEEPALIVE_PNG = "keepalives-vs-holes-lost.png";

  /**
   * The order in which the runs start, as indices into the policy list (netbelief, ice-like,
   * mesh-like, oracle): longest first, so that on two threads the two long runs go in parallel
   * and the two short ones fill in after them. Measured thread CPU at 10 000 peers for an hour
   * (docs/simulation.md, Speed): mesh-like 92 s, netbelief 61 s, ice-like 55 s, oracle 42 s.
   * Started in list order, ice-like then mesh-like ran one after the other on one thread. Only
   * the schedule changes: each run is independent and the logs are joined in list order.
   */
  private static final int[] START_ORDER = {2, 0, 1, 3};

  /** Threads the policies' runs share (the build machine has two cores). */
  public static final int THREADS = 2;

  private Simulate() {}

  /**
   * The outcome of a run.
   *
   * @param log every policy's records
   * @param summaries the figures per policy, in {@link #POLICIES} order
   * @param table the printed table
   * @param watch the netbelief path watched through an outage, or null
   */
  public record Result(ConnectionLog log, Map<String, PolicySummary> summaries, String table,
      EnginePolicy.Watch watch, Map<String, RunTime> runTimes) {}

  /**
   * How long one policy's run took: wall seconds, and CPU seconds of the thread that ran it (-1
   * when the JVM cannot measure thread CPU time). Set-up (engines, registrations) is included;
   * the report and plots, written once for all policies, are not.
   */
  public record RunTime(double wallSeconds, double cpuSeconds) {}

  /** The netbelief policy factory: a fresh {@link BeliefPolicy} with its default priors per peer. */
  public static EnginePolicy.Factory defaultNetbelief() {
    return netbelief(null);
  }

  /**
   * The netbelief policy factory: a fresh {@link BeliefPolicy} per peer, configured with
   * {@code model} (from {@code ModelConfigFiles.load}) when not null.
   */
  public static EnginePolicy.Factory netbelief(ModelConfig model) {
    return (peer, pop, net, ids) -> {
      BeliefPolicy.Builder b = BeliefPolicy.builder();
      if (model != null) {
        b.model(model);
      }
      return b.build();
    };
  }

  /**
   * Runs the four policies and writes the report under {@code out}.
   *
   * @param netbelief makes each peer's netbelief policy
   * @param out output folder (created when missing)
   * @param force replace an existing report
   * @param trace where the netbelief run's path events go, or null
   * @param progress told about every 5 % of each run, or null
   * @throws IllegalArgumentException when {@code out} holds a report and {@code force} is false
   */
  public static Result run(Scenario scenario, EnginePolicy.Factory netbelief, Path out,
      boolean force, TraceWriter trace, Simulation.Progress progress) throws IOException {
    if (!force && Files.exists(out.resolve("report.json"))) {
      throw new IllegalArgumentException(out.resolve("report.json")
          + " exists; pass --force to replace it, or choose another --out folder");
    }
    ConnectionLog log = new ConnectionLog();
    Map<String, Number> extra = new LinkedHashMap<>();
    EnginePolicy nb = new EnginePolicy("netbelief", netbelief).watchOutage();
    if (trace != null) {
      nb.withTrace(trace);
    }
    org.netbelief.punch.crypto.Identity[] shared =
        EnginePolicy.identities(scenario.seed(), scenario.peers());
    List<EnginePolicy> policies = List.of(
        nb,
        new EnginePolicy("ice-like", (i, p, n, ids) -> new IceLikePolicy()),
        new EnginePolicy("mesh-like", (i, p, n, ids) -> new MeshLikePolicy()),
        new EnginePolicy("oracle", (i, p, n, ids) -> new OraclePolicy(i, p, n, ids)));
    // The policies' runs are independent (each its own network, log and engines), so they run
    // on up to two threads; the logs are joined in the fixed policy order afterwards, which
    // keeps the report byte-identical whatever the scheduling.
    if (START_ORDER.length != policies.size()) {
      throw new IllegalStateException("START_ORDER must name every policy run once");
    }
    ConnectionLog[] logs = new ConnectionLog[policies.size()];
    NetworkStats[] stats = new NetworkStats[policies.size()];
    RunTime[] times = new RunTime[policies.size()];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuTimed = threads.isCurrentThreadCpuTimeSupported();
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.max(1, Math.min(THREADS, Runtime.getRuntime().availableProcessors())));
    // The four runs repeat most registration handshakes byte for byte (same seeds, same
    // identities): they share the public-key results, exactly (HandshakeMemo). About 20 % of
    // the baselines' CPU went to registration crypto at 3 000 peers before.
    HandshakeMemo.open(Math.min(1 << 21, 32 * scenario.peers() + 1024));
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int k : START_ORDER) {
        final int kk = k;
        EnginePolicy p = policies.get(k).withIdentities(shared);
        logs[k] = new ConnectionLog();
        jobs.add(pool.submit(() -> {
          long w0 = System.nanoTime();
          long c0 = cpuTimed ? threads.getCurrentThreadCpuTime() : -1;
          HandshakeMemo.join(); // this run's thread only: other threads' crypto never sees it
          try {
            stats[kk] = Simulation.run(scenario, p, logs[kk], progress);
          } finally {
            HandshakeMemo.leave();
          }
          times[kk] = new RunTime((System.nanoTime() - w0) / 1e9,
              cpuTimed && c0 >= 0 ? (threads.getCurrentThreadCpuTime() - c0) / 1e9 : -1);
          return null;
        }));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("simulation interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IllegalStateException("simulation failed", c);
    } finally {
      pool.shutdownNow();
      HandshakeMemo.close();
    }
    Map<String, RunTime> runTimes = new LinkedHashMap<>();
    for (int k = 0; k < policies.size(); k++) {
      runTimes.put(policies.get(k).name(), times[k]);
      log.addAll(logs[k]);
      String name = policies.get(k).name();
      extra.put(name + ".packetsSent", stats[k].sent());
      extra.put(name + ".packetsDropped", stats[k].dropped());
      extra.put(name + ".events", stats[k].events());
      extra.put(name + ".lifetimeProbes", policies.get(k).lifetimeProbes());
    }
    long end = Simulation.endNanos(scenario);
    ReportWriter.write(out, scenario, log, end, extra, true);
    Map<String, PolicySummary> sums = new LinkedHashMap<>();
    for (String p : log.policies()) {
      sums.put(p, PolicySummary.of(log.records(p), end));
    }
    writePlots(out, log, sums, nb.watched());
    return new Result(log, sums, table(sums), nb.watched(), runTimes);
  }

  /** Draws the three PNGs into {@code out}. */
  static void writePlots(Path out, ConnectionLog log, Map<String, PolicySummary> sums,
      EnginePolicy.Watch watch) throws IOException {
    Calibration cal = new Calibration();
    for (ConnectionRecord r : log.records("netbelief")) {
      double p = r.predictedProbability();
      if (p >= 0 && p <= 1) {
        cal.add(p, r.directAt() >= 0);
      }
    }
    List<Plots.ReliabilityBin> bins = new ArrayList<>();
    for (ReliabilityBin b : cal.reliabilityDiagram()) {
      if (b.count() > 0) {
        bins.add(new Plots.ReliabilityBin(b.meanPredicted(), b.observedFrequency(), b.count(),
            b.interval().lower(), b.interval().upper()));
      }
    }
    Plots.reliabilityDiagram(out.resolve(RELIABILITY_PNG),
        "netbelief: P(direct) at introduction vs outcome (n=" + cal.count() + ")", bins);

    if (watch != null) {
      int n = 0;
      for (double b : watch.belief()) {
        if (!Double.isNaN(b)) {
          n++;
        }
      }
      if (n > 1) {
        double[] s = new double[n];
        double[] b = new double[n];
        double[] t = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        int k = 0;
        for (int i = 0; i < watch.belief().length; i++) {
          if (!Double.isNaN(watch.belief()[i])) {
            s[k] = watch.seconds()[i];
            b[k] = watch.belief()[i];
            t[k] = watch.truth()[i];
            lo[k] = watch.lower()[i];
            hi[k] = watch.upper()[i];
            k++;
          }
        }
        Plots.beliefOverTime(out.resolve(BELIEF_PNG), String.format(Locale.ROOT,
            "netbelief: peer %d -> %d, uplink outage %.0f-%.0f s", watch.initiator(),
            watch.target(), watch.outageAtNanos() / 1e9, watch.outageEndNanos() / 1e9),
            s, b, lo, hi, t);
      }
    }

    List<Plots.LabelledPoint> pts = new ArrayList<>();
    for (Map.Entry<String, PolicySummary> e : sums.entrySet()) {
      double x = e.getValue().keepalivesPerConnectionHour();
      double y = e.getValue().holesLostPerConnectionHour();
      if (Double.isFinite(x) && Double.isFinite(y)) {
        pts.add(new Plots.LabelledPoint(e.getKey(), x, y));
      }
    }
    Plots.scatter(out.resolve(KEEPALIVE_PNG), "keepalive cost against holes lost",
        "keepalive packets per connection-hour", "holes lost per connection-hour", pts);
  }

  /** The report as a text table: one row per field, one column per policy. */
  public static String table(Map<String, PolicySummary> sums) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-28s", "figure"));
    for (String p : sums.keySet()) {
      sb.append(String.format(Locale.ROOT, "%12s", p));
    }
    sb.append('\n');
    List<String> fields = PolicySummary.FIELDS;
    for (int f = 0; f < fields.size(); f++) {
      sb.append(String.format(Locale.ROOT, "%-28s", fields.get(f)));
      for (PolicySummary s : sums.values()) {
        double v = s.values()[f];
        sb.append(Double.isNaN(v) ? String.format(Locale.ROOT, "%12s", "-")
            : v == Math.rint(v) && Math.abs(v) < 1e9
                ? String.format(Locale.ROOT, "%12d", (long) v)
                : String.format(Locale.ROOT, "%12.4f", v));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}

package org.netbelief.punch.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's report: {@code report.json} (the scenario, extra figures, and one object per
 * policy under {@code policies} with the fields of {@link PolicySummary}), {@code summary.csv}
 * (one row per policy) and {@code connections.csv} (one row per connection record).
 *
 * <p>Output is deterministic: fixed key order, numbers written by {@link Double#toString} after
 * rounding to 9 significant digits, no timestamps or host names. The same seed therefore gives
 * byte-identical files.
 *
 * <p>An existing report is never silently replaced: {@link #write} refuses a folder that holds
 * one unless {@code force} is set; a missing folder is created.
 */
public final class ReportWriter {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ReportWriter() {}

  /**
   * Writes the three files into {@code outDir}.
   *
   * @param scenario the scenario of the run (embedded in the JSON)
   * @param log the connection records
   * @param runEndNanos the virtual time the run ended
   * @param extra additional top-level figures (e.g. network counters), written in map order
   * @param force whether to replace an existing report
   * @throws IllegalArgumentException when a report exists and {@code force} is false
   */
  public static void write(Path outDir, Scenario scenario, ConnectionLog log, long runEndNanos,
      Map<String, Number> extra, boolean force) throws IOException {
    Path json = outDir.resolve("report.json");
    if (!force && Files.exists(json)) {
      throw new IllegalArgumentException(
          json + " exists; pass --force to replace it, or choose another --out folder");
    }
    Files.createDirectories(outDir);
    Files.writeString(json, toJson(scenario, log, runEndNanos, extra), StandardCharsets.UTF_8);
    Files.writeString(outDir.resolve("summary.csv"), summaryCsv(log, runEndNanos),
        StandardCharsets.UTF_8);
    Files.writeString(outDir.resolve("connections.csv"), connectionsCsv(log),
        StandardCharsets.UTF_8);
  }

  /** The text of {@code report.json}. */
  public static String toJson(
      Scenario scenario, ConnectionLog log, long runEndNanos, Map<String, Number> extra) {
    ObjectNode root = JSON.createObjectNode();
    try {
      root.set("scenario", JSON.readTree(ScenarioLoader.toJson(scenario)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot embed scenario", e);
    }
    root.put("analyticPunchability", round(scenario.analyticPunchability()));
    root.put("virtualSeconds", round(runEndNanos / 1e9));
    ObjectNode ex = root.putObject("extra");
    for (Map.Entry<String, Number> e : extra.entrySet()) {
      Number v = e.getValue();
      if (v instanceof Long || v instanceof Integer) {
        ex.put(e.getKey(), v.longValue());
      } else {
        putDouble(ex, e.getKey(), v.doubleValue());
      }
    }
    ObjectNode policies = root.putObject("policies");
    for (String p : log.policies()) {
      PolicySummary s = PolicySummary.of(log.records(p), runEndNanos);
      ObjectNode o = policies.putObject(p);
      double[] v = s.values();
      o.put(PolicySummary.FIELDS.get(0), s.attempts());
      for (int i = 1; i < v.length; i++) {
        putDouble(o, PolicySummary.FIELDS.get(i), v[i]);
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write report", e);
    }
  }

  /** The text of {@code summary.csv}. */
  public static String summaryCsv(ConnectionLog log, long runEndNanos) {
    StringBuilder sb = new StringBuilder("policy");
    for (String f : PolicySummary.FIELDS) {
      sb.append(',').append(f);
    }
    sb.append('\n');
    for (String p : log.policies()) {
      sb.append(p);
      double[] v = PolicySummary.of(log.records(p), runEndNanos).values();
      sb.append(',').append((long) v[0]);
      for (int i = 1; i < v.length; i++) {
        sb.append(',').append(Double.isNaN(v[i]) ? "" : Double.toString(round(v[i])));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The text of {@code connections.csv}. */
  public static String connectionsCsv(ConnectionLog log) {
    StringBuilder sb = new StringBuilder("policy,id,initiator,target,requestedNanos,"
        + "oraclePunchable,directNanos,relayNanos,gaveUpNanos,endedNanos,attempts,packets,"
        + "keepalives,holesLost,predicted,oracle\n");
    for (String p : log.policies()) {
      List<ConnectionRecord> rs = log.records(p);
      for (ConnectionRecord r : rs) {
        sb.append(p).append(',').append(r.id()).append(',').append(r.initiator()).append(',')
            .append(r.target()).append(',').append(r.requestedAt()).append(',')
            .append(r.oraclePunchable()).append(',').append(r.directAt()).append(',')
            .append(r.relayAt()).append(',').append(r.gaveUpAt()).append(',')
            .append(r.endedAt()).append(',').append(r.attempts()).append(',')
            .append(r.packets()).append(',').append(r.keepalives()).append(',')
            .append(r.holesLost()).append(',')
            .append(Double.isNaN(r.predictedProbability()) ? "" : r.predictedProbability())
            .append(',')
            .append(Double.isNaN(r.oracleProbability()) ? "" : r.oracleProbability())
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static void putDouble(ObjectNode o, String key, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      o.putNull(key);
    } else {
      o.put(key, round(v));
    }
  }

  /** Rounds to 9 significant digits so output does not depend on last-bit noise. */
  static double round(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(9)).doubleValue();
  }
}

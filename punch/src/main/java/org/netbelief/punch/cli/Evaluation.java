package org.netbelief.punch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.netbelief.model.fit.Calibration;
import org.netbelief.model.fit.ReliabilityBin;
import org.netbelief.punch.fit.TraceOutcomes;
import org.netbelief.punch.trace.TraceReader;

/** JSON lines shared by {@code fit} and {@code evaluate}. */
final class Evaluation {
  private Evaluation() {}

  static void printTrace(JsonLines json, TraceOutcomes outcomes) {
    TraceReader.Result r = outcomes.lastResult();
    ObjectNode n = json.object("trace").put("events", r.events()).put("skippedLines", r.skipped())
        .put("outcomes", outcomes.outcomes()).put("unknownPaths", outcomes.unknownPaths());
    ArrayNode problems = n.putArray("problems");
    r.problems().forEach(problems::add);
    json.print(n);
  }

  static void printCalibration(JsonLines json, String model, Calibration c) {
    ObjectNode n = json.object("calibration").put("model", model).put("events", c.count())
        .put("logLoss", c.logLoss()).put("brier", c.brierScore())
        .put("ece", c.expectedCalibrationError());
    ArrayNode bins = n.putArray("bins");
    for (ReliabilityBin b : c.reliabilityDiagram()) {
      if (b.count() > 0) {
        bins.addObject().put("lower", b.lower()).put("upper", b.upper()).put("count", b.count())
            .put("meanPredicted", b.meanPredicted())
            .put("observedFrequency", b.observedFrequency())
            .put("low95", b.interval().lower()).put("high95", b.interval().upper());
      }
    }
    json.print(n);
  }
}

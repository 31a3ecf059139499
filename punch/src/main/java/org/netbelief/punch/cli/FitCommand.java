package org.netbelief.punch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.netbelief.model.fit.HalfLifeSelector;
import org.netbelief.model.fit.PriorFit;
import org.netbelief.punch.config.FactorConfig;
import org.netbelief.punch.config.ModelConfig;
import org.netbelief.punch.config.ModelConfigException;
import org.netbelief.punch.config.ModelConfigFiles;
import org.netbelief.punch.fit.TraceFitting;
import org.netbelief.punch.fit.TraceOutcomes;
import org.netbelief.punch.trace.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "fit", mixinStandardHelpOptions = true,
    description = "Fit a factor's half-life and priors to a trace's intro outcomes and write a"
        + " model file (docs/tuning-priors.md).")
final class FitCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Parameters(index = "0", paramLabel = "TRACE", description = "Trace file (JSON lines).")
  Path trace;

  @Option(names = "--model", paramLabel = "FILE",
      description = "Previous model: its factor is the starting point and what failed fits keep"
          + " (default: built-in defaults).")
  Path model;

  @Option(names = "--factor", paramLabel = "NAME", defaultValue = "OPENED",
      description = "Factor to fit (default: ${DEFAULT-VALUE}).")
  String factor;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "model.json",
      description = "Model file to write (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--strict", description = "Refuse a malformed trace line instead of skipping it.")
  boolean strict;

  @Option(names = "--min-half-life", paramLabel = "SECONDS", defaultValue = "1",
      description = "Shortest half-life tried (default: ${DEFAULT-VALUE}).")
  double minHalfLife;

  @Option(names = "--max-half-life", paramLabel = "SECONDS", defaultValue = "86400",
      description = "Longest half-life tried (default: ${DEFAULT-VALUE}).")
  double maxHalfLife;

  @Option(names = "--grid", paramLabel = "N", defaultValue = "13",
      description = "Half-lives on the one-pass grid (default: ${DEFAULT-VALUE}).")
  int grid;

  @Option(names = "--refine", paramLabel = "N", defaultValue = "8",
      description = "Golden-section replays after the grid, 0 for none (default: ${DEFAULT-VALUE}).")
  int refine;

  @Override
  public Integer call() {
    JsonLines json = new JsonLines(main.out);
    ModelConfig previous;
    FactorConfig start;
    try {
      previous = model == null ? null : ModelConfigFiles.load(model);
      start = previous == null || !previous.factors().containsKey(factor)
          ? TraceFitting.defaultFactor() : previous.factor(factor);
    } catch (ModelConfigException e) {
      main.err.println("netbelief fit: " + e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      main.err.println("netbelief fit: cannot read " + model + ": " + e.getMessage());
      return 1;
    }
    long[] halfLives;
    try {
      halfLives = HalfLifeSelector.logGrid(Math.round(minHalfLife * 1e9),
          Math.round(maxHalfLife * 1e9), grid);
    } catch (IllegalArgumentException e) {
      main.err.println("netbelief fit: bad half-life grid: " + e.getMessage());
      return 2;
    }
    TraceOutcomes outcomes = new TraceOutcomes(trace,
        strict ? TraceReader.Mode.STRICT : TraceReader.Mode.LENIENT);
    TraceFitting.Report report;
    try {
      report = TraceFitting.fit(outcomes, start, halfLives, refine);
    } catch (UncheckedIOException e) {
      main.err.println("netbelief fit: " + e.getCause().getMessage());
      return 1;
    }
    Evaluation.printTrace(json, outcomes);
    double[] ll = report.grid().logLoss();
    long[] hl = report.grid().halfLivesNanos();
    ObjectNode h = json.object("halfLife").put("factor", factor)
        .put("chosenSeconds", report.halfLifeNanos() / 1e9)
        .put("gridBestSeconds", report.grid().bestHalfLifeNanos() / 1e9);
    ObjectNode gridNode = h.putObject("gridLogLoss");
    for (int i = 0; i < hl.length; i++) {
      gridNode.put(String.valueOf(hl[i] / 1e9), ll[i]);
    }
    json.print(h);
    for (int i = 0; i < report.fits().size(); i++) {
      PriorFit f = report.fits().get(i);
      ObjectNode n = json.object("prior").put("factor", factor)
          .put("level", report.fitted().levels().get(i).name())
          .put("converged", f.converged()).put("rows", f.rows()).put("message", f.message());
      if (f.converged()) {
        n.put("mean", f.mean()).put("meanStdError", f.meanStdError())
            .put("strength", f.strength()).put("strengthStdError", f.strengthStdError());
      }
      json.print(n);
    }
    Map<String, FactorConfig> factors = new LinkedHashMap<>();
    if (previous != null) {
      factors.putAll(previous.factors());
    }
    factors.put(factor, report.fitted());
    try {
      ModelConfigFiles.save(new ModelConfig("fitted by netbelief fit from " + trace, factors), out);
    } catch (java.io.IOException e) {
      main.err.println("netbelief fit: cannot write " + out + ": " + e.getMessage());
      return 1;
    }
    json.print(json.object("saved").put("file", out.toString()));
    return 0;
  }
}

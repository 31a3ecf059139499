package org.netbelief.punch.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.netbelief.model.fit.Calibration;
import org.netbelief.punch.config.FactorConfig;
import org.netbelief.punch.config.ModelConfigException;
import org.netbelief.punch.config.ModelConfigFiles;
import org.netbelief.punch.fit.ReliabilityPlot;
import org.netbelief.punch.fit.TraceFitting;
import org.netbelief.punch.fit.TraceOutcomes;
import org.netbelief.punch.trace.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Replay a trace's intro outcomes one step ahead and report log loss, Brier"
        + " score and calibration, for a model file and for the built-in defaults.")
final class EvaluateCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Parameters(index = "0", paramLabel = "TRACE", description = "Trace file (JSON lines).")
  Path trace;

  @Option(names = "--model", paramLabel = "FILE", description = "Model file to evaluate.")
  Path model;

  @Option(names = "--factor", paramLabel = "NAME", defaultValue = "OPENED",
      description = "Factor of the model file to evaluate (default: ${DEFAULT-VALUE}).")
  String factor;

  @Option(names = "--plot", paramLabel = "FILE.png",
      description = "Write the reliability diagram here.")
  Path plot;

  @Option(names = "--bins", paramLabel = "N", defaultValue = "10",
      description = "Reliability bins (default: ${DEFAULT-VALUE}).")
  int bins;

  @Option(names = "--strict", description = "Refuse a malformed trace line instead of skipping it.")
  boolean strict;

  @Override
  public Integer call() {
    JsonLines json = new JsonLines(main.out);
    Map<String, FactorConfig> models = new LinkedHashMap<>();
    try {
      if (model != null) {
        models.put(model.getFileName().toString(), ModelConfigFiles.load(model).factor(factor));
      }
    } catch (ModelConfigException | IllegalArgumentException e) {
      main.err.println("netbelief evaluate: " + e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      main.err.println("netbelief evaluate: cannot read " + model + ": " + e.getMessage());
      return 1;
    }
    models.put("defaults", TraceFitting.defaultFactor());
    TraceOutcomes outcomes = new TraceOutcomes(trace,
        strict ? TraceReader.Mode.STRICT : TraceReader.Mode.LENIENT);
    Map<String, Calibration> results = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, FactorConfig> e : models.entrySet()) {
        results.put(e.getKey(), TraceFitting.evaluate(outcomes, e.getValue(), bins));
      }
    } catch (UncheckedIOException e) {
      main.err.println("netbelief evaluate: " + e.getCause().getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      main.err.println("netbelief evaluate: " + e.getMessage());
      return 2;
    }
    Evaluation.printTrace(json, outcomes);
    results.forEach((name, c) -> Evaluation.printCalibration(json, name, c));
    if (plot != null) {
      try {
        ReliabilityPlot.write(results, "one step ahead: " + trace.getFileName(), plot, 800, 640);
      } catch (java.io.IOException e) {
        main.err.println("netbelief evaluate: cannot write " + plot + ": " + e.getMessage());
        return 1;
      }
      json.print(json.object("plot").put("file", plot.toString()));
    }
    return 0;
  }
}

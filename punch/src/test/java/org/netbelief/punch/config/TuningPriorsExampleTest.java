package org.netbelief.punch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.FeatureKeys;
import org.netbelief.model.Prior;
import org.netbelief.model.fit.Calibration;
import org.netbelief.model.fit.ChainCounts;
import org.netbelief.model.fit.EventReplay;
import org.netbelief.model.fit.EvidenceCsv;
import org.netbelief.model.fit.HalfLifeSelection;
import org.netbelief.model.fit.HalfLifeSelector;
import org.netbelief.model.fit.PriorFit;
import org.netbelief.model.fit.ReliabilityBin;
import org.netbelief.model.internal.SyntheticStream;
import org.netbelief.punch.fit.ReliabilityPlot;

/** Compiles and runs the API walk of docs/tuning-priors.md; keep the two identical. */
class TuningPriorsExampleTest {

  /** A stand-in for a recorded trace: 2 000 endpoints under one global feature. */
  static EventReplay trace(long seed) {
    // Endpoints' success probabilities ~ Beta(mean 0.8, strength 10), each redrawn at a
    // change half-life of 2 hours; 400 000 events 50 ms apart (5.6 hours).
    SyntheticStream endpoints = new SyntheticStream(Prior.of(0.8, 10), 2_000, 400_000,
        50e6, 7_200_000_000_000L, seed);
    long global = FeatureKeys.of("global", "*");
    long[] path = new long[2];
    return sink -> endpoints.replay((keys, success, now) -> {
      path[0] = global;
      path[1] = keys[0];
      sink.accept(path, success, now);
    });
  }

  @Test
  void walk_fromEventsToFittedModelAndEvaluation_fittedBeatsDefaults(@TempDir Path dir)
      throws Exception {
    EventReplay training = trace(1);
    EventReplay heldOut = trace(2);      // new endpoints from the same population
    Path modelFile = dir.resolve("model.json");
    Path csvFile = dir.resolve("opened.csv");
    Path plotFile = dir.resolve("reliability.png");

    // --- walk start
    // 0. The model as configured today: a guess.
    FeatureChain defaults = FeatureChain.builder(Prior.of(0.7, 2))
        .level("global", 2)
        .level("endpoint", 2)
        .build();
    long defaultHalfLife = 600_000_000_000L;                      // 10 minutes

    // 1. Half-life: one pass, 13 candidates from 1 minute to 1 day, scored one step ahead.
    HalfLifeSelector selector = new HalfLifeSelector(defaults,
        HalfLifeSelector.logGrid(60_000_000_000L, 86_400_000_000_000L, 13), 1 << 16, 0);
    training.replay(selector::observe);
    HalfLifeSelection grid = selector.result();
    int best = grid.bestIndex();
    long[] tried = grid.halfLivesNanos();
    HalfLifeSelection refined = HalfLifeSelector.refine(training, defaults,
        tried[Math.max(0, best - 1)], tried[Math.min(tried.length - 1, best + 1)], 8, 1 << 16, 0);
    long halfLife = refined.bestHalfLifeNanos();

    // 2. Priors: per-level counts in one streaming pass, then empirical Bayes per level.
    ChainCounts counts = new ChainCounts(defaults);
    training.replay(counts);
    List<PriorFit> fits = counts.fitLevels();
    for (PriorFit fit : fits) {
      System.out.println(fit);           // a level that cannot be fitted says why
    }

    // 3. Save the fitted model; failed levels keep their previous values.
    FactorConfig opened = FactorConfig.fitted(defaults, fits, halfLife, 1 << 16);
    ModelConfigFiles.save(new ModelConfig("fitted by the tuning-priors walk",
        Map.of("OPENED", opened)), modelFile);

    // 4. Evaluate on held-out events, one step ahead: the fitted model against the defaults.
    FactorConfig loaded = ModelConfigFiles.load(modelFile).factor("OPENED");
    Calibration fitted = evaluate(heldOut, loaded.chain(), loaded.newTable(0));
    Calibration before = evaluate(heldOut, defaults,
        EvidenceTable.builder().halfLifeNanos(defaultHalfLife).maxRows(1 << 16).build());
    System.out.printf("log loss %.4f vs %.4f, Brier %.4f vs %.4f, ECE %.4f vs %.4f%n",
        fitted.logLoss(), before.logLoss(), fitted.brierScore(), before.brierScore(),
        fitted.expectedCalibrationError(), before.expectedCalibrationError());
    for (ReliabilityBin bin : fitted.reliabilityDiagram()) {
      System.out.println(bin);
    }
    Map<String, Calibration> models = new LinkedHashMap<>();
    models.put("fitted", fitted);
    models.put("defaults", before);
    ReliabilityPlot.write(models, "held-out events, one step ahead", plotFile, 800, 640);

    // 5. Export the held-out evidence for pandas or R.
    EvidenceTable table = loaded.newTable(0);
    heldOut.replay((keys, success, now) -> loaded.chain().observe(table, keys, success, now));
    try (Writer w = Files.newBufferedWriter(csvFile)) {
      EvidenceCsv.write(table, loaded.prior(), 20_000_000_000_000L, null, w);
    }
    // --- walk end

    assertThat(plotFile).isNotEmptyFile();
    String docs = System.getProperty("netbelief.docs.img");
    if (docs != null) { // -Dnetbelief.docs.img=$PWD/../docs/img refreshes the picture in the docs
      Files.copy(plotFile, Path.of(docs).resolve("tuning-priors-reliability.png"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(fits.get(0).converged()).isFalse();     // one global row: nothing to fit
    assertThat(fits.get(1).converged()).isTrue();
    assertThat(fits.get(1).mean()).isBetween(0.75, 0.85);
    assertThat(halfLife).isBetween(grid.halfLivesNanos()[0], 86_400_000_000_000L);
    assertThat(fitted.logLoss()).isLessThan(before.logLoss());
    assertThat(fitted.count()).isEqualTo(400_000);
    assertThat(Files.readAllLines(csvFile)).hasSize(2_000 + 1 + 1);  // header, global, rows
    System.out.printf("half-life: grid %.0f s, refined %.0f s, h* %.0f s; fits %s%n",
        grid.bestHalfLifeNanos() / 1e9, halfLife / 1e9,
        new SyntheticStream(Prior.of(0.8, 10), 2_000, 400_000, 50e6, 7_200_000_000_000L, 1)
            .optimalHalfLifeNanos() / 1e9, fits);
    System.out.println(Files.readString(modelFile));
  }

  // --- evaluate start
  /** Replays {@code events} one step ahead: predict, score, then learn. */
  static Calibration evaluate(EventReplay events, FeatureChain chain, EvidenceTable table) {
    Calibration cal = new Calibration();
    double[] scratch = new double[2];
    events.replay((keys, success, now) -> {
      cal.add(chain.predict(table, keys, now, scratch), success);
      chain.observe(table, keys, success, now);
    });
    return cal;
  }
  // --- evaluate end
}

package org.netbelief.punch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbelief.punch.config.ModelConfig;
import org.netbelief.punch.config.ModelConfigFiles;
import org.netbelief.punch.fit.TraceOutcomesTest;

class FitEvaluateCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void fitThenEvaluate_trace_writesModelAndReportsBothModels(@TempDir Path dir)
      throws Exception {
    Path trace = TraceOutcomesTest.writeTrace(dir);
    Path model = dir.resolve("model.json");
    Path png = dir.resolve("reliability.png");

    int fit = run("fit", trace.toString(), "--out", model.toString(), "--grid", "7",
        "--refine", "4", "--max-half-life", "100000");

    assertThat(fit).as(err.toString()).isZero();
    String fitOut = out.toString(StandardCharsets.UTF_8);
    assertThat(fitOut).contains("\"event\":\"trace\"").contains("\"skippedLines\":1")
        .contains("line 6").contains("\"event\":\"halfLife\"")
        .contains("\"level\":\"remoteEndpoint\",\"converged\":true")
        .contains("\"level\":\"global\",\"converged\":false")
        .contains("\"event\":\"saved\"");
    ModelConfig config = ModelConfigFiles.load(model);
    assertThat(config.factor("OPENED").levels()).hasSize(4);
    assertThat(config.factor("OPENED").levels().get(2).strength()).isBetween(6.0, 10.0);

    int eval = run("evaluate", trace.toString(), "--model", model.toString(), "--plot",
        png.toString());

    assertThat(eval).as(err.toString()).isZero();
    String evalOut = out.toString(StandardCharsets.UTF_8);
    assertThat(evalOut).contains("\"model\":\"model.json\"").contains("\"model\":\"defaults\"")
        .contains("\"logLoss\"").contains("\"event\":\"plot\"");
    assertThat(png).isNotEmptyFile();
  }

  @Test
  void fit_strictMalformedLine_exit1WithLineNumber(@TempDir Path dir) throws Exception {
    Path trace = TraceOutcomesTest.writeTrace(dir);
    assertThat(run("fit", trace.toString(), "--strict", "--out",
        dir.resolve("m.json").toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(":6");
    assertThat(dir.resolve("m.json")).doesNotExist();
  }

  @Test
  void evaluate_invalidModelFile_exit2NamingField(@TempDir Path dir) throws Exception {
    Path trace = TraceOutcomesTest.writeTrace(dir);
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\":\"netbelief-model\",\"version\":1,\"factors\":{\"OPENED\":"
        + "{\"halfLifeSeconds\":-5,\"prior\":{\"mean\":0.5,\"strength\":2},"
        + "\"levels\":[{\"name\":\"global\"}]}}}");
    assertThat(run("evaluate", trace.toString(), "--model", bad.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("factors.OPENED.halfLifeSeconds = -5");
  }
}

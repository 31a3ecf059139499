package org.netbelief.punch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netbelief simulate}: defaults, the --out guard, bad scenarios. */
class SimulateCommandTest {
  record Out(int code, String out, String err) {}

  static Out exec(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = Main.execute(args, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  @Test
  void simulate_defaultScenarioSmall_printsTableWritesReportAndRefusesOverwrite(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("missing/out");
    Out r = exec("simulate", "--peers", "30", "--hours", "0.1", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("directSuccessRate", "netbelief", "ice-like", "mesh-like", "oracle");
    assertThat(r.err()).contains("simulate: netbelief");
    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(json.path("scenario").path("peers").asInt()).isEqualTo(30);
    assertThat(json.path("policies").size()).isEqualTo(4);
    assertThat(out.resolve("summary.csv")).exists();

    Out again = exec("simulate", "--peers", "30", "--hours", "0.1", "--out", out.toString());
    assertThat(again.code()).isEqualTo(SimulateCommand.EXIT_BAD_INPUT);
    assertThat(again.err()).contains("report.json exists", "--force");
  }

  @Test
  void simulate_invalidScenario_refusedWithFileLineAndField(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "peers: 20\nuplinkLoss: 1.5\n");
    Out r = exec("simulate", "--scenario", f.toString(), "--out", dir.resolve("o").toString());
    assertThat(r.code()).isEqualTo(SimulateCommand.EXIT_BAD_INPUT);
    assertThat(r.err()).contains("bad.yaml:2:", "uplinkLoss");
    assertThat(dir.resolve("o/report.json")).doesNotExist();
  }
}

package org.netbelief.punch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.Prior;

class ModelConfigFilesTest {
  private static final String VALID = """
      {
        "format": "netbelief-model",
        "version": 1,
        "description": "hand-written",
        "factors": {
          "UPLINK": {
            "halfLifeSeconds": 600,
            "prior": { "mean": 0.95, "strength": 10, "meanStdError": 0.004 },
            "levels": [
              { "name": "global" },
              { "name": "localNetwork", "strength": 4, "strengthStdError": 0.5 }
            ]
          },
          "OPENABLE": {
            "halfLifeSeconds": 86400,
            "maxRows": 4096,
            "prior": { "mean": 0.6, "strength": 2 },
            "levels": [ { "name": "remoteNatClass", "strength": 2 } ]
          }
        }
      }
      """;

  @Test
  void parse_validFile_givesTablesAndChains() throws Exception {
    ModelConfig config = ModelConfigFiles.parse(VALID, "test");
    assertThat(config.factors().keySet()).containsExactly("UPLINK", "OPENABLE");
    FactorConfig uplink = config.factor("UPLINK");
    assertThat(uplink.halfLifeNanos()).isEqualTo(600_000_000_000L);
    assertThat(uplink.maxRows()).isEqualTo(FactorConfig.DEFAULT_MAX_ROWS);
    assertThat(uplink.prior()).isEqualTo(Prior.of(0.95, 10));
    assertThat(uplink.priorMeanStdError()).isEqualTo(0.004);
    assertThat(uplink.priorStrengthStdError()).isNaN();
    FeatureChain chain = uplink.chain();
    assertThat(chain.depth()).isEqualTo(2);
    assertThat(chain.strength(0)).isEqualTo(10);
    assertThat(chain.strength(1)).isEqualTo(4);
    assertThat(config.factor("OPENABLE").newTable(0).maxRows()).isEqualTo(4096);
    assertThat(config.factor("OPENABLE").newTable(0).halfLifeNanos())
        .isEqualTo(86_400_000_000_000L);
    assertThatThrownBy(() -> config.factor("DOWNLINK"))
        .hasMessageContaining("no factor 'DOWNLINK'").hasMessageContaining("UPLINK");
  }

  @Test
  void saveThenLoad_roundTrip_givesEqualConfig(@TempDir Path dir) throws Exception {
    ModelConfig config = ModelConfigFiles.parse(VALID, "test");
    Path file = dir.resolve("model.json");
    ModelConfigFiles.save(config, file);
    ModelConfig back = ModelConfigFiles.load(file);
    assertThat(back).isEqualTo(config);
    // And the text is stable: formatting the reloaded config gives the same bytes.
    assertThat(ModelConfigFiles.format(back)).isEqualTo(Files.readString(file));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void fitted_failedLevelFit_keepsPreviousValue() throws Exception {
    FeatureChain previous = FeatureChain.builder(Prior.of(0.7, 2))
        .level("global", 2).level("endpoint", 4).build();
    var counts = new org.netbelief.model.fit.ChainCounts(previous);
    // Level 0 has one row (cannot be fitted); level 1 has spread between its rows.
    for (int e = 0; e < 200; e++) {
      long[] keys = previous.keys("*", "ep" + e);
      for (int t = 0; t < 10; t++) {
        counts.accept(keys, t < (e % 10), t);
      }
    }
    var fits = counts.fitLevels();
    FactorConfig fc = FactorConfig.fitted(previous, fits, 60_000_000_000L, 1024);
    assertThat(fc.prior()).isEqualTo(Prior.of(0.7, 2));
    assertThat(fc.priorMeanStdError()).isNaN();
    assertThat(fc.levels().get(1).strength()).isEqualTo(fits.get(1).strength());
    assertThat(fc.levels().get(1).strengthStdError()).isPositive();
    Map<String, FactorConfig> m = new LinkedHashMap<>();
    m.put("OPENED", fc);
    ModelConfig config = new ModelConfig("fit", m);
    assertThat(ModelConfigFiles.parse(ModelConfigFiles.format(config), "x")).isEqualTo(config);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "\"mean\": 0.95|\"mean\": 1.5|factors.UPLINK.prior.mean = 1.5: must lie strictly between 0 and 1",
    "\"halfLifeSeconds\": 600|\"halfLifeSeconds\": 0|factors.UPLINK.halfLifeSeconds = 0: must lie in",
    "\"halfLifeSeconds\": 600|\"halfLife\": 600|factors.UPLINK.halfLife = 600: unknown field",
    "\"strength\": 4,|\"strength\": -4,|factors.UPLINK.levels[1].strength = -4: must be > 0",
    "\"strength\": 4,|\"strength\": \"four\",|factors.UPLINK.levels[1].strength = \"four\": must be a finite number",
    "\"version\": 1|\"version\": 2|version = 2: this reader knows version 1 only",
    "\"maxRows\": 4096|\"maxRows\": 0|factors.OPENABLE.maxRows = 0: must be a whole number",
    "{ \"name\": \"global\" }|{ \"name\": \"global\", \"strength\": 3 }|factors.UPLINK.levels[0].strength = 3: level 0 takes the prior's strength",
    "\"name\": \"localNetwork\"|\"name\": \"global\"|factors.UPLINK.levels[1].name = \"global\": repeats",
    "\"meanStdError\": 0.004|\"meanStdError\": -1|factors.UPLINK.prior.meanStdError = -1: a standard error must be >= 0",
    "\"prior\": { \"mean\": 0.6, \"strength\": 2 },|\"prior\": { \"mean\": 0.6 },|factors.OPENABLE.prior.strength = (missing): required",
  })
  void parse_badValue_errorNamesFieldAndValue(String from, String to, String message) {
    String bad = VALID.replace(from, to);
    assertThat(bad).isNotEqualTo(VALID);
    assertThatThrownBy(() -> ModelConfigFiles.parse(bad, "model.json"))
        .isInstanceOf(ModelConfigException.class)
        .hasMessageStartingWith("model.json: ")
        .hasMessageContaining(message);
  }

  @Test
  void parse_malformedJsonOrDuplicateKey_refusedWithLine() {
    assertThatThrownBy(() -> ModelConfigFiles.parse("{\n \"format\": ", "m.json"))
        .isInstanceOf(ModelConfigException.class).hasMessageContaining("not valid JSON")
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> ModelConfigFiles.parse(
        "{\"format\": \"netbelief-model\", \"format\": \"x\"}", "m.json"))
        .isInstanceOf(ModelConfigException.class).hasMessageContaining("Duplicate field");
    assertThatThrownBy(() -> ModelConfigFiles.parse("[]", "m.json"))
        .isInstanceOf(ModelConfigException.class).hasMessageContaining("must be a JSON object");
  }

  @Test
  void load_missingFile_isIoException() {
    assertThatThrownBy(() -> ModelConfigFiles.load(Path.of("/nonexistent/model.json")))
        .isInstanceOf(java.io.IOException.class);
    assertThat(List.of()).isEmpty();
  }
}

package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {
  @TempDir Path dir;

  @Test
  void analyticPunchability_defaultMix_isAboutSeventyPercent() {
    // EIM share e = 0.04 + 0.04 + 0.64 + 0.10 = 0.82 (Ford et al. 2005: 82 % punchable).
    // EIM classes whose filtering is not APD (full and restricted cone): q = 0.08.
    // Non-EIM share s = 0.18, all with APD filtering, so two non-EIM peers never punch.
    // p = e^2 + 2 q s = 0.6724 + 0.0288 = 0.7012.
    double p = Scenario.defaults().analyticPunchability();
    assertThat(p).isCloseTo(0.7012, within(1e-9));
    assertThat(p).isBetween(0.63, 0.77);
  }

  @Test
  void population_randomPairsOfDefaultPopulation_punchableFractionMatchesAnalytic() {
    Scenario s = ScenarioLoader.parse("{\"peers\": 10000}", "inline.json", false);
    Population pop = Population.build(s, new SimNetwork(1));
    SplittableRandom r = new SplittableRandom(99);
    int pairs = 200_000;
    int ok = 0;
    for (int k = 0; k < pairs; k++) {
      int a = r.nextInt(pop.size());
      int b = r.nextInt(pop.size() - 1);
      if (b >= a) {
        b++;
      }
      if (pop.canPunch(a, b)) {
        ok++;
      }
    }
    // Binomial sd over 200 000 pairs: sqrt(0.7 * 0.3 / 200000) = 0.00102; 5 sd = 0.0051. The
    // finite population (exact class counts, distinct pairs) shifts the mean by < 0.001; pairs
    // behind one CGN punch by its hairpinning exactly as pairs behind two CGNs do.
    assertThat((double) ok / pairs).isCloseTo(s.analyticPunchability(), within(0.0062));
  }

  @Test
  void population_defaultMix_classCountsExactAndAddressesDistinct() {
    Scenario s = ScenarioLoader.parse("{\"peers\": 1000}", "inline.json", false);
    SimNetwork net = new SimNetwork(1);
    Population pop = Population.build(s, net);
    int[] counts = new int[s.natMix().size()];
    for (int i = 0; i < pop.size(); i++) {
      counts[pop.natClass(i)]++;
    }
    assertThat(counts).containsExactly(40, 40, 640, 100, 140, 40);
    // The rendezvous and its alternate-address host, 1000 home NATs and hosts, and 100 peers
    // behind CGNs of 50: two CGNs.
    assertThat(net.nodeCount()).isEqualTo(2 + 1000 + 1000 + 2);
  }

  @Test
  void load_exampleYaml_readsEveryField() throws Exception {
    Path f = dir.resolve("example.yaml");
    try (var in = getClass().getResourceAsStream("/scenarios/example.yaml")) {
      Files.copy(in, f);
    }
    Scenario s = ScenarioLoader.load(f);
    assertThat(s.name()).isEqualTo("example");
    assertThat(s.peers()).isEqualTo(200);
    assertThat(s.natMix()).hasSize(2);
    assertThat(s.natMix().get(1).nat().portAllocation()).isEqualTo(PortAllocation.RANDOM);
    assertThat(s.uplinkDelayMillis().max()).isEqualTo(30);
    assertThat(s.outages().meanDurationSeconds()).isEqualTo(15);
    // 0.8^2 (both EIM) + 0 (EIM/APDF never meets a symmetric peer) = 0.64.
    assertThat(s.analyticPunchability()).isCloseTo(0.64, within(1e-12));
  }

  @Test
  void load_partialJson_keepsDefaultsForTheRest() {
    Scenario s = ScenarioLoader.parse("{\"seed\": 5, \"peers\": 50}", "x.json", false);
    assertThat(s.seed()).isEqualTo(5);
    assertThat(s.peers()).isEqualTo(50);
    assertThat(s.natMix()).hasSize(Scenario.defaults().natMix().size());
    assertThat(s.durationSeconds()).isEqualTo(Scenario.defaults().durationSeconds());
  }

  @Test
  void load_unknownField_refusedWithFileLineAndField() throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\n  \"peers\": 10,\n  \"peeers\": 20\n}\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ScenarioLoader.load(f))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.file()).endsWith("bad.json");
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.field()).isEqualTo("peeers");
          assertThat(e.getMessage()).contains("bad.json:3:").contains("'peeers'");
        });
  }

  @Test
  void load_wrongType_refusedWithLineAndNestedField() {
    String text = "{\n \"natMix\": [\n  {\"name\": \"a\", \"weight\": 1},\n"
        + "  {\"name\": \"b\", \"weight\": \"lots\"}\n ]\n}";
    assertThatThrownBy(() -> ScenarioLoader.parse(text, "t.json", false))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.field()).isEqualTo("natMix[1].weight");
        });
  }

  @Test
  void load_negativeRate_refusedNamingFieldAndLine() {
    String text = "{\n  \"peers\": 10,\n  \"connectionsPerPeerPerHour\": -3\n}";
    assertThatThrownBy(() -> ScenarioLoader.parse(text, "neg.json", false))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.field()).isEqualTo("connectionsPerPeerPerHour");
          assertThat(e.getMessage()).contains("-3.0").contains(">= 0");
        });
  }

  @Test
  void load_probabilityAboveOneInYaml_refusedNamingFieldAndLine() {
    String text = "peers: 10\nuplinkLoss: 1.5\n";
    assertThatThrownBy(() -> ScenarioLoader.parse(text, "p.yaml", true))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.field()).isEqualTo("uplinkLoss");
          assertThat(e.getMessage()).contains("[0, 1]").contains("1.5");
        });
  }

  @Test
  void load_negativeWeightInMix_refusedWithIndexedPath() {
    String text = "natMix:\n  - name: a\n    weight: 1\n  - name: b\n    weight: -0.5\n";
    assertThatThrownBy(() -> ScenarioLoader.parse(text, "w.yaml", true))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.field()).isEqualTo("natMix[1].weight");
          assertThat(e.line()).isEqualTo(5);
        });
  }

  @Test
  void load_badEnum_refusedNamingField() {
    String text = "natMix:\n  - name: a\n    weight: 1\n    nat:\n      mapping: CONE\n";
    assertThatThrownBy(() -> ScenarioLoader.parse(text, "e.yaml", true))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.field()).isEqualTo("natMix[0].nat.mapping");
          assertThat(e.line()).isEqualTo(5);
        });
  }

  @Test
  void load_syntaxError_refusedWithLine() {
    assertThatThrownBy(() -> ScenarioLoader.parse("{\n\"peers\": 10,,\n}", "s.json", false))
        .isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.line()).isEqualTo(2));
  }

  @Test
  void toJson_roundTrip_givesSameScenario() {
    Scenario d = Scenario.defaults();
    String json = ScenarioLoader.toJson(d);
    Scenario back = ScenarioLoader.parse(json, "round.json", false);
    assertThat(ScenarioLoader.toJson(back)).isEqualTo(json);
    assertThat(back.analyticPunchability()).isEqualTo(d.analyticPunchability());
  }

  @Test
  void schedule_sameSeed_identical_andPoissonCountsPlausible() {
    Scenario s = ScenarioLoader.parse("{\"peers\": 1000, \"seed\": 3}", "i.json", false);
    Population pop = Population.build(s, new SimNetwork(3));
    ScenarioSchedule a = ScenarioSchedule.generate(pop);
    ScenarioSchedule b = ScenarioSchedule.generate(pop);
    assertThat(a.connections()).isEqualTo(b.connections());
    // Expected 1000 peers * 2 /h * 1 h = 2000 requests; Poisson sd = 44.7; 5 sd = 224.
    assertThat(a.connections().size()).isBetween(2000 - 224, 2000 + 224);
    // Outages: 1000 * 0.2 = 200 expected, sd 14.1, 5 sd = 71.
    assertThat(a.outages().size()).isBetween(200 - 71, 200 + 71);
    assertThat(a.connections()).allSatisfy(c -> assertThat(c.initiator()).isNotEqualTo(c.target()));
  }

  @Test
  void schedule_applyTo_outageTakesUplinkDownAndUp() {
    Scenario s = ScenarioLoader.parse(
        "{\"peers\": 100, \"outages\": {\"ratePerPeerPerHour\": 1, \"meanDurationSeconds\": 30}}",
        "o.json", false);
    SimNetwork net = new SimNetwork(1);
    Population pop = Population.build(s, net);
    ScenarioSchedule sched = ScenarioSchedule.generate(pop);
    sched.applyTo(net, pop);
    ScenarioSchedule.Outage o = sched.outages().get(0);
    net.runUntil(o.atNanos());
    assertThat(net.isLinkUp(pop.homeNat(o.peer()))).isFalse();
    long lastEnd = 0;
    for (ScenarioSchedule.Outage x : sched.outages()) {
      lastEnd = Math.max(lastEnd, x.atNanos() + x.durationNanos());
    }
    net.runUntil(lastEnd);
    for (int i = 0; i < pop.size(); i++) {
      assertThat(net.isLinkUp(pop.homeNat(i))).isTrue();
    }
  }
}

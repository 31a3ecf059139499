package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pooling across peers: UPLINK is shared by every path of this host. */
class ManyPeersTest {
  static final long SECOND = 1_000_000_000L;
  static final int PEERS = 30;
  static final Set<Factor> HELD = EnumSet.of(Factor.UPLINK, Factor.DOWNLINK, Factor.OPENED);

  static List<PeerPath> peers(ReachabilityModel model) {
    List<PeerPath> paths = new ArrayList<>();
    for (int i = 0; i < PEERS; i++) {
      paths.add(model.path(Map.of(
          "localNetwork", "wlan0/192.0.2.0/24",
          "remotePrefix", "198.51.100." + (i % 10) * 16 + "/28",
          "remoteNatClass", i % 3 == 0 ? "EIM-EIF" : i % 3 == 1 ? "EIM-APDF" : "ADM-APDF",
          "remoteEndpoint", "198.51.100." + i + ":4500")));
    }
    return paths;
  }

  /** Ten rounds of successful attempts on every peer, one peer a second. */
  static long healthyHistory(ReachabilityModel model, List<PeerPath> paths, long now) {
    for (int round = 0; round < 10; round++) {
      for (PeerPath p : paths) {
        now += SECOND;
        p.openedAt(now - SECOND / 10);
        model.success(p, now);
      }
    }
    return now;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
  }

  @Test
  void failure_uplinkDies_uplinkBlamedAndRemotesKeepTheirBelief() {
    ReachabilityModel model = ReachabilityModel.builder().build();
    List<PeerPath> paths = peers(model);
    long now = healthyHistory(model, paths, 0);
    double uplinkBefore = model.belief(paths.get(0), Factor.UPLINK, now).mean();
    // Our uplink dies: every attempt fails. Two failed attempts per peer, interleaved.
    int attempts = 0;
    double uplinkAfterOneRound = 0;
    for (int round = 0; round < 2; round++) {
      for (PeerPath p : paths) {
        now += SECOND;
        p.openedAt(now - SECOND / 10);
        model.failure(p, now);
        attempts++;
      }
      if (round == 0) {
        uplinkAfterOneRound = model.belief(paths.get(0), Factor.UPLINK, now).mean();
      }
    }
    double uplink = model.belief(paths.get(0), Factor.UPLINK, now).mean();
    double[] down = new double[PEERS];
    double[] openable = new double[PEERS];
    double[] opened = new double[PEERS];
    for (int i = 0; i < PEERS; i++) {
      down[i] = model.belief(paths.get(i), Factor.DOWNLINK, now).mean();
      openable[i] = model.belief(paths.get(i), Factor.OPENABLE, now).mean();
      opened[i] = model.belief(paths.get(i), Factor.OPENED, now).mean();
    }
    System.out.printf("uplink dies, %d peers, %d failures: UPLINK %.3f -> %.3f (after one round"
            + " %.3f); median DOWNLINK %.3f, OPENABLE %.3f, OPENED %.3f; min DOWNLINK %.3f,"
            + " OPENABLE %.3f; detections %d/%d/%d/%d%n",
        PEERS, attempts, uplinkBefore, uplink, uplinkAfterOneRound, median(down),
        median(openable), median(opened), Arrays.stream(down).min().getAsDouble(),
        Arrays.stream(openable).min().getAsDouble(), model.detections(Factor.UPLINK),
        model.detections(Factor.DOWNLINK), model.detections(Factor.OPENED),
        model.detections(Factor.OPENABLE));
    assertThat(uplinkBefore).isGreaterThan(0.95);
    assertThat(uplink).isLessThan(0.2);
    assertThat(median(down)).isGreaterThan(0.6);
    assertThat(median(openable)).isGreaterThan(0.6);
  }

  @Test
  void failure_onePeersNatBecomesUnopenable_onlyThatPeersOpenableFalls() {
    ReachabilityModel model = ReachabilityModel.builder().build();
    List<PeerPath> paths = peers(model);
    long now = healthyHistory(model, paths, 0);
    PeerPath victim = paths.get(7);
    double[] before = new double[PEERS];
    for (int i = 0; i < PEERS; i++) {
      before[i] = model.belief(paths.get(i), Factor.OPENABLE, now).mean();
    }
    double downBefore = model.belief(victim, Factor.DOWNLINK, now).mean();
    // The victim's NAT stops letting punched holes through. Each attempt on it: the rendezvous
    // answers us (UPLINK), the victim acknowledges the rendezvous (its DOWNLINK) and reports
    // that it punched (OPENED), yet the attempt fails: the failure is blamed on the factors
    // not known to have held, here OPENABLE alone. Every other peer keeps working.
    for (int round = 0; round < 10; round++) {
      for (PeerPath p : paths) {
        now += SECOND;
        p.openedAt(now - SECOND / 10);
        if (p == victim) {
          model.direct(p, Factor.UPLINK, true, now);
          model.direct(p, Factor.DOWNLINK, true, now);
          model.direct(p, Factor.OPENED, true, now);
          model.failure(p, Blame.ADF, HELD, now);
        } else {
          model.success(p, now);
        }
      }
    }
    double victimOpenable = model.belief(victim, Factor.OPENABLE, now).mean();
    double othersMin = 1;
    for (int i = 0; i < PEERS; i++) {
      if (paths.get(i) != victim) {
        othersMin = Math.min(othersMin, model.belief(paths.get(i), Factor.OPENABLE, now).mean());
      }
    }
    double uplink = model.belief(victim, Factor.UPLINK, now).mean();
    double down = model.belief(victim, Factor.DOWNLINK, now).mean();
    System.out.printf("one NAT unopenable: victim OPENABLE %.3f -> %.3f, others' min %.3f,"
            + " UPLINK %.3f, victim DOWNLINK %.3f -> %.3f, victim OPENED %.3f%n",
        before[7], victimOpenable, othersMin, uplink, downBefore, down,
        model.belief(victim, Factor.OPENED, now).mean());
    assertThat(victimOpenable).isLessThan(0.5).isLessThan(before[7] - 0.3);
    assertThat(othersMin).isGreaterThan(0.8);
    assertThat(uplink).isGreaterThan(0.95);
    assertThat(down).isGreaterThanOrEqualTo(downBefore - 0.05);
  }
}

package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fault localisation in a synthetic topology: 2 local interfaces, 3 relays, one carrier-grade NAT
 * and 60 remote peers, 15 of them behind the CGNAT. Each peer is reached from either interface,
 * directly or through any relay: paths {@code {iface, [relay], [cgnat], peer}}, 480 in all.
 */
class SegmentBeliefTopologyTest {
  static final long SECOND = 1_000_000_000L;
  static final long HALF_LIFE = 600 * SECOND;
  static final int PEERS = 60;
  static final int WARM_UP = 600;
  static final int BEHIND_CGNAT = 15;
  static final long IFACE = 100;
  static final long RELAY = 200;
  static final long CGNAT = 300;
  static final long PEER = 1000;

  /** The topology, a belief over it and the ground truth pass probabilities. */
  static final class World {
    final SegmentBelief belief = new SegmentBelief(80);
    final List<long[]> paths = new ArrayList<>();
    final java.util.Map<Long, Double> pass = new java.util.HashMap<>();
    final SplittableRandom rng;
    final boolean twoState;
    long now = 0;

    World(long seed) {
      this(seed, false);
    }

    /**
     * With {@code twoState}, every segment is a two-state segment instead: working passes 99.9%
     * (shared) or 99% (remotes), broken 1%, prior P(working) as the ordinary priors.
     */
    World(long seed, boolean twoState) {
      this.twoState = twoState;
      rng = new SplittableRandom(seed);
      // Priors: P(passes a packet) 0.99 for our interfaces, 0.98 for relays and the CGNAT, 0.9 for
      // a remote; break priors 1e-4 for shared infrastructure, 1e-2 for remotes (peers come and
      // go far more often than an interface or a CGNAT dies). Truth: healthy shared segments pass
      // 99.5–99.8%, healthy remotes 97–99.9%.
      for (int i = 0; i < 2; i++) {
        add(IFACE + i, 0.99, 0.998, 1e-4);
      }
      for (int r = 0; r < 3; r++) {
        add(RELAY + r, 0.98, 0.995, 1e-4);
      }
      add(CGNAT, 0.98, 0.998, 1e-4);
      for (int p = 0; p < PEERS; p++) {
        add(PEER + p, 0.9, 0.97 + 0.029 * rng.nextDouble(), 1e-2);
      }
      for (int p = 0; p < PEERS; p++) {
        for (int i = 0; i < 2; i++) {
          for (int r = -1; r < 3; r++) {
            List<Long> segs = new ArrayList<>();
            segs.add(IFACE + i);
            if (r >= 0) {
              segs.add(RELAY + r);
            }
            if (p < BEHIND_CGNAT) {
              segs.add(CGNAT);
            }
            segs.add(PEER + p);
            long[] keys = segs.stream().mapToLong(Long::longValue).toArray();
            belief.addPath(paths.size(), keys);
            paths.add(keys);
          }
        }
      }
    }

    private void add(long key, double prior, double truePass, double breakPrior) {
      if (twoState) {
        belief.addTwoStateSegment(key, prior, 1.5, HALF_LIFE, 0.01, isShared(key) ? 0.999 : 0.99, 0);
      } else {
        belief.addSegment(key, prior, 1.5, HALF_LIFE, 0);
      }
      belief.setBreakPrior(key, breakPrior);
      pass.put(key, truePass);
    }

    /** One attempt over a path; returns whether it succeeded. */
    boolean attempt(int path) {
      now += SECOND;
      double p = 1;
      for (long s : paths.get(path)) {
        p *= pass.get(s);
      }
      boolean ok = rng.nextDouble() < p;
      belief.observe(path, ok, now);
      return ok;
    }

    boolean crosses(int path, long segment) {
      for (long s : paths.get(path)) {
        if (s == segment) {
          return true;
        }
      }
      return false;
    }

    int pathTo(int peer) {
      return peer * 8 + rng.nextInt(8);
    }
  }

  static boolean isShared(long key) {
    return key < PEER;
  }

  @Test
  void observe_sharedSegmentFails_rankedFirstWithinFiveFailures() {
    assertThat(sharedSegmentFails(false)).isGreaterThanOrEqualTo(95);
  }

  @Test
  void observe_twoStateSegments_sameFaultFigures() {
    // The same two scenarios with every segment two-state: the diagnosis runs on the same
    // recent predictive probabilities, so the figures must hold for both kinds.
    assertThat(sharedSegmentFails(true)).isGreaterThanOrEqualTo(95);
    int[] remote = oneRemoteFails(true);
    assertThat(remote[0]).isZero();
    assertThat(remote[1]).isEqualTo(100);
  }

  /** Returns in how many of 100 seeds the broken shared segment is first at the 5th failure. */
  static int sharedSegmentFails(boolean twoState) {
    long[] shared = {IFACE, IFACE + 1, RELAY, RELAY + 1, RELAY + 2, CGNAT};
    int seeds = 100;
    int located = 0;
    int[] failuresNeeded = new int[seeds];
    for (int seed = 0; seed < seeds; seed++) {
      World w = new World(seed, twoState);
      for (int t = 0; t < WARM_UP; t++) {
        w.attempt(w.rng.nextInt(w.paths.size()));
      }
      long broken = shared[seed % shared.length];
      w.pass.put(broken, 0.0);
      int failures = 0;
      failuresNeeded[seed] = -1;
      // Normal traffic: uniformly random paths. Count failed attempts over the broken segment;
      // after each, ask for the culprit. Located = first at the 5th failure at the latest, and
      // still first at the 5th.
      while (failures < 5) {
        int path = w.rng.nextInt(w.paths.size());
        boolean ok = w.attempt(path);
        if (!ok && w.crosses(path, broken)) {
          failures++;
          OptionalLong culprit = w.belief.mostLikelyAtFault(w.now);
          if (culprit.isPresent() && culprit.getAsLong() == broken && failuresNeeded[seed] < 0) {
            failuresNeeded[seed] = failures;
          }
          if (failures == 5 && culprit.isPresent() && culprit.getAsLong() == broken) {
            located++;
          }
        }
      }
    }
    System.out.printf(Locale.ROOT,
        "%s: shared segment located by the 5th failure in %d of %d seeds; failures needed: %s%n",
        twoState ? "two-state" : "ordinary", located, seeds,
        java.util.Arrays.toString(failuresNeeded));
    // Bound (asserted by the callers): the target is 95% of seeded runs.
    return located;
  }

  @Test
  void observe_oneRemoteFails_neverBlamesHealthySharedSegment() {
    int[] r = oneRemoteFails(false);
    // "Never": no run, at no step, puts a healthy shared segment first.
    assertThat(r[0]).isZero();
    assertThat(r[1]).isEqualTo(100);
  }

  /** Returns {runs where a healthy shared segment was ever first, runs ending on the dead peer}. */
  static int[] oneRemoteFails(boolean twoState) {
    int seeds = 100;
    int blamedShared = 0;
    int blamedPeer = 0;
    for (int seed = 0; seed < seeds; seed++) {
      World w = new World(1000 + seed, twoState);
      for (int t = 0; t < WARM_UP; t++) {
        w.attempt(w.rng.nextInt(w.paths.size()));
      }
      // Half the runs break a peer behind the CGNAT, the hardest case for the CGNAT's reputation.
      int peer = seed % 2 == 0 ? w.rng.nextInt(BEHIND_CGNAT) : BEHIND_CGNAT + w.rng.nextInt(45);
      w.pass.put(PEER + peer, 0.0);
      boolean sharedBlamed = false;
      // 60 attempts: every third to the dead peer (an application retrying), the rest normal.
      for (int t = 0; t < 60; t++) {
        int path = t % 3 == 0 ? w.pathTo(peer) : w.rng.nextInt(w.paths.size());
        w.attempt(path);
        OptionalLong culprit = w.belief.mostLikelyAtFault(w.now);
        if (culprit.isPresent() && isShared(culprit.getAsLong())) {
          sharedBlamed = true;
        }
      }
      blamedShared += sharedBlamed ? 1 : 0;
      OptionalLong last = w.belief.mostLikelyAtFault(w.now);
      blamedPeer += last.isPresent() && last.getAsLong() == PEER + peer ? 1 : 0;
    }
    System.out.printf(Locale.ROOT,
        "%s: one remote down: a healthy shared segment ranked first in %d of %d runs;"
            + " the dead peer ranked first at the end in %d%n", twoState ? "two-state" : "ordinary",
        blamedShared, seeds, blamedPeer);
    return new int[] {blamedShared, blamedPeer};
  }
}

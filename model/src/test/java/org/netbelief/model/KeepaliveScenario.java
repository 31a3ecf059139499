package org.netbelief.model;

/**
 * Holds one hole open for a horizon of virtual time with the planner's keepalives, while the
 * planner probes the lifetime with a sacrificial binding (RFC 5780 §4.6 style), and counts what a
 * deployment pays: keepalives, probe packets, lost holes.
 */
final class KeepaliveScenario {
  static final long S = 1_000_000_000L;

  final SurvivalModel model;
  final KeepalivePlanner planner;
  final SyntheticBinding binding;
  final long[] nat;
  long now;
  long keepalives;
  long probePackets;
  int probes;
  int holesLost;
  int maxProbes = 20;

  private long lastPacket;
  private long probeEnd = -1;
  private long probeGap;

  KeepaliveScenario(SurvivalModel model, KeepalivePlanner planner, SyntheticBinding binding,
      long[] nat) {
    this.model = model;
    this.planner = planner;
    this.binding = binding;
    this.nat = nat;
  }

  /** Runs until {@code untilNanos}; returns this. Losses counted from then on only. */
  KeepaliveScenario runUntil(long untilNanos) {
    return runUntil(untilNanos, Integer.MAX_VALUE);
  }

  /** Runs until {@code untilNanos} or until {@code maxLosses} holes have been lost. */
  KeepaliveScenario runUntil(long untilNanos, int maxLosses) {
    int lossesAtStart = holesLost;
    while (now < untilNanos && holesLost - lossesAtStart < maxLosses) {
      if (probeEnd < 0 && probes < maxProbes) {
        long gap = planner.nextProbeGapNanos(nat, now);
        if (gap != KeepalivePlanner.NO_PROBE) {
          probeGap = gap;
          probeEnd = now + gap;
          probePackets++; // the probe binding's opening packet
        }
      }
      long interval = planner.keepaliveIntervalNanos(nat, now);
      long nextKeepalive = lastPacket + interval;
      if (probeEnd >= 0 && probeEnd <= nextKeepalive) {
        now = Math.max(now, probeEnd);
        probePackets += 2; // request to the rendezvous, its packet to the probe binding
        if (binding.survives(probeGap * 1e-9)) {
          model.observeSurvival(nat, probeGap, now);
        } else {
          model.observeLoss(nat, probeGap, 1.0, now);
        }
        probes++;
        probeEnd = -1;
        continue;
      }
      now = Math.max(now, nextKeepalive);
      keepalives++;
      long silence = now - lastPacket;
      if (binding.survives(silence * 1e-9)) {
        model.observeSurvival(nat, silence, now);
      } else {
        model.observeLoss(nat, silence, 1.0, now);
        holesLost++;
      }
      lastPacket = now;
    }
    return this;
  }

  long intervalNanos() {
    return planner.keepaliveIntervalNanos(nat, now);
  }

  /** Packets a fixed keepalive of {@code periodSeconds} sends over the same time. */
  long fixedKeepalives(double periodSeconds) {
    return (long) Math.floor(now * 1e-9 / periodSeconds);
  }
}

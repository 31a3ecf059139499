package org.netbelief.punch.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The timed events of a scenario, drawn once from its seed: connection requests, uplink outages
 * and NAT rebindings, each a Poisson process over the whole population.
 *
 * <p>Each process has its own random stream, so changing, say, the outage rate leaves the
 * connection requests of a seed unchanged and policies can be compared on identical traffic.
 * Connection requests are for the policy driver to act on ({@link #connections()}); outages and
 * rebindings act on the network alone ({@link #applyTo}).
 */
public final class ScenarioSchedule {
  /**
   * One connection request.
   *
   * @param atNanos when the initiator asks
   * @param initiator peer index of the side that asks
   * @param target peer index of the other side
   * @param holdNanos how long the connection is wanted (exponential, scenario mean)
   */
  public record ConnectionRequest(long atNanos, int initiator, int target, long holdNanos) {}

  /**
   * One uplink outage: peer {@code peer}'s access link is down from {@code atNanos} for
   * {@code durationNanos}.
   */
  public record Outage(long atNanos, int peer, long durationNanos) {}

  /** One rebinding of NAT node {@code nat} at {@code atNanos}. */
  public record Rebinding(long atNanos, int nat) {}

  private final List<ConnectionRequest> connections;
  private final List<Outage> outages;
  private final List<Rebinding> rebindings;

  private ScenarioSchedule(
      List<ConnectionRequest> c, List<Outage> o, List<Rebinding> r) {
    this.connections = Collections.unmodifiableList(c);
    this.outages = Collections.unmodifiableList(o);
    this.rebindings = Collections.unmodifiableList(r);
  }

  /** Draws the events of {@code p}'s scenario. */
  public static ScenarioSchedule generate(Population p) {
    Scenario s = p.scenario();
    long end = Math.round(s.durationSeconds() * 1e9);
    int n = p.size();

    List<ConnectionRequest> conns = new ArrayList<>();
    SplittableRandom rc = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + 1);
    double rate = n * s.connectionsPerPeerPerHour() / 3600.0;
    for (long t = next(rc, 0, rate); t < end; t = next(rc, t, rate)) {
      int a = rc.nextInt(n);
      int b = rc.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      long hold = Math.max(1, Math.round(exp(rc) * s.meanConnectionSeconds() * 1e9));
      conns.add(new ConnectionRequest(t, a, b, hold));
    }

    List<Outage> outs = new ArrayList<>();
    SplittableRandom ro = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + 2);
    double orate = n * s.outages().ratePerPeerPerHour() / 3600.0;
    for (long t = next(ro, 0, orate); t < end; t = next(ro, t, orate)) {
      long d = Math.max(1, Math.round(exp(ro) * s.outages().meanDurationSeconds() * 1e9));
      outs.add(new Outage(t, ro.nextInt(n), d));
    }

    Set<Integer> natSet = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      natSet.add(p.homeNat(i));
      if (p.cgn(i) >= 0) {
        natSet.add(p.cgn(i));
      }
    }
    List<Integer> nats = new ArrayList<>(natSet);
    List<Rebinding> rebs = new ArrayList<>();
    SplittableRandom rr = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + 3);
    double rrate = nats.size() * s.rebindingsPerNatPerHour() / 3600.0;
    for (long t = next(rr, 0, rrate); t < end; t = next(rr, t, rrate)) {
      rebs.add(new Rebinding(t, nats.get(rr.nextInt(nats.size()))));
    }
    return new ScenarioSchedule(conns, outs, rebs);
  }

  private static double exp(SplittableRandom r) {
    return -Math.log(1.0 - r.nextDouble());
  }

  private static long next(SplittableRandom r, long t, double ratePerSecond) {
    if (!(ratePerSecond > 0)) {
      return Long.MAX_VALUE;
    }
    return t + Math.max(1, Math.round(exp(r) / ratePerSecond * 1e9));
  }

  /** Connection requests in time order. */
  public List<ConnectionRequest> connections() {
    return connections;
  }

  /** Outages in time order. */
  public List<Outage> outages() {
    return outages;
  }

  /** Rebindings in time order. */
  public List<Rebinding> rebindings() {
    return rebindings;
  }

  /**
   * Schedules the outages and rebindings on {@code net}. Overlapping outages of one peer keep its
   * link down until the last one ends.
   */
  public void applyTo(SimNetwork net, Population p) {
    int[] down = new int[p.size()];
    for (Outage o : outages) {
      int node = p.homeNat(o.peer());
      net.at(o.atNanos(), now -> {
        down[o.peer()]++;
        net.setLinkUp(node, false);
      });
      net.at(o.atNanos() + o.durationNanos(), now -> {
        if (--down[o.peer()] == 0) {
          net.setLinkUp(node, true);
        }
      });
    }
    for (Rebinding r : rebindings) {
      net.at(r.atNanos(), now -> net.rebind(r.nat()));
    }
  }
}

package org.netbelief.punch.belief;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.LifetimeProber;
import org.netbelief.punch.PeerEngine;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.RendezvousEngine;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.sim.Dependence;
import org.netbelief.punch.sim.EngineApplication;
import org.netbelief.punch.sim.Endpoints;
import org.netbelief.punch.sim.LinkProfile;
import org.netbelief.punch.sim.NatBehavior;
import org.netbelief.punch.sim.SimNetwork;

/**
 * Lifetime discovery end to end on the simulated network: a peer behind a NAT with a known
 * binding timeout runs a {@link LifetimeProber} on a second port of its host, next to its
 * {@link PeerEngine}, both sharing one {@link BeliefPolicy}.
 */
class LifetimeProbingOnSimTest {
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;
  static final long RV = Endpoints.parse("203.0.113.1:7000");

  static final class Events implements EngineSink {
    final List<PunchEvent> events = new ArrayList<>();

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress to) {
      throw new AssertionError("the adapter sends, not the event sink");
    }

    @Override
    public void event(PunchEvent e) {
      events.add(e);
    }

    List<PunchEvent> of(PunchEvent.Kind k) {
      return events.stream().filter(e -> e.kind() == k).toList();
    }
  }

  /**
   * The simulator's counterpart of {@code LifetimeProbing}: binds a prober for {@code policy} to
   * another port of {@code host}, so its binding is a second, sacrificial one of the same NAT.
   */
  static LifetimeProber proberOnSecondPort(SimNetwork net, int host, int port,
      BeliefPolicy policy, long seed) {
    EngineApplication app = new EngineApplication(null);
    LifetimeProber prober = new LifetimeProber(app, Endpoints.toSocketAddress(RV), policy,
        new SplittableRandom(seed), net.now());
    app.attach(prober, null);
    net.bind(host, port, app);
    return prober;
  }

  record Sample(long atNanos, long intervalNanos, long probes) {}

  record Run(Events alice, Events bob, BeliefPolicy policy, LifetimeProber prober,
      List<Sample> samples) {
    long interval() {
      return samples.get(samples.size() - 1).intervalNanos();
    }
  }

  /**
   * Alice behind an endpoint-independent-mapping, address-and-port-dependent-filtering NAT with
   * the given timeout (her hole toward Bob is refreshed only by her own packets to Bob); Bob on a
   * public address, keeping alive only every 10 min, so Alice's hole lives on Alice's interval.
   */
  static Run run(long natTimeoutNanos, long hours) {
    SecureRandom rnd = new SecureRandom();
    SimNetwork net = new SimNetwork(11);
    int rvHost = net.addHost(SimNetwork.INTERNET, Endpoints.address(RV),
        LinkProfile.ofMillis(15, 2, 0));
    EngineApplication rvApp = new EngineApplication(null);
    rvApp.attach(new RendezvousEngine(rvApp, rnd), null);
    net.bind(rvHost, Endpoints.port(RV), rvApp);

    NatBehavior home = NatBehavior.of(Dependence.ENDPOINT_INDEPENDENT,
        Dependence.ADDRESS_AND_PORT_DEPENDENT).withBindingTimeoutNanos(natTimeoutNanos);
    int nat = net.addNat(SimNetwork.INTERNET, Endpoints.parseAddress("198.51.100.1"), home,
        LinkProfile.ofMillis(15, 2, 0));
    int aliceHost = net.addHost(nat, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
    Events ea = new Events();
    BeliefPolicy pa = BeliefPolicy.builder().build();
    EngineApplication appA = new EngineApplication(ea);
    PeerEngine alice = new PeerEngine(Identity.generate(rnd), "alice",
        Endpoints.toSocketAddress(RV), List.of(), true, pa, pa, appA, rnd);
    appA.attach(alice, alice::start);
    net.bind(aliceHost, 5000, appA);
    LifetimeProber prober = proberOnSecondPort(net, aliceHost, 5001, pa, 3);

    int bobHost = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("198.51.100.2"),
        LinkProfile.ofMillis(15, 2, 0));
    Events eb = new Events();
    BeliefPolicy pb = BeliefPolicy.builder()
        .keepalive(0.99, Duration.ofMinutes(10), Duration.ofMinutes(10)).build();
    EngineApplication appB = new EngineApplication(eb);
    PeerEngine bob = new PeerEngine(Identity.generate(rnd), "bob", Endpoints.toSocketAddress(RV),
        List.of(), true, pb, pb, appB, rnd);
    appB.attach(bob, bob::start);
    net.bind(bobHost, 5000, appB);

    net.runUntil(500 * MS);
    net.at(1000 * MS, now -> appA.call(now, () -> alice.connect("bob", now)));
    List<Sample> samples = new ArrayList<>();
    for (long t = 60 * S; t <= hours * 3600 * S; t += 60 * S) {
      net.runUntil(t);
      samples.add(new Sample(t, pa.keepaliveIntervalNanos(0, t),
          prober.probesSurvived() + prober.probesLost()));
    }
    return new Run(ea, eb, pa, prober, samples);
  }

  static String report(String label, Run r, long lo, long hi) {
    Sample first = null;
    for (Sample s : r.samples()) {
      if (s.intervalNanos() >= lo && s.intervalNanos() < hi) {
        if (first == null) {
          first = s;
        }
      } else {
        first = null;
      }
    }
    return label + ": interval " + r.interval() / MS + " ms; probes survived "
        + r.prober().probesSurvived() + ", lost " + r.prober().probesLost()
        + (first == null ? "" : "; inside [" + lo / S + " s, " + hi / S + " s) for good from "
            + first.atNanos() / S + " s after " + first.probes() + " probes");
  }

  @Test
  void nat120s_intervalConvergesInto60to120s_andTheHoleIsNeverLost() {
    Run r = run(120 * S, 4);
    System.out.println(report("NAT 120 s", r, 60 * S, 120 * S));
    assertThat(r.alice().of(PunchEvent.Kind.ESTABLISHED)).isNotEmpty()
        .allSatisfy(e -> assertThat(e.via()).isEqualTo("direct"));
    assertThat(r.interval()).isBetween(60 * S, 120 * S - 1);
    assertThat(r.prober().probesSurvived()).isPositive();
    assertThat(r.prober().probesLost()).isPositive(); // it found the timeout from above too
    assertThat(r.alice().of(PunchEvent.Kind.PATH_LOST)).isEmpty();
    assertThat(r.bob().of(PunchEvent.Kind.PATH_LOST)).isEmpty();
  }

  @Test
  void nat30s_intervalStaysBelow30s_andTheHoleIsNeverLost() {
    Run r = run(30 * S, 2);
    System.out.println(report("NAT 30 s", r, 15 * S, 30 * S));
    assertThat(r.alice().of(PunchEvent.Kind.ESTABLISHED)).isNotEmpty();
    assertThat(r.samples()).allSatisfy(s -> assertThat(s.intervalNanos()).isLessThan(30 * S));
    assertThat(r.alice().of(PunchEvent.Kind.PATH_LOST)).isEmpty();
    assertThat(r.bob().of(PunchEvent.Kind.PATH_LOST)).isEmpty();
  }
}

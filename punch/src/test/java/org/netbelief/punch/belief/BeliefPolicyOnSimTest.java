package org.netbelief.punch.belief;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.EngineSink;
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

/** The real engines driven by {@link BeliefPolicy} on the simulated network. */
class BeliefPolicyOnSimTest {
  static final long MS = 1_000_000L;
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

  record Run(Events alice, Events bob, BeliefPolicy alicePolicy) {}

  static Run run(NatBehavior natA, NatBehavior natB, long untilMs) {
    SecureRandom rnd = new SecureRandom();
    SimNetwork net = new SimNetwork(7);
    int rvHost = net.addHost(SimNetwork.INTERNET, Endpoints.address(RV),
        LinkProfile.ofMillis(15, 2, 0));
    EngineApplication rvApp = new EngineApplication(null);
    rvApp.attach(new RendezvousEngine(rvApp, rnd), null);
    net.bind(rvHost, Endpoints.port(RV), rvApp);
    Events ea = new Events();
    Events eb = new Events();
    BeliefPolicy pa = BeliefPolicy.builder().build();
    EngineApplication appA = peer(net, natA, "198.51.100.1", "alice", ea, pa, rnd);
    peer(net, natB, "198.51.100.2", "bob", eb, BeliefPolicy.builder().build(), rnd);
    net.runUntil(500 * MS);
    net.at(1000 * MS, now -> appA.call(now, () -> ((PeerEngine) appA.engine()).connect("bob", now)));
    net.runUntil(untilMs * MS);
    return new Run(ea, eb, pa);
  }

  static EngineApplication peer(SimNetwork net, NatBehavior b, String pub, String name,
      Events events, BeliefPolicy policy, SecureRandom rnd) {
    int nat = net.addNat(SimNetwork.INTERNET, Endpoints.parseAddress(pub), b,
        LinkProfile.ofMillis(15, 2, 0));
    int host = net.addHost(nat, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
    EngineApplication app = new EngineApplication(events);
    PeerEngine e = new PeerEngine(Identity.generate(rnd), name, Endpoints.toSocketAddress(RV),
        List.of(), true, policy, policy, app, rnd);
    app.attach(e, e::start);
    net.bind(host, 5000, app);
    return app;
  }

  @Test
  void portRestrictedNats_establishDirect_andTheBeliefRises() {
    NatBehavior pr = NatBehavior.of(
        Dependence.ENDPOINT_INDEPENDENT, Dependence.ADDRESS_AND_PORT_DEPENDENT);
    Run r = run(pr, pr, 10_000);
    assertThat(r.alice().of(PunchEvent.Kind.ESTABLISHED)).isNotEmpty()
        .allSatisfy(e -> assertThat(e.via()).isEqualTo("direct"));
    assertThat(r.bob().of(PunchEvent.Kind.ESTABLISHED)).isNotEmpty();
    assertThat(r.alicePolicy().pathCount()).isPositive();
  }

  @Test
  void symmetricNats_relay_byBeliefBeforeTheBudget() {
    Run r = run(NatBehavior.symmetric(), NatBehavior.symmetric(), 30_000);
    List<PunchEvent> relayed = r.alice().of(PunchEvent.Kind.RELAYED);
    assertThat(relayed).isNotEmpty();
    assertThat(r.alice().of(PunchEvent.Kind.ESTABLISHED))
        .noneSatisfy(e -> assertThat(e.via()).isEqualTo("direct"));
    // connect at 1 s; the budget is 20 s: the belief gave up well before it.
    long gaveUpMs = relayed.get(0).nowNanos() / MS - 1000;
    System.out.println("symmetric pair relayed after " + gaveUpMs + " ms of punching");
    assertThat(gaveUpMs).isLessThan(20_000);
  }
}

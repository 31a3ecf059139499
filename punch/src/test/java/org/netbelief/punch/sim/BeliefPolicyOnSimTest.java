package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.PeerEngine;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.belief.BeliefPolicy;
import org.netbelief.punch.sim.EngineOnSimTest.Events;

/** The real engines driven by {@link BeliefPolicy} on the simulated network. */
class BeliefPolicyOnSimTest {
  static final long MS = EngineOnSimTest.MS;

  record Run(Events alice, Events bob, BeliefPolicy alicePolicy) {}

  static Run run(NatBehavior natA, NatBehavior natB, long untilMs) {
    SecureRandom rnd = new SecureRandom();
    SimNetwork net = new SimNetwork(7);
    EngineOnSimTest.rendezvous(net, rnd);
    Events ea = new Events();
    Events eb = new Events();
    BeliefPolicy pa = BeliefPolicy.builder().build();
    BeliefPolicy pb = BeliefPolicy.builder().build();
    EngineApplication appA =
        EngineOnSimTest.peer(net, natA, "198.51.100.1", "alice", ea, pa, pa, rnd);
    EngineOnSimTest.peer(net, natB, "198.51.100.2", "bob", eb, pb, pb, rnd);
    net.runUntil(500 * MS);
    net.at(1000 * MS, now -> appA.call(now, () -> ((PeerEngine) appA.engine()).connect("bob", now)));
    net.runUntil(untilMs * MS);
    return new Run(ea, eb, pa);
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

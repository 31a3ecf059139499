package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.DefaultPunchPolicy;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.PeerEngine;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.PunchPolicy;
import org.netbelief.punch.RendezvousEngine;
import org.netbelief.punch.crypto.Identity;

/**
 * The project's real engines (rendezvous and two peers) on the simulated network through
 * {@link EngineApplication}: direct behind EIM NATs, relayed behind symmetric NATs.
 */
class EngineOnSimTest {
  static final long MS = 1_000_000L;
  static final long RV = Endpoints.parse("203.0.113.1:7000");

  /** Collects one host's events. */
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

  record Run(Events a, Events b, NetworkStats stats) {}

  static Run run(NatBehavior natA, NatBehavior natB) {
    SecureRandom rnd = new SecureRandom();
    SimNetwork net = new SimNetwork(5);
    rendezvous(net, rnd);

    Events ea = new Events();
    Events eb = new Events();
    EngineApplication appA = peer(net, natA, "198.51.100.1", "alice", ea, rnd);
    EngineApplication appB = peer(net, natB, "198.51.100.2", "bob", eb, rnd);
    net.runUntil(500 * MS);
    net.at(1000 * MS, now -> appA.call(now, () -> ((PeerEngine) appA.engine()).connect("bob", now)));
    net.runUntil(15_000 * MS);
    assertThat(appB.engine()).isNotNull();
    return new Run(ea, eb, net.stats());
  }

  /** The rendezvous at {@link #RV} on the simulated Internet. */
  static void rendezvous(SimNetwork net, SecureRandom rnd) {
    int rvHost = net.addHost(SimNetwork.INTERNET, Endpoints.address(RV),
        LinkProfile.ofMillis(15, 2, 0));
    EngineApplication rvApp = new EngineApplication(null);
    rvApp.attach(new RendezvousEngine(rvApp, rnd), null);
    net.bind(rvHost, Endpoints.port(RV), rvApp);
  }

  static EngineApplication peer(SimNetwork net, NatBehavior b, String pub, String name,
      Events events, SecureRandom rnd) {
    return peer(net, b, pub, name, events, new DefaultPunchPolicy(), PathObserver.NONE, rnd);
  }

  /** A peer behind its own NAT with address {@code pub}, driven by {@code policy}. */
  static EngineApplication peer(SimNetwork net, NatBehavior b, String pub, String name,
      Events events, PunchPolicy policy, PathObserver observer, SecureRandom rnd) {
    int nat = net.addNat(SimNetwork.INTERNET, Endpoints.parseAddress(pub), b,
        LinkProfile.ofMillis(15, 2, 0));
    int host = net.addHost(nat, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
    EngineApplication app = new EngineApplication(events);
    PeerEngine e = new PeerEngine(Identity.generate(rnd), name,
        Endpoints.toSocketAddress(RV), List.of(), true, policy, observer, app, rnd);
    app.attach(e, e::start);
    net.bind(host, 5000, app);
    return app;
  }

  @Test
  void engines_behindPortRestrictedConeNats_establishDirect() {
    NatBehavior pr = NatBehavior.of(
        Dependence.ENDPOINT_INDEPENDENT, Dependence.ADDRESS_AND_PORT_DEPENDENT);
    Run r = run(pr, pr);
    assertThat(r.a().of(PunchEvent.Kind.REGISTERED)).hasSize(1);
    assertThat(r.a().of(PunchEvent.Kind.ESTABLISHED)).isNotEmpty()
        .allSatisfy(e -> assertThat(e.via()).isEqualTo("direct"));
    assertThat(r.b().of(PunchEvent.Kind.ESTABLISHED)).isNotEmpty();
  }

  @Test
  void engines_behindSymmetricNats_fallBackToRelay() {
    Run r = run(NatBehavior.symmetric(), NatBehavior.symmetric());
    assertThat(r.a().of(PunchEvent.Kind.RELAYED)).isNotEmpty();
    assertThat(r.a().of(PunchEvent.Kind.ESTABLISHED))
        .noneSatisfy(e -> assertThat(e.via()).isEqualTo("direct"));
    assertThat(r.stats().filtered()).isPositive();
  }
}

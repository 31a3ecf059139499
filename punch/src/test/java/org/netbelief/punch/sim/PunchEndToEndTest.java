package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.netbelief.punch.sim.internal.NaivePuncher;

/**
 * End to end: two {@link NaivePuncher}s behind NATs, introduced by a rendezvous on the Internet,
 * with lossless 10 ms uplinks. Shows that the network lets EIM pairs punch and stops symmetric
 * pairs, and that {@link GroundTruth#canPunch} agrees with the simulator on every pair of
 * behaviours.
 */
class PunchEndToEndTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final long RENDEZVOUS = Endpoints.parse("203.0.113.1:3478");

  /** Outcome of one punching run. */
  record Outcome(boolean aEstablished, boolean bEstablished, NetworkStats stats) {}

  static Outcome punch(List<NatBehavior> chainA, List<NatBehavior> chainB, long seed) {
    SimNetwork net = new SimNetwork(seed);
    LinkProfile uplink = LinkProfile.ofMillis(10, 0, 0.0);
    int r = net.addHost(SimNetwork.INTERNET, Endpoints.address(RENDEZVOUS), uplink);
    net.bind(r, Endpoints.port(RENDEZVOUS), new NaivePuncher.NaiveRendezvous());
    int hostA = behind(net, chainA, "198.51.100.1", uplink);
    int hostB = behind(net, chainB, "198.51.100.2", uplink);
    NaivePuncher a = new NaivePuncher(1, RENDEZVOUS, 200 * MS, 20, 15 * SECOND, null);
    NaivePuncher b = new NaivePuncher(2, RENDEZVOUS, 200 * MS, 20, 15 * SECOND, null);
    net.bind(hostA, 5000, a);
    net.bind(hostB, 5000, b);
    net.at(SECOND, now -> a.connect(2, now));
    net.runUntil(30 * SECOND);
    return new Outcome(a.isEstablished(2), b.isEstablished(1), net.stats());
  }

  /** Builds the NAT chain (outermost last) and a host at 192.168.1.2 behind it. */
  static int behind(SimNetwork net, List<NatBehavior> chain, String publicAddr, LinkProfile up) {
    int realm = SimNetwork.INTERNET;
    for (int i = chain.size() - 1; i >= 0; i--) {
      boolean outermost = i == chain.size() - 1;
      int addr = outermost ? Endpoints.parseAddress(publicAddr)
          : Endpoints.parseAddress("10.0.0." + (2 + i));
      realm = net.addNat(realm, addr, chain.get(i), outermost ? up : LinkProfile.IDEAL);
    }
    return net.addHost(realm, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
  }

  @Test
  void punch_bothEndpointIndependentMapping_bothEstablished() {
    NatBehavior portRestricted = NatBehavior.of(
        Dependence.ENDPOINT_INDEPENDENT, Dependence.ADDRESS_AND_PORT_DEPENDENT);
    Outcome o = punch(List.of(portRestricted), List.of(portRestricted), 1);
    assertThat(o.aEstablished()).isTrue();
    assertThat(o.bEstablished()).isTrue();
  }

  @Test
  void punch_bothSymmetric_neitherEstablished_packetsFiltered() {
    Outcome o = punch(List.of(NatBehavior.symmetric()), List.of(NatBehavior.symmetric()), 1);
    assertThat(o.aEstablished()).isFalse();
    assertThat(o.bEstablished()).isFalse();
    assertThat(o.stats().filtered()).isPositive();
  }

  static Stream<Arguments> allPairs() {
    List<Arguments> out = new ArrayList<>();
    for (Dependence ma : Dependence.values()) {
      for (Dependence fa : Dependence.values()) {
        for (Dependence mb : Dependence.values()) {
          for (Dependence fb : Dependence.values()) {
            out.add(Arguments.of(NatBehavior.of(ma, fa), NatBehavior.of(mb, fb)));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("allPairs")
  void canPunch_everyBehaviourPair_agreesWithSimulation(NatBehavior a, NatBehavior b) {
    Outcome o = punch(List.of(a), List.of(b), 11);
    boolean simulated = o.aEstablished() && o.bEstablished();
    assertThat(simulated)
        .as("%s x %s: a=%s b=%s", a.label(), b.label(), o.aEstablished(), o.bEstablished())
        .isEqualTo(GroundTruth.canPunch(a, b));
  }

  static Stream<Arguments> chains() {
    NatBehavior cgnPr = NatBehavior.of(
        Dependence.ENDPOINT_INDEPENDENT, Dependence.ADDRESS_AND_PORT_DEPENDENT);
    NatBehavior homeFull = NatBehavior.fullCone();
    NatBehavior homeRestricted =
        NatBehavior.of(Dependence.ENDPOINT_INDEPENDENT, Dependence.ADDRESS_DEPENDENT);
    NatBehavior cgnSym = NatBehavior.symmetric();
    return Stream.of(
        Arguments.of(List.of(homeFull, cgnPr), List.of(homeRestricted)),
        Arguments.of(List.of(homeFull, cgnPr), List.of(cgnSym)),
        Arguments.of(List.of(homeRestricted, cgnSym), List.of(homeFull)),
        Arguments.of(List.of(homeRestricted, cgnSym), List.of(homeRestricted)),
        Arguments.of(List.of(homeFull, cgnPr), List.of(homeFull, cgnPr)));
  }

  @ParameterizedTest
  @MethodSource("chains")
  void canPunch_natsInSeries_effectiveBehaviourAgreesWithSimulation(
      List<NatBehavior> a, List<NatBehavior> b) {
    Outcome o = punch(a, b, 5);
    boolean expected = GroundTruth.canPunch(GroundTruth.effective(a), GroundTruth.effective(b));
    assertThat(o.aEstablished() && o.bEstablished()).isEqualTo(expected);
  }
}

package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.netbelief.punch.sim.internal.NaivePuncher;

/** Two peers behind one carrier-grade NAT: their packets meet by the CGN's hairpinning. */
class SameCgnTest {
  static final long MS = 1_000_000L;
  static final long RENDEZVOUS = Endpoints.parse("203.0.113.1:3478");

  @ParameterizedTest(name = "home {0}/{1}, cgn hairpin {2} -> {3}")
  @CsvSource({
    "ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT, true, true",
    "ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT, false, false",
    "ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT, true, false",
    "ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT, true, true",
  })
  void punch_twoPeersBehindOneCgn_dependsOnCgnHairpinningAndRule(
      Dependence homeMapping, Dependence homeFiltering, boolean cgnHairpin, boolean expected) {
    SimNetwork net = new SimNetwork(4);
    LinkProfile up = LinkProfile.ofMillis(10, 0, 0);
    int r = net.addHost(SimNetwork.INTERNET, Endpoints.address(RENDEZVOUS), up);
    net.bind(r, Endpoints.port(RENDEZVOUS), new NaivePuncher.NaiveRendezvous());
    NatBehavior cgnB = NatBehavior.of(
        Dependence.ENDPOINT_INDEPENDENT, Dependence.ADDRESS_AND_PORT_DEPENDENT)
        .withPortAllocation(PortAllocation.RANDOM).withHairpinning(cgnHairpin);
    int cgn = net.addNat(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"), cgnB, up);
    NatBehavior home = NatBehavior.of(homeMapping, homeFiltering).withHairpinning(false);
    int homeA = net.addNat(cgn, Endpoints.parseAddress("10.0.0.2"), home, LinkProfile.IDEAL);
    int homeB = net.addNat(cgn, Endpoints.parseAddress("10.0.0.3"), home, LinkProfile.IDEAL);
    int a = net.addHost(homeA, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
    int b = net.addHost(homeB, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
    NaivePuncher pa = new NaivePuncher(1, RENDEZVOUS, 200 * MS, 20, 15_000 * MS, null);
    NaivePuncher pb = new NaivePuncher(2, RENDEZVOUS, 200 * MS, 20, 15_000 * MS, null);
    net.bind(a, 5000, pa);
    net.bind(b, 5000, pb);
    net.at(1000 * MS, now -> pa.connect(2, now));
    net.runUntil(30_000 * MS);
    boolean rule = GroundTruth.canPunch(
        GroundTruth.effective(java.util.List.of(home, cgnB)),
        GroundTruth.effective(java.util.List.of(home, cgnB)));
    assertThat(pa.isEstablished(2) && pb.isEstablished(1)).isEqualTo(expected);
    assertThat(rule && cgnHairpin).isEqualTo(expected);
  }
}

package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.netbelief.punch.sim.Dependence.ADDRESS_AND_PORT_DEPENDENT;
import static org.netbelief.punch.sim.Dependence.ADDRESS_DEPENDENT;
import static org.netbelief.punch.sim.Dependence.ENDPOINT_INDEPENDENT;

import org.junit.jupiter.api.Test;

/**
 * One test per RFC 4787 behaviour, each showing the packet-level rule on a minimal topology: an
 * inside host 192.168.1.2:5000 behind a NAT at 198.51.100.1, and public servers on
 * 203.0.113.0/24. All links are ideal, so every packet is delivered unless a NAT rule drops it.
 */
class NatBehaviorTest {
  static final long SECOND = 1_000_000_000L;
  static final int NAT_ADDR = Endpoints.parseAddress("198.51.100.1");
  static final long S1 = Endpoints.parse("203.0.113.10:3478");
  static final long S1_OTHER_PORT = Endpoints.parse("203.0.113.10:3479");
  static final long S2 = Endpoints.parse("203.0.113.20:3478");

  SimNetwork net;
  int nat;
  Recorder inside;
  SimSocket in;
  Recorder s1;
  Recorder s1b;
  Recorder s2;

  void build(NatBehavior b) {
    net = new SimNetwork(7);
    nat = net.addNat(SimNetwork.INTERNET, NAT_ADDR, b, LinkProfile.IDEAL);
    int host = net.addHost(nat, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
    int h1 = net.addHost(SimNetwork.INTERNET, Endpoints.address(S1), LinkProfile.IDEAL);
    int h2 = net.addHost(SimNetwork.INTERNET, Endpoints.address(S2), LinkProfile.IDEAL);
    inside = new Recorder();
    s1 = new Recorder();
    s1b = new Recorder();
    s2 = new Recorder();
    in = net.bind(host, 5000, inside);
    net.bind(h1, Endpoints.port(S1), s1);
    net.bind(h1, Endpoints.port(S1_OTHER_PORT), s1b);
    net.bind(h2, Endpoints.port(S2), s2);
    net.runUntil(0);
  }

  /** The external endpoint the inside host was seen from by a recorder. */
  static long seenFrom(Recorder r) {
    return r.last().from();
  }

  @Test
  void outbound_throughNat_sourceIsTranslatedToExternalAddress() {
    build(NatBehavior.fullCone());
    Recorder.send(in, S1, "hello");
    net.runUntil(SECOND);
    assertThat(Endpoints.address(seenFrom(s1))).isEqualTo(NAT_ADDR);
    assertThat(s1.last().text()).isEqualTo("hello");
  }

  @Test
  void endpointIndependentMapping_twoDestinations_sameExternalPort() {
    build(NatBehavior.of(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT));
    Recorder.send(in, S1, "a");
    Recorder.send(in, S2, "b");
    net.runUntil(SECOND);
    assertThat(seenFrom(s2)).isEqualTo(seenFrom(s1));
  }

  @Test
  void addressDependentMapping_otherAddress_newPort_sameAddressOtherPort_samePort() {
    build(NatBehavior.of(ADDRESS_DEPENDENT, ADDRESS_DEPENDENT));
    Recorder.send(in, S1, "a");
    Recorder.send(in, S1_OTHER_PORT, "b");
    Recorder.send(in, S2, "c");
    net.runUntil(SECOND);
    assertThat(seenFrom(s1b)).isEqualTo(seenFrom(s1));
    assertThat(Endpoints.port(seenFrom(s2))).isNotEqualTo(Endpoints.port(seenFrom(s1)));
  }

  @Test
  void addressAndPortDependentMapping_sameAddressOtherPort_newPort() {
    build(NatBehavior.symmetric());
    Recorder.send(in, S1, "a");
    Recorder.send(in, S1_OTHER_PORT, "b");
    net.runUntil(SECOND);
    assertThat(Endpoints.port(seenFrom(s1b))).isNotEqualTo(Endpoints.port(seenFrom(s1)));
  }

  @Test
  void noMapping_unsolicitedInbound_dropped() {
    build(NatBehavior.fullCone());
    Recorder.send(s1.socket, Endpoints.of(NAT_ADDR, 5000), "knock");
    net.runUntil(SECOND);
    assertThat(inside.received).isEmpty();
    assertThat(net.stats().noMapping()).isEqualTo(1);
  }

  @Test
  void endpointIndependentFiltering_anySourceAfterMapping_passes() {
    build(NatBehavior.fullCone());
    Recorder.send(in, S1, "open");
    net.runUntil(SECOND);
    Recorder.send(s2.socket, seenFrom(s1), "from a stranger");
    net.runUntil(2 * SECOND);
    assertThat(inside.received).extracting(Recorder.Received::text)
        .containsExactly("from a stranger");
    assertThat(inside.last().from()).isEqualTo(S2);
  }

  @Test
  void addressDependentFiltering_sameAddressOtherPort_passes_otherAddress_dropped() {
    build(NatBehavior.of(ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT));
    Recorder.send(in, S1, "open");
    net.runUntil(SECOND);
    long ext = seenFrom(s1);
    Recorder.send(s1b.socket, ext, "same address, other port");
    Recorder.send(s2.socket, ext, "other address");
    net.runUntil(2 * SECOND);
    assertThat(inside.received).extracting(Recorder.Received::text)
        .containsExactly("same address, other port");
    assertThat(net.stats().filtered()).isEqualTo(1);
  }

  @Test
  void addressAndPortDependentFiltering_rightAddressOtherPort_dropped() {
    build(NatBehavior.of(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT));
    Recorder.send(in, S1, "open");
    net.runUntil(SECOND);
    long ext = seenFrom(s1);
    Recorder.send(s1b.socket, ext, "right address, other port");
    Recorder.send(s1.socket, ext, "exact endpoint");
    net.runUntil(2 * SECOND);
    assertThat(inside.received).extracting(Recorder.Received::text)
        .containsExactly("exact endpoint");
    assertThat(net.stats().filtered()).isEqualTo(1);
  }

  @Test
  void portPreserving_freePort_keepsInternalPort() {
    build(NatBehavior.fullCone().withPortAllocation(PortAllocation.PRESERVING));
    Recorder.send(in, S1, "a");
    net.runUntil(SECOND);
    assertThat(Endpoints.port(seenFrom(s1))).isEqualTo(5000);
  }

  @Test
  void portPreserving_portTakenByAnotherHost_fallsBackToAnotherPort() {
    build(NatBehavior.fullCone().withPortAllocation(PortAllocation.PRESERVING));
    int other = net.addHost(nat, Endpoints.parseAddress("192.168.1.3"), LinkProfile.IDEAL);
    SimSocket o = net.bind(other, 5000, new Recorder());
    net.runUntil(0);
    Recorder.send(in, S1, "first");
    net.runUntil(SECOND);
    long first = seenFrom(s1);
    Recorder.send(o, S1, "second");
    net.runUntil(2 * SECOND);
    assertThat(Endpoints.port(first)).isEqualTo(5000);
    assertThat(Endpoints.port(seenFrom(s1))).isNotEqualTo(5000);
  }

  @Test
  void sequentialAllocation_newMappings_consecutivePorts() {
    build(NatBehavior.symmetric().withPortAllocation(PortAllocation.SEQUENTIAL));
    Recorder.send(in, S1, "a");
    net.runUntil(SECOND);
    int p1 = Endpoints.port(seenFrom(s1));
    Recorder.send(in, S1_OTHER_PORT, "b");
    net.runUntil(2 * SECOND);
    int p2 = Endpoints.port(seenFrom(s1b));
    assertThat(p2).isEqualTo(p1 == 65535 ? 1024 : p1 + 1);
  }

  @Test
  void randomAllocation_newMappings_portsNotSequentialAndInRange() {
    build(NatBehavior.symmetric().withPortAllocation(PortAllocation.RANDOM));
    int[] ports = new int[8];
    for (int i = 0; i < ports.length; i++) {
      Recorder.send(in, Endpoints.of(Endpoints.address(S1), 4000 + i), "x");
    }
    // Nobody listens on 4000+i; observe the mappings through the ground-truth query instead.
    for (int i = 0; i < ports.length; i++) {
      long pub = net.publicEndpoint(in, Endpoints.of(Endpoints.address(S1), 4000 + i));
      ports[i] = Endpoints.port(pub);
    }
    int sequentialSteps = 0;
    for (int i = 1; i < ports.length; i++) {
      assertThat(ports[i]).isBetween(1024, 65535);
      if (ports[i] == ports[i - 1] + 1) {
        sequentialSteps++;
      }
    }
    // With 64 512 ports a chance step of +1 has probability ~1.6e-5 per pair: seven pairs
    // essentially never give more than one.
    assertThat(sequentialSteps).isLessThanOrEqualTo(1);
    assertThat(ports).doesNotHaveDuplicates();
  }

  @Test
  void bindingTimeout_silenceLongerThanTimeout_inboundDroppedAsExpired() {
    build(NatBehavior.fullCone().withBindingTimeoutNanos(30 * SECOND));
    Recorder.send(in, S1, "open");
    net.runUntil(SECOND);
    long ext = seenFrom(s1);
    net.runUntil(31 * SECOND);
    Recorder.send(s1.socket, ext, "too late");
    net.runUntil(32 * SECOND);
    assertThat(inside.received).isEmpty();
    assertThat(net.stats().expired()).isEqualTo(1);
  }

  @Test
  void bindingTimeout_outboundRefresh_keepsBindingAlive() {
    build(NatBehavior.fullCone().withBindingTimeoutNanos(30 * SECOND));
    Recorder.send(in, S1, "open");
    net.runUntil(20 * SECOND);
    Recorder.send(in, S1, "keepalive");
    net.runUntil(45 * SECOND);
    Recorder.send(s1.socket, seenFrom(s1), "still open");
    net.runUntil(46 * SECOND);
    assertThat(inside.received).extracting(Recorder.Received::text).containsExactly("still open");
  }

  @Test
  void bindingTimeout_inboundWithoutInboundRefresh_doesNotKeepAlive() {
    build(NatBehavior.fullCone().withBindingTimeoutNanos(30 * SECOND).withInboundRefresh(false));
    Recorder.send(in, S1, "open");
    net.runUntil(SECOND);
    long ext = seenFrom(s1);
    net.runUntil(20 * SECOND);
    Recorder.send(s1.socket, ext, "inbound at 20 s");
    net.runUntil(40 * SECOND);
    Recorder.send(s1.socket, ext, "inbound at 40 s");
    net.runUntil(41 * SECOND);
    assertThat(inside.received).extracting(Recorder.Received::text)
        .containsExactly("inbound at 20 s");
  }

  @Test
  void bindingTimeout_inboundRefreshOn_inboundKeepsAlive() {
    build(NatBehavior.fullCone().withBindingTimeoutNanos(30 * SECOND).withInboundRefresh(true));
    Recorder.send(in, S1, "open");
    net.runUntil(SECOND);
    long ext = seenFrom(s1);
    net.runUntil(20 * SECOND);
    Recorder.send(s1.socket, ext, "inbound at 20 s");
    net.runUntil(40 * SECOND);
    Recorder.send(s1.socket, ext, "inbound at 40 s");
    net.runUntil(41 * SECOND);
    assertThat(inside.received).extracting(Recorder.Received::text)
        .containsExactly("inbound at 20 s", "inbound at 40 s");
  }

  @Test
  void holeRemaining_afterOutbound_isTimeoutMinusElapsed_thenZero() {
    build(NatBehavior.of(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT)
        .withBindingTimeoutNanos(30 * SECOND));
    Recorder.send(in, S1, "open");
    net.runUntil(10 * SECOND);
    assertThat(net.holeRemainingNanos(in, S1)).isEqualTo(20 * SECOND);
    // APDF: the hole is for S1 exactly; the other port of the same server has none.
    assertThat(net.holeRemainingNanos(in, S1_OTHER_PORT)).isZero();
    net.runUntil(30 * SECOND);
    assertThat(net.holeRemainingNanos(in, S1)).isZero();
  }

  @Test
  void hairpinningOn_insideToOwnExternalMapping_loopsBackWithExternalSource() {
    build(NatBehavior.fullCone().withHairpinning(true));
    int other = net.addHost(nat, Endpoints.parseAddress("192.168.1.3"), LinkProfile.IDEAL);
    Recorder peer = new Recorder();
    SimSocket o = net.bind(other, 6000, peer);
    net.runUntil(0);
    Recorder.send(in, S1, "open");
    Recorder.send(o, S1, "open too");
    net.runUntil(SECOND);
    long insideExt = net.publicEndpoint(in, S1);
    long otherExt = net.publicEndpoint(o, S1);
    Recorder.send(o, insideExt, "hairpin");
    net.runUntil(2 * SECOND);
    assertThat(inside.received).extracting(Recorder.Received::text).containsExactly("hairpin");
    assertThat(inside.last().from()).isEqualTo(otherExt);
  }

  @Test
  void hairpinningOff_insideToOwnExternalMapping_dropped() {
    build(NatBehavior.fullCone().withHairpinning(false));
    int other = net.addHost(nat, Endpoints.parseAddress("192.168.1.3"), LinkProfile.IDEAL);
    SimSocket o = net.bind(other, 6000, new Recorder());
    net.runUntil(0);
    Recorder.send(in, S1, "open");
    net.runUntil(SECOND);
    Recorder.send(o, net.publicEndpoint(in, S1), "hairpin");
    net.runUntil(2 * SECOND);
    assertThat(inside.received).isEmpty();
    assertThat(net.stats().hairpinRefused()).isEqualTo(1);
  }

  @Test
  void rebinding_oldExternalPortDropped_newMappingGetsNewPort() {
    build(NatBehavior.fullCone().withPortAllocation(PortAllocation.SEQUENTIAL));
    Recorder.send(in, S1, "open");
    net.runUntil(SECOND);
    long before = seenFrom(s1);
    net.rebind(nat);
    Recorder.send(s1.socket, before, "to the old port");
    net.runUntil(2 * SECOND);
    assertThat(inside.received).isEmpty();
    assertThat(net.stats().noMapping()).isEqualTo(1);
    Recorder.send(in, S1, "again");
    net.runUntil(3 * SECOND);
    assertThat(seenFrom(s1)).isNotEqualTo(before);
  }

  @Test
  void natsInSeries_homeBehindCgn_serverSeesCgnAddressAndReplyGetsIn() {
    net = new SimNetwork(3);
    int cgnAddr = Endpoints.parseAddress("192.0.2.1");
    int cgn = net.addNat(SimNetwork.INTERNET, cgnAddr,
        NatBehavior.of(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT)
            .withPortAllocation(PortAllocation.SEQUENTIAL).withBindingTimeoutNanos(60 * SECOND),
        LinkProfile.IDEAL);
    int home = net.addNat(cgn, Endpoints.parseAddress("10.0.0.2"),
        NatBehavior.fullCone().withBindingTimeoutNanos(300 * SECOND), LinkProfile.IDEAL);
    int host = net.addHost(home, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
    int srv = net.addHost(SimNetwork.INTERNET, Endpoints.address(S1), LinkProfile.IDEAL);
    inside = new Recorder();
    s1 = new Recorder();
    in = net.bind(host, 5000, inside);
    net.bind(srv, Endpoints.port(S1), s1);
    net.runUntil(0);
    Recorder.send(in, S1, "through two NATs");
    net.runUntil(SECOND);
    assertThat(Endpoints.address(seenFrom(s1))).isEqualTo(cgnAddr);
    Recorder.send(s1.socket, seenFrom(s1), "reply");
    net.runUntil(2 * SECOND);
    assertThat(inside.received).extracting(Recorder.Received::text).containsExactly("reply");
    // The hole lives as long as the shorter binding of the chain: the CGN's 60 s, opened at 0 s, read at 2 s.
    assertThat(net.holeRemainingNanos(in, S1)).isEqualTo(58 * SECOND);
    assertThat(net.publicEndpoint(in, S1)).isEqualTo(seenFrom(s1));
  }
}

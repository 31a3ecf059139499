package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Delivery finds the socket by the host's node record (its first two sockets) and by the
 * socket index (any more): every bound port of a host gets its own packets, an unbound one
 * none, and link state kept in the node record still applies.
 */
class SocketLookupTest {
  static final long MS = 1_000_000L;

  /** Records the ports its datagrams were delivered on. */
  static final class Sink implements SimApplication {
    final List<Integer> got = new ArrayList<>();
    final int port;

    Sink(int port) {
      this.port = port;
    }

    @Override
    public void onStart(SimSocket s, long nowNanos) {}

    @Override
    public void onDatagram(SimSocket s, byte[] data, int offset, int length, long from, long now) {
      got.add(Endpoints.port(s.localEndpoint()));
    }

    @Override
    public void onTimer(SimSocket s, long nowNanos) {}
  }

  @Test
  void deliver_fourSocketsOnOneHost_eachGetsItsOwnPortsPackets() {
    SimNetwork net = new SimNetwork(3);
    int target = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"),
        LinkProfile.ofMillis(1, 1, 0));
    int sender = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.2"),
        LinkProfile.IDEAL);
    int[] ports = {5000, 5001, 6000, 7000};
    Sink[] sinks = new Sink[ports.length];
    for (int i = 0; i < ports.length; i++) {
      sinks[i] = new Sink(ports[i]);
      net.bind(target, ports[i], sinks[i]);
    }
    SimSocket out = net.bind(sender, 9000, new Sink(9000));
    net.runUntil(0);
    byte[] payload = new byte[8];
    int[] order = {7000, 5000, 6000, 5001, 7000, 8000, 5000};
    for (int p : order) {
      out.send(Endpoints.of(Endpoints.parseAddress("192.0.2.1"), p), payload, 0, payload.length);
    }
    net.runUntil(10 * MS);
    assertThat(sinks[0].got).containsExactly(5000, 5000);
    assertThat(sinks[1].got).containsExactly(5001);
    assertThat(sinks[2].got).containsExactly(6000);
    assertThat(sinks[3].got).containsExactly(7000, 7000);
    assertThat(net.stats().noSocket()).isEqualTo(1); // port 8000
    assertThat(net.stats().delivered()).isEqualTo(6);
  }

  @Test
  void deliver_hostWithOneSocket_otherPortCountedAsNoSocket() {
    SimNetwork net = new SimNetwork(3);
    int target = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"),
        LinkProfile.IDEAL);
    int sender = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.2"),
        LinkProfile.IDEAL);
    Sink only = new Sink(5000);
    net.bind(target, 5000, only);
    SimSocket out = net.bind(sender, 9000, new Sink(9000));
    net.runUntil(0);
    byte[] payload = new byte[8];
    out.send(Endpoints.parse("192.0.2.1:5000"), payload, 0, 8);
    out.send(Endpoints.parse("192.0.2.1:5001"), payload, 0, 8);
    net.setLinkUp(target, false);
    assertThat(net.isLinkUp(target)).isFalse();
    out.send(Endpoints.parse("192.0.2.1:5000"), payload, 0, 8);
    net.setLinkUp(target, true);
    assertThat(net.isLinkUp(target)).isTrue();
    net.runUntil(MS);
    assertThat(only.got).containsExactly(5000);
    assertThat(net.stats().noSocket()).isEqualTo(1);
    assertThat(net.stats().linkDown()).isEqualTo(1);
    assertThat(net.isNat(target)).isFalse();
    assertThat(net.behind(target)).isEqualTo(SimNetwork.INTERNET);
    assertThat(net.address(target)).isEqualTo(Endpoints.parseAddress("192.0.2.1"));
  }
}

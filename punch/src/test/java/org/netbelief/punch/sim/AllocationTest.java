package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The event loop allocates nothing per packet once its pools have grown: two hosts behind
 * APDF NATs ping-pong through lossy, jittery links, and the allocation counter of the running
 * thread barely moves over 200 000 packets.
 */
class AllocationTest {
  static final long MS = 1_000_000L;

  @Test
  void runUntil_steadyPingPongThroughNats_allocatesNothingPerPacket() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
    mx.setThreadAllocatedMemoryEnabled(true);
    SimNetwork net = new SimNetwork(1);
    NatBehavior b = NatBehavior.of(Dependence.ENDPOINT_INDEPENDENT,
        Dependence.ADDRESS_AND_PORT_DEPENDENT);
    int na = net.addNat(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"), b,
        LinkProfile.ofMillis(10, 3, 0.01));
    int nb = net.addNat(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.2"),
        b.withBindingTimeoutNanos(30_000 * MS), LinkProfile.ofMillis(20, 5, 0.01));
    int ha = net.addHost(na, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
    int hb = net.addHost(nb, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
    long pubA = Endpoints.parse("192.0.2.1:5000");
    long pubB = Endpoints.parse("192.0.2.2:5000");
    byte[] payload = new byte[64];
    // Each side sends to the other every 1 ms on its timer, and answers nothing: with EIM and
    // port preservation both know the other's public endpoint; APDF opens by the first packet.
    SimApplication app = new SimApplication() {
      @Override
      public void onStart(SimSocket s, long now) {
        s.setTimer(now + MS);
      }

      @Override
      public void onDatagram(SimSocket s, byte[] d, int o, int l, long from, long now) {}

      @Override
      public void onTimer(SimSocket s, long now) {
        s.send(s.host() == ha ? pubB : pubA, payload, 0, payload.length);
        s.setTimer(now + MS);
      }
    };
    net.bind(ha, 5000, app);
    net.bind(hb, 5000, app);
    net.runUntil(5_000 * MS); // warm-up: pools grow, JIT compiles
    long delivered0 = net.stats().delivered();
    long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
    net.runUntil(105_000 * MS); // 100 s: 200 000 packets
    long after = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
    long packets = net.stats().delivered() - delivered0;
    assertThat(packets).isGreaterThan(190_000);
    // Less than one byte per packet on average: nothing per packet is allocated (a single
    // 16-byte object per packet would already be 3.2 MB).
    assertThat(after - before).isLessThan(packets);
  }
}

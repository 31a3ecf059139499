package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Links: delay, jitter, loss, outages, and determinism of the whole network for a seed. */
class LinkTest {
  static final long MS = 1_000_000L;
  static final long A = Endpoints.parse("192.0.2.1:1000");
  static final long B = Endpoints.parse("192.0.2.2:2000");

  SimNetwork net;
  SimSocket a;
  Recorder b;
  int hostA;

  void build(long seed, LinkProfile la, LinkProfile lb) {
    net = new SimNetwork(seed);
    hostA = net.addHost(SimNetwork.INTERNET, Endpoints.address(A), la);
    int hb = net.addHost(SimNetwork.INTERNET, Endpoints.address(B), lb);
    a = net.bind(hostA, Endpoints.port(A), new Recorder());
    b = new Recorder();
    net.bind(hb, Endpoints.port(B), b);
    net.runUntil(0);
  }

  @Test
  void delay_twoLinks_arrivalIsSumOfDelays() {
    build(1, LinkProfile.ofMillis(12, 0, 0), LinkProfile.ofMillis(30, 0, 0));
    Recorder.send(a, B, "x");
    net.runUntil(1000 * MS);
    assertThat(b.last().at()).isEqualTo(42 * MS);
    assertThat(b.last().from()).isEqualTo(A);
  }

  @Test
  void jitter_manyPackets_withinBoundsAndVaried() {
    build(1, LinkProfile.ofMillis(10, 5, 0), LinkProfile.IDEAL);
    for (int i = 0; i < 200; i++) {
      Recorder.send(a, B, "x");
    }
    net.runUntil(1000 * MS);
    assertThat(b.received).hasSize(200);
    assertThat(b.received).allSatisfy(r -> assertThat(r.at()).isBetween(10 * MS, 15 * MS));
    assertThat(b.received.stream().mapToLong(Recorder.Received::at).distinct().count())
        .isGreaterThan(100);
  }

  @Test
  void loss_tenPercentOnBothLinks_deliveredFractionNearEightyOne() {
    build(3, new LinkProfile(0, 0, 0.1), new LinkProfile(0, 0, 0.1));
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      Recorder.send(a, B, "x");
    }
    net.runUntil(MS);
    // Delivery needs both links: p = 0.9^2 = 0.81. Binomial sd = sqrt(n p (1-p)) = 55.5 packets;
    // 5 sd = 278 packets, a false failure has probability < 1e-6.
    assertThat(b.received.size()).isBetween((int) (0.81 * n) - 278, (int) (0.81 * n) + 278);
    assertThat(net.stats().lost() + net.stats().delivered()).isEqualTo(n);
  }

  @Test
  void outage_linkDown_dropsUntilBackUp() {
    build(1, LinkProfile.IDEAL, LinkProfile.IDEAL);
    net.setLinkUp(hostA, false);
    Recorder.send(a, B, "during outage");
    net.runUntil(MS);
    net.setLinkUp(hostA, true);
    Recorder.send(a, B, "after");
    net.runUntil(2 * MS);
    assertThat(b.received).extracting(Recorder.Received::text).containsExactly("after");
    assertThat(net.stats().linkDown()).isEqualTo(1);
  }

  @Test
  void timer_resetBeforeDeadline_onlyLatestFires() {
    build(1, LinkProfile.IDEAL, LinkProfile.IDEAL);
    long[] fired = {-1, 0};
    SimSocket s = net.bind(hostA, 999, new SimApplication() {
      @Override
      public void onStart(SimSocket socket, long now) {
        socket.setTimer(now + 5 * MS);
        socket.setTimer(now + 9 * MS);
      }

      @Override
      public void onDatagram(SimSocket socket, byte[] d, int o, int l, long f, long now) {}

      @Override
      public void onTimer(SimSocket socket, long now) {
        fired[0] = now;
        fired[1]++;
      }
    });
    net.runUntil(100 * MS);
    assertThat(fired[0]).isEqualTo(9 * MS);
    assertThat(fired[1]).isEqualTo(1);
    assertThat(s.timerDeadline()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void timer_pushedBackOnEveryCall_firesOnceAtLastDeadline_heapStaysSmall() {
    build(1, LinkProfile.IDEAL, LinkProfile.IDEAL);
    long[] fired = {0, -1};
    SimSocket s = net.bind(hostA, 998, new SimApplication() {
      @Override
      public void onStart(SimSocket socket, long now) {}

      @Override
      public void onDatagram(SimSocket socket, byte[] d, int o, int l, long f, long now) {}

      @Override
      public void onTimer(SimSocket socket, long now) {
        fired[0]++;
        fired[1] = now;
      }
    });
    net.runUntil(0);
    for (int i = 1; i <= 10_000; i++) {
      s.setTimer(10 * MS + i);
    }
    // Pushing a deadline later queues nothing new: one entry stays, re-queued when it comes due.
    assertThat(net.pendingEvents()).isEqualTo(1);
    net.runUntil(20 * MS);
    assertThat(fired[0]).isEqualTo(1);
    assertThat(fired[1]).isEqualTo(10 * MS + 10_000);
  }

  @Test
  void timer_disarmed_neverFires_rearmedEarlier_firesEarlier() {
    build(1, LinkProfile.IDEAL, LinkProfile.IDEAL);
    long[] fired = {0, -1};
    SimSocket s = net.bind(hostA, 997, new SimApplication() {
      @Override
      public void onStart(SimSocket socket, long now) {}

      @Override
      public void onDatagram(SimSocket socket, byte[] d, int o, int l, long f, long now) {}

      @Override
      public void onTimer(SimSocket socket, long now) {
        fired[0]++;
        fired[1] = now;
      }
    });
    net.runUntil(0);
    s.setTimer(50 * MS);
    s.setTimer(Long.MAX_VALUE);
    net.runUntil(60 * MS);
    assertThat(fired[0]).isZero();
    s.setTimer(100 * MS);
    s.setTimer(70 * MS);
    net.runUntil(200 * MS);
    assertThat(fired[0]).isEqualTo(1);
    assertThat(fired[1]).isEqualTo(70 * MS);
  }

  @Test
  void send_oversizedDatagram_refusedNamingLength() {
    build(1, LinkProfile.IDEAL, LinkProfile.IDEAL);
    assertThatThrownBy(() -> a.send(B, new byte[2000], 0, 2000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2000");
  }

  @Test
  void addHost_addressTakenInRealm_refused() {
    build(1, LinkProfile.IDEAL, LinkProfile.IDEAL);
    assertThatThrownBy(() -> net.addHost(SimNetwork.INTERNET, Endpoints.address(A),
        LinkProfile.IDEAL)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("192.0.2.1");
  }

  @Test
  void run_sameSeed_identicalArrivals_otherSeed_different() {
    assertThat(arrivals(77)).isEqualTo(arrivals(77)).isNotEqualTo(arrivals(78));
  }

  private String arrivals(long seed) {
    build(seed, LinkProfile.ofMillis(10, 8, 0.2), LinkProfile.ofMillis(5, 3, 0.1));
    for (int i = 0; i < 300; i++) {
      Recorder.send(a, B, Integer.toString(i));
    }
    net.runUntil(1000 * MS);
    StringBuilder sb = new StringBuilder();
    for (Recorder.Received r : b.received) {
      sb.append(r.text()).append('@').append(r.at()).append(';');
    }
    return sb.toString();
  }
}

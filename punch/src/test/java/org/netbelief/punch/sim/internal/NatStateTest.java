package org.netbelief.punch.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.sim.Dependence;
import org.netbelief.punch.sim.Endpoints;
import org.netbelief.punch.sim.NatBehavior;

class NatStateTest {
  static final long S = 1_000_000_000L;
  static final long INSIDE = Endpoints.parse("192.168.1.2:5000");

  @Test
  void tables_manyShortLivedRemotes_stayBoundedByLiveBindings() {
    // APDM + APDF: every remote gets its own mapping and permission. One new remote per second
    // for an hour with a 30 s timeout leaves about 30 live bindings; the tables must follow the
    // live count (sweeps at each doubling), not the 3600 created.
    NatState nat = new NatState(NatBehavior.symmetric().withBindingTimeoutNanos(30 * S),
        Endpoints.parseAddress("198.51.100.1"), new SplittableRandom(1));
    for (int i = 0; i < 3600; i++) {
      long remote = Endpoints.of(Endpoints.parseAddress("203.0.113.7"), 1024 + i);
      assertThat(nat.outbound(INSIDE, remote, i * S)).isPositive();
    }
    assertThat(nat.mappingCount()).isLessThan(2 * 64 + 31);
    assertThat(nat.permissionCount()).isLessThan(2 * 64 + 31);
  }

  @Test
  void permissions_eimMappingManyRemotes_sweptAsTheyExpire() {
    NatState nat = new NatState(NatBehavior.of(Dependence.ENDPOINT_INDEPENDENT,
        Dependence.ADDRESS_AND_PORT_DEPENDENT).withBindingTimeoutNanos(30 * S),
        Endpoints.parseAddress("198.51.100.1"), new SplittableRandom(1));
    for (int i = 0; i < 3600; i++) {
      long remote = Endpoints.of(Endpoints.parseAddress("203.0.113.7"), 1024 + i);
      nat.outbound(INSIDE, remote, i * S);
    }
    assertThat(nat.mappingCount()).isEqualTo(1);
    assertThat(nat.permissionCount()).isLessThan(2 * 64 + 31);
  }

  @Test
  void inbound_resultCodes_distinguishNoMappingExpiredFiltered() {
    NatState nat = new NatState(NatBehavior.of(Dependence.ENDPOINT_INDEPENDENT,
        Dependence.ADDRESS_AND_PORT_DEPENDENT).withBindingTimeoutNanos(30 * S),
        Endpoints.parseAddress("198.51.100.1"), new SplittableRandom(1));
    long r1 = Endpoints.parse("203.0.113.7:1000");
    long r2 = Endpoints.parse("203.0.113.7:1001");
    assertThat(nat.inbound(r1, 5000, 0)).isEqualTo(NatState.NO_MAPPING);
    int port = nat.outbound(INSIDE, r1, 0);
    assertThat(nat.inbound(r1, port, S)).isEqualTo(INSIDE);
    assertThat(nat.inbound(r2, port, S)).isEqualTo(NatState.FILTERED);
    assertThat(nat.remainingNanos(INSIDE, r1, 10 * S)).isEqualTo(20 * S);
    assertThat(nat.inbound(r1, port, 30 * S)).isEqualTo(NatState.EXPIRED);
  }

  /*
   * The last-mapping shortcut of outbound must never hand a flow another flow's mapping, nor a
   * removed one: random traffic from four inside hosts to five remotes, with time steps that
   * let mappings expire (and their slots be reused), sweeps, and rebinds. After every outbound
   * the external port must lead back to the sender (inbound from the same remote), and under
   * endpoint-independent mapping a host keeps its port while it refreshes it within the timeout.
   */
  @Test
  void outbound_randomFlowsExpiriesAndRebinds_portLeadsBackToTheSender() {
    for (NatBehavior b : new NatBehavior[] {
        NatBehavior.of(Dependence.ENDPOINT_INDEPENDENT, Dependence.ENDPOINT_INDEPENDENT),
        NatBehavior.symmetric()}) {
      NatState nat = new NatState(b.withBindingTimeoutNanos(30 * S),
          Endpoints.parseAddress("198.51.100.1"), new SplittableRandom(3));
      SplittableRandom r = new SplittableRandom(8);
      long[] inside = new long[4];
      for (int h = 0; h < inside.length; h++) {
        inside[h] = Endpoints.of(Endpoints.parseAddress("192.168.1." + (2 + h)), 5000);
      }
      int[] lastPort = new int[inside.length];
      long[] lastSent = new long[inside.length];
      java.util.Arrays.fill(lastSent, Long.MIN_VALUE / 2);
      long now = 0;
      for (int i = 0; i < 20_000; i++) {
        now += r.nextInt(5) == 0 ? 40 * S : r.nextInt(2_000_000_000);
        if (r.nextInt(500) == 0) {
          nat.rebind();
          java.util.Arrays.fill(lastSent, Long.MIN_VALUE / 2);
        }
        int h = r.nextInt(inside.length);
        long remote = Endpoints.of(Endpoints.parseAddress("203.0.113." + (7 + r.nextInt(5))), 4000);
        int port = nat.outbound(inside[h], remote, now);
        assertThat(port).isPositive();
        assertThat(nat.inbound(remote, port, now)).as("step %d", i).isEqualTo(inside[h]);
        if (b.mapping() == Dependence.ENDPOINT_INDEPENDENT && now - lastSent[h] < 30 * S) {
          assertThat(port).as("step %d", i).isEqualTo(lastPort[h]);
        }
        lastPort[h] = port;
        lastSent[h] = now;
      }
    }
  }
}

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

  @Test
  void permissions_endpointIndependentFiltering_noneKept() {
    NatState nat = new NatState(NatBehavior.fullCone().withBindingTimeoutNanos(30 * S),
        Endpoints.parseAddress("198.51.100.1"), new SplittableRandom(1));
    long r1 = Endpoints.parse("203.0.113.7:1000");
    long r2 = Endpoints.parse("203.0.113.8:2000");
    int port = nat.outbound(INSIDE, r1, 0);
    assertThat(nat.permissionCount()).isZero();
    assertThat(nat.inbound(r2, port, S)).isEqualTo(INSIDE); // anyone in while the mapping lives
    assertThat(nat.remainingNanos(INSIDE, r2, 10 * S)).isEqualTo(20 * S);
    nat.rebind();
    assertThat(nat.inbound(r1, port, 11 * S)).isEqualTo(NatState.NO_MAPPING);
  }

  @Test
  void entries_growPastInitialSizeThenExpireAndReuse_eachPortLeadsToItsOwner() {
    // Symmetric NAT, 200 inside endpoints each to 3 remotes: 600 mappings, far past the
    // tables' initial 8 slots and the entry array's 4 entries, so both grow many times; then
    // all expire, the next round reuses the freed entry slots, and every mapping must still
    // carry its own internal endpoint, port and permission.
    NatState nat = new NatState(NatBehavior.symmetric().withBindingTimeoutNanos(30 * S),
        Endpoints.parseAddress("198.51.100.1"), new SplittableRandom(4));
    for (int round = 0; round < 2; round++) {
      long now = round * 100 * S;
      int[][] ports = new int[200][3];
      for (int h = 0; h < 200; h++) {
        long inside = Endpoints.of(Endpoints.parseAddress("10.0." + (h / 200) + "." + (h % 200 + 1)), 5000);
        for (int k = 0; k < 3; k++) {
          long remote = Endpoints.of(Endpoints.parseAddress("203.0.113." + (1 + k)), 4000);
          ports[h][k] = nat.outbound(inside, remote, now);
          assertThat(ports[h][k]).isPositive();
        }
      }
      for (int h = 0; h < 200; h++) {
        long inside = Endpoints.of(Endpoints.parseAddress("10.0." + (h / 200) + "." + (h % 200 + 1)), 5000);
        for (int k = 0; k < 3; k++) {
          long remote = Endpoints.of(Endpoints.parseAddress("203.0.113." + (1 + k)), 4000);
          long other = Endpoints.of(Endpoints.parseAddress("203.0.113." + (1 + (k + 1) % 3)), 4000);
          assertThat(nat.inbound(remote, ports[h][k], now + S)).isEqualTo(inside);
          assertThat(nat.inbound(other, ports[h][k], now + S)).isEqualTo(NatState.FILTERED);
          assertThat(nat.externalPort(inside, remote, now + S)).isEqualTo(ports[h][k]);
        }
      }
      assertThat(nat.mappingCount()).isEqualTo(600);
      assertThat(nat.externalPort(Endpoints.of(Endpoints.parseAddress("10.0.0.1"), 5000),
          Endpoints.of(Endpoints.parseAddress("203.0.113.1"), 4000), now + 31 * S)).isEqualTo(-1);
    }
  }
}

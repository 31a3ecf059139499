package org.netbelief.punch.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.sim.Dependence;
import org.netbelief.punch.sim.Endpoints;
import org.netbelief.punch.sim.NatBehavior;
import org.netbelief.punch.sim.PortAllocation;

/**
 * {@link NatState} (small and large layouts) against {@link ReferenceNatState} (the one-layout
 * implementation it replaced): the same long random sequence of outbound, inbound,
 * remainingNanos, externalPort and rebind calls, for every mapping, filtering, port allocation
 * and inbound-refresh combination and several timeouts and traffic sizes, must give the same
 * result at every step, and the same mapping and permission counts (which follow the lazy
 * expiries and the sweeps). Both draw their ports from random sources with the same seed, so
 * the same ports also mean the same number and order of random draws.
 */
class NatStateDifferentialTest {
  static final long S = 1_000_000_000L;

  /** Inside hosts, remote addresses, ports per remote address: small to far past the limits. */
  static final int[][] SIZES = {{1, 3, 2}, {3, 6, 3}, {4, 20, 3}, {30, 60, 4}};

  @Test
  void everyBehaviour_randomCalls_sameResultsAsReference() {
    int combos = 0;
    int wentLarge = 0;
    int stayedSmall = 0;
    for (Dependence m : Dependence.values()) {
      for (Dependence f : Dependence.values()) {
        for (PortAllocation pa : PortAllocation.values()) {
          for (boolean refresh : new boolean[] {false, true}) {
            for (long timeout : new long[] {5 * S, 30 * S, 120 * S}) {
              for (int z = 0; z < SIZES.length; z++) {
                NatBehavior b = new NatBehavior(m, f, pa, timeout, refresh, z % 2 == 0);
                long seed = 1000L * combos + z;
                boolean large = run(b, seed, SIZES[z], 6000);
                combos++;
                if (large) {
                  wentLarge++;
                } else {
                  stayedSmall++;
                }
              }
            }
          }
        }
      }
    }
    // Both layouts (and the moves between them) were exercised.
    assertThat(wentLarge).isGreaterThan(combos / 2);
    assertThat(stayedSmall).isGreaterThan(combos / 10);
  }

  /** Runs one random sequence; returns whether the NAT was in the large layout at some point. */
  private static boolean run(NatBehavior b, long seed, int[] size, int steps) {
    int ext = Endpoints.parseAddress("198.51.100.1");
    NatState nat = new NatState(b, ext, new SplittableRandom(seed));
    ReferenceNatState ref = new ReferenceNatState(b, ext, new SplittableRandom(seed));
    SplittableRandom r = new SplittableRandom(seed * 31 + 7);
    long[] inside = new long[size[0]];
    for (int h = 0; h < inside.length; h++) {
      // Mostly the same internal port, so port preservation collides and falls back.
      int port = r.nextInt(3) == 0 ? 5000 + r.nextInt(3) : 5000;
      inside[h] = Endpoints.of(Endpoints.parseAddress("192.168.1.2") + h, port);
    }
    long[] remotes = new long[size[1] * size[2]];
    for (int i = 0; i < remotes.length; i++) {
      remotes[i] = Endpoints.of(Endpoints.parseAddress("203.0.113.1") + i / size[2],
          4000 + i % size[2]);
    }
    int[] recentPorts = new int[16];
    int recent = 0;
    long now = r.nextInt(10) * S;
    long timeout = b.bindingTimeoutNanos();
    boolean large = false;
    boolean wide = r.nextInt(8) == 0; // some runs also see values wider than an endpoint
    for (int i = 0; i < steps; i++) {
      // Time steps in tenths of a second, so expiry boundaries (expiresAt == now) happen.
      int dt = r.nextInt(20);
      if (dt == 0) {
        now += timeout + r.nextInt(3) * S / 10 - S / 10; // just before, at or after an expiry
      } else if (dt < 4) {
        now += r.nextInt((int) (timeout / (S / 10))) * (S / 10);
      } else if (dt < 12) {
        now += r.nextInt(10) * (S / 10);
      }
      long in = inside[r.nextInt(inside.length)];
      // Mostly a few busy remotes, sometimes any of them.
      long remote = remotes[r.nextInt(4) == 0 ? r.nextInt(remotes.length)
          : r.nextInt(Math.min(remotes.length, 4))];
      if (wide && r.nextInt(2000) == 0) {
        remote |= 1L << (48 + r.nextInt(15)); // wider than an endpoint: the API allows it
      }
      int op = r.nextInt(100);
      if (op < 45) {
        int p = nat.outbound(in, remote, now);
        same("outbound", p, ref.outbound(in, remote, now), seed, i, b);
        recentPorts[recent++ & 15] = p;
      } else if (op < 85) {
        int port;
        int k = r.nextInt(10);
        if (k < 7 && recent > 0) {
          port = recentPorts[r.nextInt(Math.min(recent, 16))];
        } else if (k < 9) {
          port = Endpoints.port(inside[r.nextInt(inside.length)]);
        } else {
          port = 1024 + r.nextInt(64512);
        }
        same("inbound", nat.inbound(remote, port, now), ref.inbound(remote, port, now), seed, i,
            b);
      } else if (op < 92) {
        same("remainingNanos", nat.remainingNanos(in, remote, now),
            ref.remainingNanos(in, remote, now), seed, i, b);
      } else if (op < 99 || r.nextInt(5) != 0) {
        same("externalPort", nat.externalPort(in, remote, now),
            ref.externalPort(in, remote, now), seed, i, b);
      } else {
        nat.rebind();
        ref.rebind();
      }
      same("mappingCount", nat.mappingCount(), ref.mappingCount(), seed, i, b);
      same("permissionCount", nat.permissionCount(), ref.permissionCount(), seed, i, b);
      large |= nat.isLarge();
    }
    return large;
  }

  /** Fails (with where) unless the two results are equal; cheap when they are. */
  private static void same(String what, long got, long expected, long seed, int step,
      NatBehavior b) {
    if (got != expected) {
      assertThat(got).as("%s at step %d of seed %d, %s", what, step, seed, b)
          .isEqualTo(expected);
    }
  }

  @Test
  void smallLayout_homeNatTraffic_staysSmall() {
    // A home NAT (EIM/APDF) with one host and a dozen remotes keeps everything in one array.
    NatState nat = new NatState(NatBehavior.of(Dependence.ENDPOINT_INDEPENDENT,
        Dependence.ADDRESS_AND_PORT_DEPENDENT).withBindingTimeoutNanos(30 * S),
        Endpoints.parseAddress("198.51.100.1"), new SplittableRandom(1));
    long inside = Endpoints.parse("192.168.1.2:5000");
    for (int i = 0; i < 1000; i++) {
      long remote = Endpoints.of(Endpoints.parseAddress("203.0.113.7"), 1000 + i % 12);
      int port = nat.outbound(inside, remote, i * S);
      assertThat(nat.inbound(remote, port, i * S + 1)).isEqualTo(inside);
    }
    assertThat(nat.isLarge()).isFalse();
    assertThat(nat.permissionCount()).isEqualTo(12);
  }
}

package org.netbelief.punch.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The peers of a {@link Scenario} built into a {@link SimNetwork}: for each peer a host at
 * 192.168.1.2 behind its own NAT (and, for classes with a carrier-grade NAT, that home NAT at a
 * 10.x address behind a CGN shared by {@code peersPerCgn} peers), plus a rendezvous host at
 * {@link #RENDEZVOUS}. Applications are bound by the caller: {@link #host(int)} names each peer's
 * host.
 *
 * <h2>Addresses</h2>
 *
 * Servers sit in 203.0.113.0/24 (RFC 5737). Public NAT addresses come from 192.0.2.0/24 and
 * 198.51.100.0/24 (RFC 5737) and, past those 508, from 198.18.0.0/15 (RFC 2544, the benchmarking
 * range): large populations need more public addresses than the documentation ranges hold. They
 * are labels only.
 *
 * <h2>Assignment</h2>
 *
 * Class counts follow the weights exactly (largest remainder), then the order is shuffled with
 * the scenario seed; per-NAT binding timeouts and per-peer uplink delays are drawn uniformly from
 * their ranges. The same scenario gives the same population.
 *
 * <pre>{@code
 * SimNetwork net = new SimNetwork(scenario.seed());
 * Population pop = Population.build(scenario, net);
 * for (int i = 0; i < pop.size(); i++) net.bind(pop.host(i), 5000, appFor(i));
 * }</pre>
 */
public final class Population {
  /** The rendezvous server's endpoint. */
  public static final long RENDEZVOUS = Endpoints.parse("203.0.113.1:3478");
  /**
   * The rendezvous's alternate port on its primary address (NAT behaviour discovery, RFC 5780):
   * bind {@code Endpoints.port(RENDEZVOUS_ALT_PORT)} on {@link #rendezvousHost()}.
   */
  public static final long RENDEZVOUS_ALT_PORT = Endpoints.parse("203.0.113.1:3479");
  /**
   * The rendezvous's alternate address and port: bind {@code Endpoints.port(...)} on {@link
   * #rendezvousAltHost()}, a second host standing for the server's second address.
   */
  public static final long RENDEZVOUS_ALT_ADDRESS = Endpoints.parse("203.0.113.3:3479");
  /** An address for a relay server, if the caller adds one. */
  public static final int RELAY_ADDRESS = Endpoints.parseAddress("203.0.113.2");

  private final Scenario scenario;
  private final int rendezvousHost;
  private int rendezvousAltHost;
  private final int[] host;
  private final int[] homeNat;
  private final int[] cgn;
  private final int[] natClass;
  private final NatBehavior[] effective;
  private final boolean[] cgnHairpins;

  private Population(Scenario scenario, int rendezvousHost, int n) {
    this.scenario = scenario;
    this.rendezvousHost = rendezvousHost;
    this.host = new int[n];
    this.homeNat = new int[n];
    this.cgn = new int[n];
    this.natClass = new int[n];
    this.effective = new NatBehavior[n];
    this.cgnHairpins = new boolean[n];
  }

  /** Builds the scenario's peers into {@code net}, which must be empty. */
  public static Population build(Scenario s, SimNetwork net) {
    if (net.nodeCount() != 0) {
      throw new IllegalArgumentException("the network must be empty, has " + net.nodeCount());
    }
    SplittableRandom rnd = new SplittableRandom(s.seed() ^ 0x5EED_0F_5EEDL);
    int rv = net.addHost(SimNetwork.INTERNET, Endpoints.address(RENDEZVOUS),
        LinkProfile.ofMillis(5, 0, 0));
    int n = s.peers();
    Population p = new Population(s, rv, n);
    int[] classes = assign(s.natMix(), n, rnd);
    AddressPool pub = new AddressPool();
    List<Scenario.NatClass> mix = s.natMix();
    int[] cgnOfClass = new int[mix.size()];
    int[] cgnMembers = new int[mix.size()];
    int[] cgnInside = new int[mix.size()];
    java.util.Arrays.fill(cgnOfClass, -1);
    double jitter = s.uplinkJitterMillis();
    for (int i = 0; i < n; i++) {
      int c = classes[i];
      Scenario.NatClass k = mix.get(c);
      LinkProfile access = LinkProfile.ofMillis(
          uniform(rnd, s.uplinkDelayMillis()), jitter, s.uplinkLoss());
      NatBehavior home = k.nat().toBehavior(seconds(uniform(rnd, k.nat().bindingTimeoutSeconds())));
      int homeId;
      int cgnId = -1;
      if (k.cgn() == null) {
        homeId = net.addNat(SimNetwork.INTERNET, pub.next(), home, access);
      } else {
        if (cgnOfClass[c] < 0 || cgnMembers[c] >= k.peersPerCgn()) {
          NatBehavior cb = k.cgn().toBehavior(seconds(uniform(rnd, k.cgn().bindingTimeoutSeconds())));
          cgnOfClass[c] = net.addNat(SimNetwork.INTERNET, pub.next(), cb,
              LinkProfile.ofMillis(2, 0, 0));
          cgnMembers[c] = 0;
          cgnInside[c] = 0;
        }
        cgnId = cgnOfClass[c];
        cgnMembers[c]++;
        int inside = Endpoints.parseAddress("10.0.0.0") + 2 + cgnInside[c]++;
        homeId = net.addNat(cgnId, inside, home, access);
      }
      p.host[i] = net.addHost(homeId, Endpoints.parseAddress("192.168.1.2"), LinkProfile.IDEAL);
      p.homeNat[i] = homeId;
      p.cgn[i] = cgnId;
      p.natClass[i] = c;
      p.cgnHairpins[i] = cgnId >= 0 && net.natBehavior(cgnId).hairpinning();
      p.effective[i] = cgnId < 0 ? home
          : GroundTruth.effective(List.of(home, net.natBehavior(cgnId)));
    }
    // Added last, so every other node keeps the id it had before discovery existed.
    p.rendezvousAltHost = net.addHost(SimNetwork.INTERNET, Endpoints.address(RENDEZVOUS_ALT_ADDRESS),
        LinkProfile.ofMillis(5, 0, 0));
    return p;
  }

  /** Class index per peer: exact largest-remainder counts, shuffled. */
  static int[] assign(List<Scenario.NatClass> mix, int n, SplittableRandom rnd) {
    double total = 0;
    for (Scenario.NatClass c : mix) {
      total += c.weight();
    }
    int[] count = new int[mix.size()];
    double[] rem = new double[mix.size()];
    int given = 0;
    for (int c = 0; c < mix.size(); c++) {
      double exact = n * mix.get(c).weight() / total;
      count[c] = (int) Math.floor(exact);
      rem[c] = exact - count[c];
      given += count[c];
    }
    List<Integer> order = new ArrayList<>();
    for (int c = 0; c < mix.size(); c++) {
      order.add(c);
    }
    // Largest remainder first; ties by class order (the sort is stable).
    order.sort((x, y) -> Double.compare(rem[y], rem[x]));
    for (int k = 0; given < n; k++, given++) {
      count[order.get(k % order.size())]++;
    }
    int[] out = new int[n];
    int i = 0;
    for (int c = 0; c < mix.size(); c++) {
      for (int j = 0; j < count[c]; j++) {
        out[i++] = c;
      }
    }
    for (int j = n - 1; j > 0; j--) {
      int r = rnd.nextInt(j + 1);
      int t = out[j];
      out[j] = out[r];
      out[r] = t;
    }
    return out;
  }

  private static double uniform(SplittableRandom rnd, Scenario.Range r) {
    return r.max() > r.min() ? r.min() + rnd.nextDouble() * (r.max() - r.min()) : r.min();
  }

  private static long seconds(double s) {
    return Math.max(1, Math.round(s * 1e9));
  }

  /** The scenario this population was built from. */
  public Scenario scenario() {
    return scenario;
  }

  /** Number of peers. */
  public int size() {
    return host.length;
  }

  /** The rendezvous host's node id (bind {@code Endpoints.port(RENDEZVOUS)} on it). */
  public int rendezvousHost() {
    return rendezvousHost;
  }

  /** The host standing for the rendezvous's alternate address ({@link #RENDEZVOUS_ALT_ADDRESS}). */
  public int rendezvousAltHost() {
    return rendezvousAltHost;
  }

  /** Peer {@code i}'s host node id. */
  public int host(int i) {
    return host[i];
  }

  /** Peer {@code i}'s own NAT (its uplink is the peer's access line: outages act on it). */
  public int homeNat(int i) {
    return homeNat[i];
  }

  /** The carrier-grade NAT in front of peer {@code i}, or -1. */
  public int cgn(int i) {
    return cgn[i];
  }

  /** Index into {@link Scenario#natMix()} of peer {@code i}'s class. */
  public int natClass(int i) {
    return natClass[i];
  }

  /** The behaviour peer {@code i}'s NAT chain shows to punching. */
  public NatBehavior effectiveBehavior(int i) {
    return effective[i];
  }

  /**
   * Ground truth: whether peers {@code i} and {@code j} can punch a hole (see
   * {@link GroundTruth}). Two peers behind the same carrier-grade NAT reach each other only by
   * its hairpinning, so they need that on top of the rule (checked against the simulator in
   * {@code SameCgnTest}).
   */
  public boolean canPunch(int i, int j) {
    boolean rule = GroundTruth.canPunch(effective[i], effective[j]);
    if (cgn[i] >= 0 && cgn[i] == cgn[j]) {
      return rule && cgnHairpins[i];
    }
    return rule;
  }

  /** Peers per class name, in mix order (for reports). */
  public List<String> classNames() {
    List<String> names = new ArrayList<>();
    for (Scenario.NatClass c : scenario.natMix()) {
      names.add(c.name());
    }
    return Collections.unmodifiableList(names);
  }

  /** Hands out public addresses: 192.0.2.0/24, 198.51.100.0/24, then 198.18.0.0/15. */
  static final class AddressPool {
    private static final int[] BASES = {
      Endpoints.parseAddress("192.0.2.0"), Endpoints.parseAddress("198.51.100.0")
    };
    private static final int BENCH = Endpoints.parseAddress("198.18.0.0");
    private int next;

    int next() {
      int k = next++;
      if (k < 2 * 254) {
        return BASES[k / 254] + 1 + k % 254;
      }
      int j = k - 2 * 254 + 1;
      if (j >= (1 << 17) - 1) {
        throw new IllegalArgumentException("more than " + (2 * 254 + (1 << 17) - 2)
            + " public addresses needed");
      }
      return BENCH + j;
    }
  }
}

package org.netbelief.punch.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A simulation scenario: a population of peers behind a mix of NATs, connection requests over
 * time, uplink outages, NAT rebindings, a duration and a seed.
 *
 * <p>Read one with {@link ScenarioLoader#load}; every field a file leaves out keeps the value of
 * {@link #defaults()}, so a file can be as short as {@code {"peers": 200, "seed": 7}}. The
 * default is the documented mix of {@code docs/simulation.md}, whose pairwise punchability is
 * {@link #analyticPunchability()} ≈ 0.70. Instances are not changed after loading.
 *
 * <pre>{@code
 * Scenario s = ScenarioLoader.load(Path.of("scenario.yaml"));
 * double p = s.analyticPunchability();
 * }</pre>
 */
public final class Scenario {
  private String name = "default";
  private long seed = 1;
  private double durationSeconds = 3600;
  private int peers = 1000;
  private List<NatClass> natMix = defaultMix();
  private double connectionsPerPeerPerHour = 2.0;
  private double meanConnectionSeconds = 600;
  private Range uplinkDelayMillis = new Range(5, 40);
  private double uplinkJitterMillis = 2;
  private double uplinkLoss = 0.01;
  private Outages outages = new Outages();
  private double rebindingsPerNatPerHour = 0.05;

  /** The built-in default scenario (see {@code docs/simulation.md}). */
  public static Scenario defaults() {
    return new Scenario();
  }

  /** A short name used in reports. */
  public String name() {
    return name;
  }

  /** Seed of every random choice of the run. */
  public long seed() {
    return seed;
  }

  /** Virtual duration of the run, seconds. */
  public double durationSeconds() {
    return durationSeconds;
  }

  /** Number of peers. */
  public int peers() {
    return peers;
  }

  /** The NAT mix: classes with weights (normalised to their sum). */
  public List<NatClass> natMix() {
    return Collections.unmodifiableList(natMix);
  }

  /** Poisson rate of connection requests initiated per peer, per hour. */
  public double connectionsPerPeerPerHour() {
    return connectionsPerPeerPerHour;
  }

  /** Mean (exponential) lifetime of a connection once requested, seconds. */
  public double meanConnectionSeconds() {
    return meanConnectionSeconds;
  }

  /** One-way delay of a peer's uplink, drawn uniformly per peer, milliseconds. */
  public Range uplinkDelayMillis() {
    return uplinkDelayMillis;
  }

  /** Jitter of every uplink, milliseconds. */
  public double uplinkJitterMillis() {
    return uplinkJitterMillis;
  }

  /** Loss probability of every uplink, per packet and direction. */
  public double uplinkLoss() {
    return uplinkLoss;
  }

  /** Uplink outages. */
  public Outages outages() {
    return outages;
  }

  /** Poisson rate of rebindings (the NAT drops all mappings) per NAT, per hour. */
  public double rebindingsPerNatPerHour() {
    return rebindingsPerNatPerHour;
  }

  /**
   * The probability that two peers drawn independently from the mix can punch a hole, by
   * {@link GroundTruth#canPunch} on each class's effective behaviour:
   * {@code Σ_i Σ_j w_i w_j canPunch(i, j)} with weights normalised to sum 1.
   */
  public double analyticPunchability() {
    double total = 0;
    for (NatClass c : natMix) {
      total += c.weight;
    }
    double p = 0;
    for (NatClass a : natMix) {
      for (NatClass b : natMix) {
        if (GroundTruth.canPunch(a.effective(), b.effective())) {
          p += a.weight * b.weight;
        }
      }
    }
    return p / (total * total);
  }

  /** Every impossible value, each with the field path (as in the file) and the reason. */
  public List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    if (name == null || name.isBlank()) {
      out.add(new Problem("name", "must not be empty"));
    }
    positive(out, "durationSeconds", durationSeconds);
    if (peers < 2) {
      out.add(new Problem("peers", "must be at least 2, was " + peers));
    }
    nonNegative(out, "connectionsPerPeerPerHour", connectionsPerPeerPerHour);
    positive(out, "meanConnectionSeconds", meanConnectionSeconds);
    range(out, "uplinkDelayMillis", uplinkDelayMillis);
    nonNegative(out, "uplinkJitterMillis", uplinkJitterMillis);
    probability(out, "uplinkLoss", uplinkLoss);
    if (outages == null) {
      out.add(new Problem("outages", "must be given"));
    } else {
      nonNegative(out, "outages.ratePerPeerPerHour", outages.ratePerPeerPerHour);
      positive(out, "outages.meanDurationSeconds", outages.meanDurationSeconds);
    }
    nonNegative(out, "rebindingsPerNatPerHour", rebindingsPerNatPerHour);
    if (natMix == null || natMix.isEmpty()) {
      out.add(new Problem("natMix", "needs at least one NAT class"));
    } else {
      double sum = 0;
      for (int i = 0; i < natMix.size(); i++) {
        String p = "natMix[" + i + "]";
        NatClass c = natMix.get(i);
        if (c == null) {
          out.add(new Problem(p, "must not be null"));
          continue;
        }
        nonNegative(out, p + ".weight", c.weight);
        sum += c.weight;
        spec(out, p + ".nat", c.nat);
        if (c.cgn != null) {
          spec(out, p + ".cgn", c.cgn);
          if (c.peersPerCgn < 1) {
            out.add(new Problem(p + ".peersPerCgn", "must be at least 1, was " + c.peersPerCgn));
          }
        }
      }
      if (!(sum > 0)) {
        out.add(new Problem("natMix", "weights must add up to more than 0"));
      }
    }
    return out;
  }

  private static void spec(List<Problem> out, String path, NatSpec s) {
    if (s == null) {
      out.add(new Problem(path, "must be given"));
      return;
    }
    if (s.mapping == null) {
      out.add(new Problem(path + ".mapping", "must be given"));
    }
    if (s.filtering == null) {
      out.add(new Problem(path + ".filtering", "must be given"));
    }
    if (s.portAllocation == null) {
      out.add(new Problem(path + ".portAllocation", "must be given"));
    }
    range(out, path + ".bindingTimeoutSeconds", s.bindingTimeoutSeconds);
    if (s.bindingTimeoutSeconds != null && !(s.bindingTimeoutSeconds.min > 0)) {
      out.add(new Problem(path + ".bindingTimeoutSeconds.min",
          "must be > 0, was " + s.bindingTimeoutSeconds.min));
    }
  }

  private static void range(List<Problem> out, String path, Range r) {
    if (r == null) {
      out.add(new Problem(path, "must be given"));
      return;
    }
    nonNegative(out, path + ".min", r.min);
    if (!(r.max >= r.min)) {
      out.add(new Problem(path + ".max", "must be >= min (" + r.min + "), was " + r.max));
    }
  }

  private static void positive(List<Problem> out, String path, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      out.add(new Problem(path, "must be a finite number > 0, was " + v));
    }
  }

  private static void nonNegative(List<Problem> out, String path, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      out.add(new Problem(path, "must be a finite number >= 0, was " + v));
    }
  }

  private static void probability(List<Problem> out, String path, double v) {
    if (!(v >= 0 && v <= 1)) {
      out.add(new Problem(path, "must be a probability in [0, 1], was " + v));
    }
  }

  /**
   * The default NAT mix; its sources and its punchability are derived in
   * {@code docs/simulation.md}.
   */
  static List<NatClass> defaultMix() {
    Dependence ei = Dependence.ENDPOINT_INDEPENDENT;
    Dependence ad = Dependence.ADDRESS_DEPENDENT;
    Dependence apd = Dependence.ADDRESS_AND_PORT_DEPENDENT;
    NatSpec cgn = new NatSpec(ei, apd, PortAllocation.RANDOM, new Range(30, 120), false, true);
    List<NatClass> mix = new ArrayList<>();
    mix.add(new NatClass("full-cone", 0.04,
        new NatSpec(ei, ei, PortAllocation.PRESERVING, new Range(60, 300), false, true), null, 0));
    mix.add(new NatClass("restricted-cone", 0.04,
        new NatSpec(ei, ad, PortAllocation.PRESERVING, new Range(60, 300), false, true), null, 0));
    mix.add(new NatClass("port-restricted-cone", 0.64,
        new NatSpec(ei, apd, PortAllocation.PRESERVING, new Range(30, 300), false, false), null,
        0));
    mix.add(new NatClass("port-restricted-behind-cgn", 0.10,
        new NatSpec(ei, apd, PortAllocation.PRESERVING, new Range(30, 300), false, false), cgn,
        50));
    mix.add(new NatClass("symmetric-random", 0.14,
        new NatSpec(apd, apd, PortAllocation.RANDOM, new Range(30, 180), false, false), null, 0));
    mix.add(new NatClass("address-dependent-sequential", 0.04,
        new NatSpec(ad, apd, PortAllocation.SEQUENTIAL, new Range(30, 180), false, false), null,
        0));
    return mix;
  }

  /** A field path and what is wrong with its value. */
  public record Problem(String field, String message) {}

  /** A closed interval {@code [min, max]} a value is drawn from uniformly. */
  public static final class Range {
    private double min;
    private double max;

    Range() {}

    /** A range from {@code min} to {@code max}. */
    public Range(double min, double max) {
      this.min = min;
      this.max = max;
    }

    /** Lower bound. */
    public double min() {
      return min;
    }

    /** Upper bound. */
    public double max() {
      return max;
    }
  }

  /** Uplink outages: Poisson arrivals per peer, exponential durations. */
  public static final class Outages {
    private double ratePerPeerPerHour = 0.2;
    private double meanDurationSeconds = 20;

    Outages() {}

    /** Outages starting per peer per hour. */
    public double ratePerPeerPerHour() {
      return ratePerPeerPerHour;
    }

    /** Mean outage duration, seconds. */
    public double meanDurationSeconds() {
      return meanDurationSeconds;
    }
  }

  /** The behaviour of one NAT, with its binding timeout as a range drawn from per NAT. */
  public static final class NatSpec {
    private Dependence mapping = Dependence.ENDPOINT_INDEPENDENT;
    private Dependence filtering = Dependence.ADDRESS_AND_PORT_DEPENDENT;
    private PortAllocation portAllocation = PortAllocation.PRESERVING;
    private Range bindingTimeoutSeconds = new Range(30, 300);
    private boolean inboundRefresh;
    private boolean hairpinning;

    NatSpec() {}

    /** A NAT specification. */
    public NatSpec(Dependence mapping, Dependence filtering, PortAllocation portAllocation,
        Range bindingTimeoutSeconds, boolean inboundRefresh, boolean hairpinning) {
      this.mapping = mapping;
      this.filtering = filtering;
      this.portAllocation = portAllocation;
      this.bindingTimeoutSeconds = bindingTimeoutSeconds;
      this.inboundRefresh = inboundRefresh;
      this.hairpinning = hairpinning;
    }

    /** Mapping behaviour. */
    public Dependence mapping() {
      return mapping;
    }

    /** Filtering behaviour. */
    public Dependence filtering() {
      return filtering;
    }

    /** Port allocation. */
    public PortAllocation portAllocation() {
      return portAllocation;
    }

    /** Range the binding timeout of each such NAT is drawn from, seconds. */
    public Range bindingTimeoutSeconds() {
      return bindingTimeoutSeconds;
    }

    /** Whether inbound packets refresh bindings. */
    public boolean inboundRefresh() {
      return inboundRefresh;
    }

    /** Whether the NAT hairpins. */
    public boolean hairpinning() {
      return hairpinning;
    }

    /** The behaviour with a given binding timeout. */
    public NatBehavior toBehavior(long bindingTimeoutNanos) {
      return new NatBehavior(mapping, filtering, portAllocation, bindingTimeoutNanos,
          inboundRefresh, hairpinning);
    }
  }

  /** One class of the NAT mix: a home NAT, optionally behind a carrier-grade NAT. */
  public static final class NatClass {
    private String name = "class";
    private double weight;
    private NatSpec nat = new NatSpec();
    private NatSpec cgn;
    private int peersPerCgn = 50;

    NatClass() {}

    /** A NAT class; {@code cgn} null for a NAT directly on the Internet. */
    public NatClass(String name, double weight, NatSpec nat, NatSpec cgn, int peersPerCgn) {
      this.name = name;
      this.weight = weight;
      this.nat = nat;
      this.cgn = cgn;
      this.peersPerCgn = peersPerCgn;
    }

    /** Name used in reports. */
    public String name() {
      return name;
    }

    /** Relative weight in the mix. */
    public double weight() {
      return weight;
    }

    /** The peer's own NAT. */
    public NatSpec nat() {
      return nat;
    }

    /** The carrier-grade NAT in front, or null. */
    public NatSpec cgn() {
      return cgn;
    }

    /** How many peers of this class share one carrier-grade NAT. */
    public int peersPerCgn() {
      return peersPerCgn;
    }

    /**
     * The behaviour the class shows to punching, NATs in series folded by
     * {@link GroundTruth#effective} (binding timeouts at their range minimum).
     */
    public NatBehavior effective() {
      NatBehavior home = nat.toBehavior(seconds(nat.bindingTimeoutSeconds.min));
      if (cgn == null) {
        return home;
      }
      return GroundTruth.effective(
          List.of(home, cgn.toBehavior(seconds(cgn.bindingTimeoutSeconds.min))));
    }

    private static long seconds(double s) {
      return Math.max(1, Math.round(s * 1e9));
    }
  }
}

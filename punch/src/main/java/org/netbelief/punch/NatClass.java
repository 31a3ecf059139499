package org.netbelief.punch;

/**
 * A NAT's behaviour class as NAT behaviour discovery (RFC 5780 §4.3–4.4) finds it: its mapping
 * and its filtering, each endpoint-independent, address-dependent or address-and-port-dependent
 * (RFC 4787). Packed into one byte, {@code mapping << 4 | filtering}, the form it has on the wire
 * (DISCOVER, INTRODUCE) and in {@link PathObserver#onPathCreated(long, String,
 * java.net.InetSocketAddress, int, boolean, int, int)}; {@link #UNKNOWN} (0) when discovery did not
 * run or did not finish (an old rendezvous, one without an alternate address, lost packets).
 *
 * <pre>{@code
 * int c = NatClass.of(NatClass.EIM, NatClass.APDF);   // 0x13
 * NatClass.name(c);                                    // "EIM/APDF"
 * }</pre>
 */
public final class NatClass {
  private NatClass() {}

  /** Not discovered. */
  public static final int UNKNOWN = 0;
  /** Mapping: endpoint-independent. */
  public static final int EIM = 1;
  /** Mapping: address-dependent. */
  public static final int ADM = 2;
  /** Mapping: address-and-port-dependent. */
  public static final int APDM = 3;
  /** Filtering: endpoint-independent. */
  public static final int EIF = 1;
  /** Filtering: address-dependent. */
  public static final int ADF = 2;
  /** Filtering: address-and-port-dependent. */
  public static final int APDF = 3;

  /**
   * The packed class.
   *
   * @param mapping {@link #EIM}, {@link #ADM} or {@link #APDM}
   * @param filtering {@link #EIF}, {@link #ADF} or {@link #APDF}
   * @return {@code mapping << 4 | filtering}
   * @throws IllegalArgumentException when either is outside 1..3
   */
  public static int of(int mapping, int filtering) {
    if (mapping < EIM || mapping > APDM || filtering < EIF || filtering > APDF) {
      throw new IllegalArgumentException("mapping and filtering must lie in 1..3, got " + mapping
          + " and " + filtering);
    }
    return mapping << 4 | filtering;
  }

  /** The mapping of a packed class, 0 when unknown. */
  public static int mapping(int natClass) {
    return (natClass >>> 4) & 0xF;
  }

  /** The filtering of a packed class, 0 when unknown. */
  public static int filtering(int natClass) {
    return natClass & 0xF;
  }

  /** Whether {@code b} is a complete class: both parts in 1..3. */
  public static boolean isKnown(int b) {
    int m = mapping(b);
    int f = filtering(b);
    return (b & ~0xFF) == 0 && m >= EIM && m <= APDM && f >= EIF && f <= APDF;
  }

  /** Whether a byte is a valid wire value: {@link #UNKNOWN} or a complete class. */
  public static boolean isValid(int b) {
    return b == UNKNOWN || isKnown(b);
  }

  /**
   * Whether the engine's punching strategy can open a direct path between two NATs of these
   * classes, by RFC 4787's rules (derivation in {@code docs/model.md}, "NAT class prior"). The
   * strategy: both peers send introductions to the other's server-reflexive endpoint (the
   * mapping the rendezvous observed), answer every introduction to its source and adopt that
   * source as a peer-reflexive candidate; no port prediction.
   *
   * <ul>
   *   <li>both endpoint-independent mappings: yes;
   *   <li>one (A) endpoint-independent, the other (B) not: iff A's filtering is not
   *       address-and-port-dependent (B's introduction leaves from a new mapping whose port A's
   *       own introduction did not open);
   *   <li>neither: iff one filtering is endpoint-independent and the other's is not
   *       address-and-port-dependent.
   * </ul>
   *
   * @param a one NAT's class (complete)
   * @param b the other's (complete)
   * @return the verdict for this strategy
   * @throws IllegalArgumentException when either class is not complete ({@link #isKnown})
   */
  public static boolean compatible(int a, int b) {
    if (!isKnown(a) || !isKnown(b)) {
      throw new IllegalArgumentException("compatibility needs two known classes, got "
          + name(a) + " and " + name(b));
    }
    boolean eimA = mapping(a) == EIM;
    boolean eimB = mapping(b) == EIM;
    if (eimA && eimB) {
      return true;
    }
    if (eimA) {
      return filtering(a) != APDF;
    }
    if (eimB) {
      return filtering(b) != APDF;
    }
    return (filtering(a) == EIF && filtering(b) != APDF)
        || (filtering(b) == EIF && filtering(a) != APDF);
  }

  /** A readable name: {@code "EIM/APDF"}, or {@code "unknown"}. */
  public static String name(int natClass) {
    if (!isKnown(natClass)) {
      return "unknown";
    }
    String[] m = {"", "EIM", "ADM", "APDM"};
    String[] f = {"", "EIF", "ADF", "APDF"};
    return m[mapping(natClass)] + "/" + f[filtering(natClass)];
  }
}

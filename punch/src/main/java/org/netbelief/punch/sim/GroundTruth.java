package org.netbelief.punch.sim;

import java.util.List;

/**
 * What an oracle knows about NATs: whether a hole can be punched between two of them.
 *
 * <h2>The strategy the answer is for</h2>
 *
 * Both peers register with a rendezvous on the Internet, which tells each the other's public
 * endpoint as it observed it (the <em>server-reflexive</em> endpoint: the mapping toward the
 * rendezvous). Both then send introductions to that endpoint, answer any introduction with an
 * acknowledgement to the address it came from, and add that source as a candidate
 * (<em>peer-reflexive</em>). No port prediction. This is the core of what ICE and libp2p's
 * DCUtR do over server-reflexive candidates, the strategy the netbelief engine is specified to
 * use, and what {@code NaivePuncher} implements; the rule below is checked against the simulator
 * for all 81 pairs of mapping and filtering behaviours.
 *
 * <h2>The rule</h2>
 *
 * Write EIM for endpoint-independent mapping (the known endpoint is also the one used toward the
 * peer) and F for filtering:
 *
 * <ul>
 *   <li>both EIM: always (each side's own introduction opens its filter for exactly the
 *       endpoint the other sends from);
 *   <li>one EIM (A), the other not (B): iff A's filtering is not address-and-port-dependent
 *       (B's packets come from a fresh port that only an address-level or open filter at A lets
 *       in; once one arrives, A answers to its peer-reflexive source, which B's mapping accepts);
 *   <li>neither EIM: iff one side's filtering is endpoint-independent and the other's is not
 *       address-and-port-dependent (the introductions must land on the rendezvous mapping, which
 *       only an open filter passes, and the answer comes from yet another port).
 * </ul>
 *
 * NATs in series behave as one NAT whose mapping and filtering are the most dependent of the
 * chain ({@link #effective}). Binding timeouts and port allocation do not enter: the rule assumes
 * the peers keep their rendezvous binding alive and punch within the binding timeout.
 */
public final class GroundTruth {
  private GroundTruth() {}

  /** Whether the strategy above connects two peers directly, each behind one NAT. */
  public static boolean canPunch(NatBehavior a, NatBehavior b) {
    return canPunch(a.mapping(), a.filtering(), b.mapping(), b.filtering());
  }

  /** The rule on the mapping and filtering behaviours alone. */
  public static boolean canPunch(
      Dependence mappingA, Dependence filteringA, Dependence mappingB, Dependence filteringB) {
    boolean eimA = mappingA == Dependence.ENDPOINT_INDEPENDENT;
    boolean eimB = mappingB == Dependence.ENDPOINT_INDEPENDENT;
    if (eimA && eimB) {
      return true;
    }
    if (eimA) {
      return filteringA != Dependence.ADDRESS_AND_PORT_DEPENDENT;
    }
    if (eimB) {
      return filteringB != Dependence.ADDRESS_AND_PORT_DEPENDENT;
    }
    return (filteringA == Dependence.ENDPOINT_INDEPENDENT
            && filteringB != Dependence.ADDRESS_AND_PORT_DEPENDENT)
        || (filteringB == Dependence.ENDPOINT_INDEPENDENT
            && filteringA != Dependence.ADDRESS_AND_PORT_DEPENDENT);
  }

  /**
   * The single NAT that a chain of NATs in series (innermost first) behaves like for punching:
   * the most dependent mapping, the most dependent filtering, the shortest binding timeout,
   * inbound refresh only if every NAT does it, hairpinning only if every NAT does it; the
   * outermost NAT's port allocation.
   *
   * @throws IllegalArgumentException when the chain is empty
   */
  public static NatBehavior effective(List<NatBehavior> chain) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a NAT chain needs at least one NAT");
    }
    NatBehavior r = chain.get(0);
    for (int i = 1; i < chain.size(); i++) {
      NatBehavior n = chain.get(i);
      r = new NatBehavior(
          max(r.mapping(), n.mapping()),
          max(r.filtering(), n.filtering()),
          n.portAllocation(),
          Math.min(r.bindingTimeoutNanos(), n.bindingTimeoutNanos()),
          r.inboundRefresh() && n.inboundRefresh(),
          r.hairpinning() && n.hairpinning());
    }
    return r;
  }

  private static Dependence max(Dependence x, Dependence y) {
    return x.ordinal() >= y.ordinal() ? x : y;
  }
}

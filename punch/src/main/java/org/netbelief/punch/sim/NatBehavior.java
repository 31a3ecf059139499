package org.netbelief.punch.sim;

/**
 * The RFC 4787 behaviour of one simulated NAT.
 *
 * <pre>{@code
 * // A typical home gateway: a "port-restricted cone" in the old STUN vocabulary.
 * NatBehavior home = new NatBehavior(Dependence.ENDPOINT_INDEPENDENT,
 *     Dependence.ADDRESS_AND_PORT_DEPENDENT, PortAllocation.PRESERVING,
 *     120_000_000_000L, false, true);
 * }</pre>
 *
 * @param mapping when a new external port is chosen (RFC 4787 section 4.1)
 * @param filtering which inbound packets a mapping lets in (RFC 4787 section 5)
 * @param portAllocation how an external port is chosen (RFC 4787 section 4.2)
 * @param bindingTimeoutNanos how long a mapping (and each filter permission) lives after the
 *     last packet that refreshed it (RFC 4787 section 4.3), {@code > 0}
 * @param inboundRefresh whether inbound packets refresh the binding too (outbound always does)
 * @param hairpinning whether a packet from inside to the NAT's own external address is looped
 *     back in (RFC 4787 section 6)
 */
public record NatBehavior(
    Dependence mapping,
    Dependence filtering,
    PortAllocation portAllocation,
    long bindingTimeoutNanos,
    boolean inboundRefresh,
    boolean hairpinning) {

  /** Checks the values. */
  public NatBehavior {
    if (mapping == null || filtering == null || portAllocation == null) {
      throw new IllegalArgumentException("mapping, filtering and portAllocation must be set");
    }
    if (bindingTimeoutNanos <= 0) {
      throw new IllegalArgumentException(
          "bindingTimeoutNanos must be > 0, was " + bindingTimeoutNanos);
    }
  }

  /** Endpoint-independent mapping and filtering ("full cone"), port preserving, 2 min timeout. */
  public static NatBehavior fullCone() {
    return of(Dependence.ENDPOINT_INDEPENDENT, Dependence.ENDPOINT_INDEPENDENT);
  }

  /** Address-and-port-dependent mapping and filtering ("symmetric"), random ports, 2 min. */
  public static NatBehavior symmetric() {
    return new NatBehavior(
        Dependence.ADDRESS_AND_PORT_DEPENDENT,
        Dependence.ADDRESS_AND_PORT_DEPENDENT,
        PortAllocation.RANDOM,
        120_000_000_000L,
        false,
        false);
  }

  /** The given mapping and filtering, port preserving, 2 min timeout, no inbound refresh. */
  public static NatBehavior of(Dependence mapping, Dependence filtering) {
    return new NatBehavior(
        mapping, filtering, PortAllocation.PRESERVING, 120_000_000_000L, false, false);
  }

  /** A copy with another port allocation. */
  public NatBehavior withPortAllocation(PortAllocation p) {
    return new NatBehavior(mapping, filtering, p, bindingTimeoutNanos, inboundRefresh, hairpinning);
  }

  /** A copy with another binding timeout. */
  public NatBehavior withBindingTimeoutNanos(long t) {
    return new NatBehavior(mapping, filtering, portAllocation, t, inboundRefresh, hairpinning);
  }

  /** A copy with inbound refresh on or off. */
  public NatBehavior withInboundRefresh(boolean on) {
    return new NatBehavior(
        mapping, filtering, portAllocation, bindingTimeoutNanos, on, hairpinning);
  }

  /** A copy with hairpinning on or off. */
  public NatBehavior withHairpinning(boolean on) {
    return new NatBehavior(
        mapping, filtering, portAllocation, bindingTimeoutNanos, inboundRefresh, on);
  }

  /** A short label such as {@code "EIM/APDF"}. */
  public String label() {
    return mapping.label() + "M/" + filtering.label() + "F";
  }
}

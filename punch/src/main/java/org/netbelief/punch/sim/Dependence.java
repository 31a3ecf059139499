package org.netbelief.punch.sim;

/**
 * How much of the remote endpoint a NAT's mapping or filtering depends on (RFC 4787 sections 4.1
 * and 5).
 *
 * <p>For <em>mapping</em>: whether a new external port is chosen per remote address, per remote
 * address and port, or never (one port for everything an internal endpoint sends). For
 * <em>filtering</em>: whether an inbound packet must come from an address, or an exact address and
 * port, the internal endpoint has sent to, or may come from anywhere once a mapping exists.
 */
public enum Dependence {
  /** Endpoint-independent: the remote endpoint does not matter. */
  ENDPOINT_INDEPENDENT,
  /** Address-dependent: the remote IP address matters, its port does not. */
  ADDRESS_DEPENDENT,
  /** Address-and-port-dependent: the exact remote endpoint matters. */
  ADDRESS_AND_PORT_DEPENDENT;

  /** Short RFC 4787 style label: EI, AD or APD. */
  public String label() {
    switch (this) {
      case ENDPOINT_INDEPENDENT:
        return "EI";
      case ADDRESS_DEPENDENT:
        return "AD";
      default:
        return "APD";
    }
  }
}

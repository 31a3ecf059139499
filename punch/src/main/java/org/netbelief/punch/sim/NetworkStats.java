package org.netbelief.punch.sim;

/**
 * Packet counters of a {@link SimNetwork}: every packet sent ends in exactly one of delivered,
 * in flight, or one of the drop reasons.
 *
 * @param sent datagrams sent by applications
 * @param delivered datagrams handed to an application
 * @param lost dropped by a link's random loss
 * @param linkDown dropped because a link on the path was down (an outage)
 * @param noRoute dropped because no node has the destination address
 * @param noMapping dropped by a NAT: no mapping on the destination port
 * @param expired dropped by a NAT: the mapping's binding had timed out
 * @param filtered dropped by a NAT's filtering
 * @param hairpinRefused dropped by a NAT that does not hairpin
 * @param portsExhausted dropped by a NAT with no free external port
 * @param noSocket dropped at a host: nothing bound on the destination port
 * @param events events processed by the loop
 */
public record NetworkStats(
    long sent,
    long delivered,
    long lost,
    long linkDown,
    long noRoute,
    long noMapping,
    long expired,
    long filtered,
    long hairpinRefused,
    long portsExhausted,
    long noSocket,
    long events) {

  /** All drops together. */
  public long dropped() {
    return lost + linkDown + noRoute + noMapping + expired + filtered + hairpinRefused
        + portsExhausted + noSocket;
  }
}

package org.netbelief.punch.sim;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Simulated IPv4 endpoints packed into one {@code long}: the address in bits 16..47 and the UDP
 * port in bits 0..15. The event loop passes endpoints as primitives so a packet needs no
 * {@code InetSocketAddress}.
 *
 * <pre>{@code
 * long ep = Endpoints.of(Endpoints.parseAddress("192.0.2.7"), 4000);
 * Endpoints.toString(ep);   // "192.0.2.7:4000"
 * }</pre>
 *
 * <p>Addresses are only labels inside the simulator: nothing here opens a socket.
 */
public final class Endpoints {
  private Endpoints() {}

  /** Packs an address (as an unsigned 32-bit int) and a port (0..65535). */
  public static long of(int address, int port) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be in 0..65535, was " + port);
    }
    return ((address & 0xFFFFFFFFL) << 16) | port;
  }

  /** The address part. */
  public static int address(long endpoint) {
    return (int) (endpoint >>> 16);
  }

  /** The port part. */
  public static int port(long endpoint) {
    return (int) (endpoint & 0xFFFF);
  }

  /** Parses a dotted-quad address such as {@code "198.51.100.4"}. */
  public static int parseAddress(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a dotted-quad IPv4 address: '" + dotted + "'");
    }
    int a = 0;
    for (String p : parts) {
      int v;
      try {
        v = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a dotted-quad IPv4 address: '" + dotted + "'", e);
      }
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("octet out of 0..255 in '" + dotted + "'");
      }
      a = (a << 8) | v;
    }
    return a;
  }

  /** Parses {@code "address:port"}. */
  public static long parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("endpoint needs address:port, was '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in endpoint '" + text + "'", e);
    }
    return of(parseAddress(text.substring(0, colon)), port);
  }

  /** Dotted-quad text of an address. */
  public static String addressToString(int address) {
    return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "."
        + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
  }

  /**
   * The endpoint as an {@link InetSocketAddress} (no name lookup), for adapters to engines that
   * take one. Allocates: keep it off per-packet paths where possible.
   */
  public static InetSocketAddress toSocketAddress(long endpoint) {
    int a = address(endpoint);
    byte[] b = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    try {
      return new InetSocketAddress(InetAddress.getByAddress(b), port(endpoint));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4-byte address refused", e);
    }
  }

  /**
   * Packs an IPv4 {@link InetSocketAddress}.
   *
   * @throws IllegalArgumentException when it is unresolved or not IPv4
   */
  public static long of(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (!(ip instanceof Inet4Address)) {
      throw new IllegalArgumentException("not a resolved IPv4 socket address: " + address);
    }
    byte[] b = ip.getAddress();
    int a = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    return of(a, address.getPort());
  }

  /** {@code "address:port"} text of an endpoint. */
  public static String toString(long endpoint) {
    return addressToString(address(endpoint)) + ":" + port(endpoint);
  }
}

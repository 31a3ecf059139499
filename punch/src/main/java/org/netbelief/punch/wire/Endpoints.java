package org.netbelief.punch.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Codec for the 19-byte endpoint: family (4 or 6), 16 address bytes, 16-bit port.
 *
 * <pre>
 * +--------+----------------------------------+---------+
 * | family |  address (IPv4: 4 bytes + 12 x 0) |  port   |
 * +--------+----------------------------------+---------+
 *     1                   16                       2
 * </pre>
 */
public final class Endpoints {
    private Endpoints() {}

    /**
     * Writes an endpoint.
     *
     * @param out destination
     * @param off offset
     * @param ep an endpoint with a resolved address
     * @return offset after the endpoint
     * @throws IllegalArgumentException when the address is unresolved
     */
    public static int write(byte[] out, int off, InetSocketAddress ep) {
        InetAddress a = ep.getAddress();
        if (a == null) {
            throw new IllegalArgumentException("endpoint " + ep + " is unresolved");
        }
        byte[] raw = a.getAddress();
        java.util.Arrays.fill(out, off, off + Frame.ENDPOINT_LENGTH, (byte) 0);
        out[off] = (byte) (raw.length == 4 ? 4 : 6);
        System.arraycopy(raw, 0, out, off + 1, raw.length);
        Frame.putU16(out, off + 17, ep.getPort());
        return off + Frame.ENDPOINT_LENGTH;
    }

    /**
     * Checks the family and the IPv4 padding.
     *
     * @param b the array
     * @param off the endpoint's offset
     * @return true when well-formed
     */
    public static boolean validate(byte[] b, int off) {
        int family = b[off] & 0xFF;
        if (family == 6) {
            return true;
        }
        if (family != 4) {
            return false;
        }
        for (int i = 5; i < 17; i++) {
            if (b[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a validated endpoint (allocates; control path only).
     *
     * @param b the array
     * @param off the endpoint's offset
     * @return the endpoint
     */
    public static InetSocketAddress read(byte[] b, int off) {
        int n = (b[off] & 0xFF) == 4 ? 4 : 16;
        byte[] raw = new byte[n];
        System.arraycopy(b, off + 1, raw, 0, n);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), Frame.u16(b, off + 17));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreachable: raw address of length " + n, e);
        }
    }
}

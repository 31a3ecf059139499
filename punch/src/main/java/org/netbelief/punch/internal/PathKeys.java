package org.netbelief.punch.internal;

import java.net.InetSocketAddress;
import org.netbelief.punch.crypto.Keys;

/** Stable 64-bit path keys: the same peer and endpoint give the same key in every session. */
public final class PathKeys {
    private PathKeys() {}

    /**
     * @param peerIdHex the peer id
     * @param remote the remote endpoint
     * @return a 64-bit key (never 0)
     */
    public static long of(String peerIdHex, InetSocketAddress remote) {
        byte[] id = Keys.unhex(peerIdHex);
        long h = 0x84222325CBF29CE4L;
        for (byte b : id) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        for (byte b : remote.getAddress().getAddress()) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        h = (h ^ remote.getPort()) * 0x100000001B3L;
        h ^= h >>> 29;
        return h == 0 ? 1 : h;
    }
}

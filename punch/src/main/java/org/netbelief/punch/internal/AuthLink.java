package org.netbelief.punch.internal;

import org.netbelief.punch.crypto.Hmac256;
import org.netbelief.punch.crypto.ReplayWindow;
import org.netbelief.punch.wire.DropReason;
import org.netbelief.punch.wire.Frame;
import org.netbelief.punch.wire.FrameReader;
import org.netbelief.punch.wire.FrameWriter;

/**
 * One authenticated association: a peer-to-peer session or a peer's registration at the
 * rendezvous. Holds the id, the MAC under the association key, our send counter, the receive
 * replay window and our direction.
 *
 * <p>Receive order (RFC 4303): direction, then replay check (cheap), then the tag, and only then
 * the window moves, so forged packets change nothing. Allocation-free; single-threaded.
 *
 * <p>Not final: the peer engine's session extends it, so that a session and its link are one
 * object (one cold object less per session frame in a large simulation). A subclass adds state
 * only; the methods are final.
 */
public class AuthLink {
    private final long id;
    private final boolean responder;
    private long sendCounter;
    /**
     * The key as its eight {@link Hmac256#keyState} words, inside this object: a MAC under a cold
     * link waits for the link's own lines only. (The key as a separate 128-byte pads array was a
     * second, dependent cache miss per MAC: seal and open were 9.6 % and 5 % self of the
     * mesh-like 10 000-peer profile, mostly that miss.) Eight words rather than the key's four:
     * with the JDK's SHA-256 reachable they are the states after the pad blocks, which halves
     * the hashing of every MAC.
     */
    private final long s0;
    private final long s1;
    private final long s2;
    private final long s3;
    private final long s4;
    private final long s5;
    private final long s6;
    private final long s7;
    /**
     * The receive {@link ReplayWindow}, held inline (its highest counter and bitmap): one object
     * less per link, and per packet one cold cache line less to touch when a simulation holds
     * tens of thousands of links.
     */
    private long highest;
    private long bitmap;
    private boolean lastFreshest;

    /**
     * Creates a link.
     *
     * @param id session or registration id
     * @param key the key (the protocol's are 32 bytes)
     * @param responder true for the session responder or the rendezvous side
     */
    public AuthLink(long id, byte[] key, boolean responder) {
        this.id = id;
        long[] s = Hmac256.keyState(key);
        this.s0 = s[0];
        this.s1 = s[1];
        this.s2 = s[2];
        this.s3 = s[3];
        this.s4 = s[4];
        this.s5 = s[5];
        this.s6 = s[6];
        this.s7 = s[7];
        this.responder = responder;
    }

    /** @return the id */
    public final long id() {
        return id;
    }

    /**
     * Begins an authenticated frame with our direction and the next counter.
     *
     * @param out destination
     * @param off frame start
     * @param type type code
     * @return body offset
     */
    public final int begin(byte[] out, int off, int type) {
        return FrameWriter.beginAuth(out, off, type, responder ? Frame.FLAG_RESPONDER : 0, id, ++sendCounter);
    }

    /**
     * Finishes a frame begun with {@link #begin}: length field and tag.
     *
     * @param out destination
     * @param off frame start
     * @param bodyEnd body end
     * @return total frame length
     */
    public final int seal(byte[] out, int off, int bodyEnd) {
        return seal(s0, s1, s2, s3, s4, s5, s6, s7, out, off, bodyEnd);
    }

    /**
     * {@link #seal} for a link whose key a caller holds in fields of its own (the peer engine's
     * registration, whose state lives in the engine: one cold object less per rendezvous
     * keepalive).
     *
     * @param s0 key state word 0 ({@link Hmac256#keyState})
     * @param s1 key state word 1
     * @param s2 key state word 2
     * @param s3 key state word 3
     * @param s4 key state word 4
     * @param s5 key state word 5
     * @param s6 key state word 6
     * @param s7 key state word 7
     * @param out destination
     * @param off frame start
     * @param bodyEnd body end
     * @return total frame length
     */
    public static int seal(long s0, long s1, long s2, long s3, long s4, long s5, long s6, long s7, byte[] out, int off,
            int bodyEnd) {
        int tagAt = FrameWriter.endAuth(out, off, bodyEnd);
        Hmac256.mac(s0, s1, s2, s3, s4, s5, s6, s7, out, off, tagAt - off, out, tagAt, Frame.TAG_LENGTH);
        return tagAt + Frame.TAG_LENGTH - off;
    }

    /**
     * Authenticates a validated frame addressed to this link and records its counter.
     *
     * @param r a reader wrapped on a well-formed authenticated frame with this link's id
     * @return null when authentic and fresh, else the drop reason
     */
    public final DropReason open(FrameReader r) {
        DropReason d = check(r, responder, highest, bitmap, s0, s1, s2, s3, s4, s5, s6, s7);
        if (d != null) {
            return d;
        }
        long ctr = r.counter();
        bitmap = ReplayWindow.acceptedBitmap(highest, bitmap, ctr);
        lastFreshest = ctr > highest;
        if (lastFreshest) {
            highest = ctr;
        }
        return null;
    }

    /**
     * {@link #open}'s checks, in its order, for a link whose state a caller holds in fields of
     * its own, without moving anything: on null the caller records {@code r.counter()} with
     * {@link ReplayWindow#acceptedBitmap} and raises its highest counter, as {@link #open} does.
     *
     * @param r a reader wrapped on a well-formed authenticated frame with the link's id
     * @param responder the link's direction (true on the responder's side)
     * @param highest the highest counter accepted so far
     * @param bitmap the replay window's bitmap
     * @param s0 key state word 0 ({@link Hmac256#keyState})
     * @param s1 key state word 1
     * @param s2 key state word 2
     * @param s3 key state word 3
     * @param s4 key state word 4
     * @param s5 key state word 5
     * @param s6 key state word 6
     * @param s7 key state word 7
     * @return null when authentic and fresh, else the drop reason
     */
    public static DropReason check(FrameReader r, boolean responder, long highest, long bitmap, long s0, long s1,
            long s2, long s3, long s4, long s5, long s6, long s7) {
        if (r.fromResponder() == responder) {
            return DropReason.WRONG_DIRECTION;
        }
        DropReason d = ReplayWindow.check(highest, bitmap, r.counter());
        if (d != null) {
            return d;
        }
        int off = r.frameOffset();
        int tagAt = r.tagOffset();
        if (!Hmac256.verify(s0, s1, s2, s3, s4, s5, s6, s7, r.array(), off, tagAt - off, r.array(), tagAt,
                Frame.TAG_LENGTH)) {
            return DropReason.BAD_TAG;
        }
        return null;
    }

    /** @return whether the last opened frame had the highest counter seen so far */
    public final boolean lastWasFreshest() {
        return lastFreshest;
    }
}

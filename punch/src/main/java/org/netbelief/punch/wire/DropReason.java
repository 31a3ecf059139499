package org.netbelief.punch.wire;

/**
 * Why an incoming datagram was dropped. Every malformed, unauthenticated, replayed or unwanted
 * datagram maps to exactly one reason; engines count drops per reason and never throw.
 *
 * <p>The decoder ({@link FrameReader#wrap}) returns the structural reasons (the first block
 * below); the engines add the security and state reasons.
 */
public enum DropReason {
    /** Shorter than the 8-byte header, or shorter than the header's length field claims. */
    TRUNCATED,
    /** Longer than {@link Frame#MAX_DATAGRAM}, or longer than the header's length field claims. */
    OVERSIZED,
    /** The first two bytes are not {@link Frame#MAGIC}. */
    BAD_MAGIC,
    /** A version this implementation does not speak. */
    BAD_VERSION,
    /** A message type code that is not defined. */
    UNKNOWN_TYPE,
    /** Flag bits that are reserved (must be zero) are set. */
    BAD_FLAGS,
    /** The body does not have the layout its type requires (lengths, counts, names). */
    MALFORMED_BODY,
    /** An address family other than 4 or 6, or non-zero padding after an IPv4 address. */
    BAD_ENDPOINT,
    /** The authentication tag does not match (forgery, corruption or wrong key). */
    BAD_TAG,
    /** The counter was already seen inside the replay window. */
    REPLAYED,
    /** The counter is older than the replay window can judge. */
    TOO_OLD,
    /** The direction flag shows our own packet reflected back to us. */
    WRONG_DIRECTION,
    /** The session (or registration) id is not known to this engine. */
    UNKNOWN_SESSION,
    /** A message that only a known source may send came from an unknown one. */
    UNKNOWN_SOURCE,
    /** The registration cookie is not one this rendezvous issued to that source recently. */
    BAD_COOKIE,
    /** The Ed25519 signature over a registration does not verify. */
    BAD_SIGNATURE,
    /** The source exceeded its request rate at the rendezvous. */
    RATE_LIMITED,
    /** The answer would be larger than the request from an unverified source (amplification). */
    AMPLIFICATION,
    /** A valid message that makes no sense in the current state (e.g. an ack nobody asked for). */
    UNEXPECTED,
    /** A message type this role does not accept (e.g. a peer receiving REGISTER). */
    WRONG_ROLE,
    /** The engine's sink threw, or another internal error; the datagram was abandoned. */
    INTERNAL_ERROR
}

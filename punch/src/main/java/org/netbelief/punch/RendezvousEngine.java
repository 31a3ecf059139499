package org.netbelief.punch;

import static org.netbelief.punch.wire.Frame.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.netbelief.model.EvidenceTable;
import org.netbelief.punch.crypto.Hmac256;
import org.netbelief.punch.crypto.Keys;
import org.netbelief.punch.crypto.RateLimiter;
import org.netbelief.punch.internal.AuthLink;
import org.netbelief.punch.internal.KeyedLongMap;
import org.netbelief.punch.internal.LongMap;
import org.netbelief.punch.internal.ProbeQueue;
import org.netbelief.punch.wire.Candidate;
import org.netbelief.punch.wire.DropReason;
import org.netbelief.punch.wire.Endpoints;
import org.netbelief.punch.wire.FrameReader;
import org.netbelief.punch.wire.FrameWriter;

/**
 * The rendezvous ("identity system") engine: registers peers, binds names to the first key that
 * registers them, forwards connect requests, introduces both peers when the target accepts, and
 * relays data for sessions whose punching failed. Sans-I/O; see {@link Engine}.
 *
 * <p>Security rules (see {@code docs/protocol.md}):
 *
 * <ul>
 *   <li>Registration is a stateless cookie exchange (as DTLS HelloVerifyRequest): REGISTER gets a
 *       CHALLENGE carrying {@code bucket || HMAC(secret, bucket || source || key)}; only a
 *       REGISTER_PROOF carrying a fresh cookie for its own source and a valid Ed25519 signature
 *       creates state.
 *   <li>No amplification: a source that has not proven its address is never answered with more
 *       bytes than it sent (checked on every such answer, counted as {@link
 *       DropReason#AMPLIFICATION}).
 *   <li>Each source address has a token bucket ({@value #RATE_PER_SECOND}/s, burst {@value
 *       #RATE_BURST}) for REGISTER, REGISTER_PROOF, CONNECT and PROBE_REQUEST.
 *   <li>Lifetime probes: a PROBE_REQUEST (gap 1 s to 1 h, checked by the decoder) schedules one
 *       PROBE_REPLY, smaller than the request, to the request's observed source after the gap;
 *       at most {@value #MAX_PENDING_PROBES_PER_SOURCE} pending per source address and {@value
 *       #MAX_PENDING_PROBES} in total. A request beyond a limit is dropped and counted as {@link
 *       DropReason#RATE_LIMITED}. Due replies are sent by {@link #onTimer}.
 *   <li>NAT behaviour discovery (RFC 5780 §4.3–4.4): with alternate endpoints (the primary
 *       address at an alternate port, and an alternate address at the alternate port; {@link
 *       #RendezvousEngine(EngineSink, SecureRandom, InetSocketAddress, InetSocketAddress)}) it
 *       answers a registered peer's authenticated DISCOVER with the source it observed, from the
 *       socket the peer asks for. Only DISCOVER is accepted on the alternate sockets, and a
 *       DISCOVER never moves the registration's endpoint. From the sources observed at the three
 *       sockets (mapping) and the filtering the peer reports, it tells each peer the other's NAT
 *       class in INTRODUCE.
 *   <li>Network evidence per NAT class pair: a session introduced between two peers whose
 *       classes are known is pending for {@link #OUTCOME_TTL_NANOS}; when both peers send an
 *       authenticated OUTCOME with the same result it counts once, as a success or a failure of
 *       the unordered class pair, in a table decaying with half-life {@link
 *       #NETWORK_HALF_LIFE_NANOS}. One side's report alone, disagreement, a second report from
 *       the same side, and a report for a session not pending (unknown, expired, not a party)
 *       count nothing ({@link #outcomeDrops}). At most {@link #MAX_PENDING_OUTCOMES} sessions
 *       are pending; beyond that new sessions are not tracked ({@link OutcomeDrop#UNTRACKED}).
 *       Peers that did discovery get the pair's decayed (success, failure) masses in INTRODUCE.
 * </ul>
 *
 * <pre>{@code
 * RendezvousEngine rv = new RendezvousEngine(sink, new SecureRandom());
 * rv.onDatagram(buf, from, System.nanoTime());
 * }</pre>
 *
 * <p>Single-threaded.
 */
public final class RendezvousEngine implements Engine {
    /** Registration lifetime without any packet from the peer. */
    public static final int LEASE_MILLIS = 60_000;
    /** Cookie time bucket; a cookie is accepted in its bucket and the next. */
    public static final long COOKIE_BUCKET_NANOS = 10_000_000_000L;
    /** Sustained request rate per source address. */
    public static final int RATE_PER_SECOND = 20;
    /** Request burst per source address. */
    public static final int RATE_BURST = 40;
    /** How long an unanswered offer is kept. */
    public static final long OFFER_TTL_NANOS = 30_000_000_000L;
    /**
     * Most lifetime-probe replies pending per source address: 64, so the peers behind one
     * carrier-grade NAT address (tens of them, each prober with one probe outstanding) all get
     * their probes. A refused probe is indistinguishable from an expired binding at the prober,
     * so with 4 the peers behind a 30-peer CGN learnt a lifetime of seconds (docs/simulation.md).
     * One address still holds at most 1/64 of {@link #MAX_PENDING_PROBES}.
     */
    public static final int MAX_PENDING_PROBES_PER_SOURCE = 64;
    /**
     * Most lifetime-probe replies pending in total: 65 536. Each peer's prober has at most one
     * probe outstanding, so this is how many probing peers one rendezvous serves; at 4096 a
     * 10 000-peer simulation refused most probes, its peers learnt lifetimes of seconds and
     * sent more keepalives than the ICE baseline (docs/simulation.md). Preallocated: about 1.6 MB
     * of queue plus 256 KB of per-address counts.
     */
    public static final int MAX_PENDING_PROBES = 65_536;
    /**
     * How long an introduced session waits for both peers' OUTCOME: 5 min. A session resolves
     * within the peer's punching budget (20 s by default, ICE-like timers ≈ 40 s) plus the
     * report's way back; a report later than this is dropped ({@link OutcomeDrop#UNKNOWN_SESSION}).
     */
    public static final long OUTCOME_TTL_NANOS = 300_000_000_000L;
    /**
     * Most sessions tracked for OUTCOMEs at once: 65 536 sessions introduced within the last
     * {@link #OUTCOME_TTL_NANOS} (about 6 MB at worst). With a 5 min wait this serves 218
     * introductions per second; beyond the cap a new session is not tracked (its reports count
     * as {@link OutcomeDrop#UNKNOWN_SESSION}) and {@link OutcomeDrop#UNTRACKED} counts it. Older pending sessions are never evicted for new
     * ones, so a burst of introductions cannot flush honest reports.
     */
    public static final int MAX_PENDING_OUTCOMES = 65_536;
    /**
     * Half-life of the network evidence per NAT class pair: 24 h. A NAT class pair's
     * compatibility is a property of NAT firmware and the punching strategy, which change over
     * days (a firmware roll-out, a new carrier NAT), not minutes; a day's half-life keeps a day
     * or two of sessions (at a steady rate r per hour, r · 24 / ln 2 ≈ 35 r sessions) while
     * forgetting a week-old world to below 1 %. The peers cap what they take from it
     * (docs/model.md §7.13).
     */
    public static final long NETWORK_HALF_LIFE_NANOS = 24L * 3600 * 1_000_000_000L;

    /** Why an OUTCOME report did not count (see {@link #outcomeDrops}). */
    public enum OutcomeDrop {
        /** No pending session with that id: never introduced, already resolved, or expired. */
        UNKNOWN_SESSION,
        /** The reporter is not one of the session's two peers. */
        NOT_A_PARTY,
        /** The same side reported twice while the session was pending. */
        DUPLICATE,
        /** The two sides reported different outcomes: the session counts nothing. */
        DISAGREED,
        /** Only one side reported before the session expired. */
        ONE_SIDED,
        /** A session introduced while {@link #MAX_PENDING_OUTCOMES} were pending: not tracked. */
        UNTRACKED
    }

    /** log2 of the per-address count table's slots (65 536; collisions only refuse more). */
    private static final int LOG2_PROBE_SOURCES = 16;
    private static final long SWEEP_NANOS = 1_000_000_000L;
    private static final DropReason[] REASONS = DropReason.values();

    private final EngineSink sink;
    private final SecureRandom random;
    private final InetSocketAddress altPort;
    private final InetSocketAddress altAddress;
    /** The socket the datagram being handled arrived on ({@code Frame.SOCKET_*}). */
    private int receivedAt;
    private final Hmac256 cookieMac;
    private final RateLimiter limiter = new RateLimiter(RATE_PER_SECOND, RATE_BURST, 12);
    private final byte[] in = new byte[MAX_DATAGRAM];
    private final byte[] out = new byte[MAX_DATAGRAM];
    private final ByteBuffer outView = ByteBuffer.wrap(out);
    private final byte[] cookieScratch = new byte[COOKIE_LENGTH + 64];
    private final byte[] cookieTag = new byte[16];
    private final FrameReader r = new FrameReader();
    private final long[] drops = new long[REASONS.length];

    /**
     * Registrations by link id, the table holding only the registrations (keyed by their {@code
     * linkId}): a packet's lookup reads one table slot and then the registration it needs anyway,
     * not a key slot and a value slot first (all cold when the rendezvous serves 10 000 peers).
     */
    private final KeyedLongMap<Registration> byLink = new KeyedLongMap<>(reg -> reg.linkId);
    private final Map<String, Registration> byId = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final LongMap<Relay> relays = new LongMap<>();
    private final LongMap<Offer> offers = new LongMap<>();
    private final Map<String, Offer> offersByRequest = new HashMap<>();
    private long nextSweep = Long.MIN_VALUE;
    /**
     * Registrations ordered by the {@code lastSeen} they had when queued (never later than the
     * current one, which only grows). The once-a-second lease sweep pops only the entries that
     * may have expired and re-queues those that were heard from since, instead of walking every
     * registration every second (at 10 000 peers that walk was a visible share of a simulation).
     */
    private final PriorityQueue<LeaseEntry> leases = new PriorityQueue<>((x, y) -> Long.compare(x.seen, y.seen));
    /** Each peer's relays (a relay is listed under both of its peers). */
    private final Map<String, List<Relay>> relaysByPeer = new HashMap<>();
    /** Relays made since the last sweep, and peers unregistered since: the sweep's candidates. */
    private final List<Relay> newRelays = new ArrayList<>();
    private final List<String> goneSinceSweep = new ArrayList<>();
    /** Sessions introduced between two classed peers, awaiting both OUTCOMEs, by session id. */
    private final LongMap<PendingOutcome> pendingOutcomes = new LongMap<>();
    /** The same, oldest first (introduction times only grow): the expiry sweep pops the head. */
    private final ArrayDeque<PendingOutcome> outcomeQueue = new ArrayDeque<>();
    /** Decayed (success, failure) per unordered NAT class pair; made at the first count. */
    private EvidenceTable network;
    private final long[] outcomeDrops = new long[OutcomeDrop.values().length];
    private long outcomesCounted;
    private final double[] networkScratch = new double[2];
    private final ProbeQueue probes = new ProbeQueue(MAX_PENDING_PROBES, MAX_PENDING_PROBES_PER_SOURCE, LOG2_PROBE_SOURCES);
    private long probeRepliesSent;

    private static final class Registration {
        /** {@code link.id()}, the key in {@code byLink}, read without reaching the link. */
        long linkId;
        /**
         * The wire encoding ({@code Endpoints.write}, {@code ENDPOINT_LENGTH} bytes) of the address
         * object {@code wireOf}, packed: bytes 0..7, 8..15 (big-endian) and 16..18. A keepalive's
         * ACK echoes the sender's address; encoding it reads four cold objects (the address, its
         * holder, the IP address, its holder), while the peer's keepalives keep arriving from the
         * same address object (the adapter's), whose encoding these fields keep.
         */
        long wire0;
        long wire1;
        int wire2;
        /*
         * A packet's references first (the JVM lays references out in this order, after the
         * primitives): link, endpoint and wireOf then lie as near the header as they can.
         */
        AuthLink link;
        InetSocketAddress endpoint;
        InetSocketAddress wireOf;
        String idHex;
        byte[] id;
        byte[] nameBytes;
        byte[] key;
        byte[] peerX;
        byte[] ourX;
        long lastSeen;
        /** The peer sent DISCOVER: it understands INTRODUCE's trailing NAT class byte. */
        boolean discovers;
        /** The peer's source as each socket (Frame.SOCKET_*) last saw it in a DISCOVER. */
        final InetSocketAddress[] observed = new InetSocketAddress[3];
        /** The filtering the peer reported (NatClass), 0 unknown. */
        int filtering;
        /**
         * No longer in {@code byId} (closed, expired, or replaced by a new registration of the
         * same peer); set wherever {@code byId} drops it, so a reference cached elsewhere (a
         * relay's) is valid exactly while this is false.
         */
        boolean gone;
    }

    /** An introduced session awaiting both peers' OUTCOME. */
    private static final class PendingOutcome {
        long sid;
        String requester;
        String target;
        long pairKey;
        long created;
        /** Each side's report: -1 none, else Frame.OUTCOME_*. */
        int requesterReport = -1;
        int targetReport = -1;
    }

    /** A registration queued for the lease sweep with the {@code lastSeen} it had then. */
    private static final class LeaseEntry {
        final long seen;
        final Registration reg;

        LeaseEntry(long seen, Registration reg) {
            this.seen = seen;
            this.reg = reg;
        }
    }

    private static final class Relay {
        long sid;
        String a;
        String b;
        /**
         * The registrations of a and b as last looked up, or null: a relayed frame reuses them
         * while they are not {@link Registration#gone}, instead of a {@code byId} lookup per
         * frame (a String-keyed hash probe; the mesh-like baseline relays every packet).
         */
        Registration regA;
        Registration regB;
    }

    private static final class Offer {
        long offerId;
        String requester;
        long requestId;
        List<Candidate> requesterLocals;
        List<Candidate> targetLocals;
        String target;
        long sessionId;
        byte[] key;
        long created;
    }

    /**
     * Creates a rendezvous engine.
     *
     * @param sink output
     * @param random randomness for cookies, ids and keys
     */
    public RendezvousEngine(EngineSink sink, SecureRandom random) {
        this(sink, random, null, null);
    }

    /**
     * Creates a rendezvous engine that also answers NAT behaviour discovery from two alternate
     * sockets: the driver feeds their datagrams to {@link #onDatagram(ByteBuffer,
     * InetSocketAddress, int, long)} with their socket index and sends what the engine asks for
     * through {@link EngineSink#send(ByteBuffer, InetSocketAddress, int)}.
     *
     * <pre>{@code
     * // primary 198.51.100.1:3478, alternates 198.51.100.1:3479 and 198.51.100.2:3479
     * new RendezvousEngine(sink, random, new InetSocketAddress(ip1, 3479), new InetSocketAddress(ip2, 3479));
     * }</pre>
     *
     * @param sink output
     * @param random randomness for cookies, ids and keys
     * @param alternatePort the primary address at another port ({@code Frame.SOCKET_ALT_PORT}),
     *     as peers reach it; null (with {@code alternateAddress}) for no discovery
     * @param alternateAddress another address, at a port other than the primary's ({@code
     *     Frame.SOCKET_ALT_ADDRESS}; RFC 5780 puts it at the alternate port); null (with {@code
     *     alternatePort}) for no discovery
     * @throws IllegalArgumentException when only one is given, either is unresolved, or they share
     *     an address
     */
    public RendezvousEngine(EngineSink sink, SecureRandom random, InetSocketAddress alternatePort,
            InetSocketAddress alternateAddress) {
        if ((alternatePort == null) != (alternateAddress == null)) {
            throw new IllegalArgumentException("give both alternate endpoints or neither, got "
                    + alternatePort + " and " + alternateAddress);
        }
        if (alternatePort != null && (alternatePort.getAddress() == null || alternateAddress.getAddress() == null
                || alternatePort.getAddress().equals(alternateAddress.getAddress()))) {
            throw new IllegalArgumentException("the alternate address " + alternateAddress
                    + " must be a resolved address other than the alternate port's " + alternatePort);
        }
        this.altPort = alternatePort;
        this.altAddress = alternateAddress;
        this.sink = sink;
        this.random = random;
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.cookieMac = new Hmac256(secret);
    }

    @Override
    public void onDatagram(ByteBuffer datagram, InetSocketAddress from, long nowNanos) {
        onDatagram(datagram, from, SOCKET_PRIMARY, nowNanos);
    }

    /**
     * Processes one datagram received on one of the rendezvous's sockets.
     *
     * @param datagram bytes between position and limit
     * @param from source endpoint
     * @param socket {@code Frame.SOCKET_PRIMARY}, {@code SOCKET_ALT_PORT} or {@code
     *     SOCKET_ALT_ADDRESS}; anything else is dropped as {@link DropReason#WRONG_ROLE}
     * @param nowNanos monotonic time
     */
    public void onDatagram(ByteBuffer datagram, InetSocketAddress from, int socket, long nowNanos) {
        if (socket < SOCKET_PRIMARY || socket > SOCKET_ALT_ADDRESS || (socket != SOCKET_PRIMARY && altPort == null)) {
            drop(DropReason.WRONG_ROLE);
            return;
        }
        receivedAt = socket;
        int n = datagram.remaining();
        if (n > MAX_DATAGRAM) {
            drop(DropReason.OVERSIZED);
            return;
        }
        datagram.get(datagram.position(), in, 0, n);
        DropReason d = r.wrap(in, 0, n);
        if (d != null) {
            drop(d);
            return;
        }
        try {
            d = handle(n, from, nowNanos);
        } catch (RuntimeException e) {
            d = DropReason.INTERNAL_ERROR;
        }
        if (d != null) {
            drop(d);
        }
    }

    private DropReason handle(int n, InetSocketAddress from, long now) {
        int type = r.type();
        if (receivedAt != SOCKET_PRIMARY && type != T_DISCOVER) {
            return DropReason.WRONG_ROLE; // the alternate sockets serve discovery only
        }
        switch (type) {
            case T_REGISTER:
                return onRegister(n, from, now);
            case T_REGISTER_PROOF:
                return onProof(n, from, now);
            case T_PROBE_REQUEST:
                return onProbeRequest(n, from, now);
            case T_CHALLENGE:
            case T_REJECTED:
            case T_PROBE_REPLY:
                return DropReason.WRONG_ROLE;
            default:
                break;
        }
        Registration reg = byLink.get(r.sessionId());
        if (reg == null) {
            return DropReason.UNKNOWN_SESSION;
        }
        DropReason d = reg.link.open(r);
        if (d != null) {
            return d;
        }
        reg.lastSeen = now;
        if (type == T_DISCOVER) {
            return onDiscover(reg, from);
        }
        // Identity first: the simulator's adapter hands back the same address object for a
        // cached sender, and equals on a cold registration's address is four dependent loads.
        if (from != reg.endpoint && !from.equals(reg.endpoint) && reg.link.lastWasFreshest()) {
            reg.endpoint = from; // NAT rebinding: the registration follows its freshest packet
        }
        switch (type) {
            case T_KEEPALIVE: {
                int p = reg.link.begin(out, 0, T_KEEPALIVE_ACK);
                if (from == reg.wireOf) {
                    // FrameWriter.ack's bytes, the address's from the registration (see wire0).
                    putLong(out, p, r.firstLong());
                    p = unpackEndpoint(reg, out, p + 8);
                } else {
                    int q = p + 8;
                    p = FrameWriter.ack(out, p, r.firstLong(), from);
                    packEndpoint(reg, out, q, from);
                }
                emit(reg.link.seal(out, 0, p), from);
                return null;
            }
            case T_CONNECT:
                return limiter.tryAcquire(from.getAddress(), now) ? onConnect(reg, now) : DropReason.RATE_LIMITED;
            case T_ACCEPT:
                return onAccept(reg, now);
            case T_DECLINE:
                return onDecline(reg);
            case T_RELAY_DATA:
                return onRelay(reg);
            case T_OUTCOME:
                onOutcome(reg, now);
                return null;
            case T_CLOSE:
                byLink.remove(reg.link.id());
                byId.remove(reg.idHex);
                reg.gone = true;
                goneSinceSweep.add(reg.idHex);
                return null;
            default:
                return DropReason.WRONG_ROLE;
        }
    }

    /** Keeps the endpoint encoding at {@code out[q..]}, that of {@code of}, in {@code reg}. */
    private static void packEndpoint(Registration reg, byte[] out, int q, InetSocketAddress of) {
        reg.wire0 = getLong(out, q);
        reg.wire1 = getLong(out, q + 8);
        reg.wire2 = (out[q + 16] & 0xFF) << 16 | (out[q + 17] & 0xFF) << 8 | (out[q + 18] & 0xFF);
        reg.wireOf = of;
    }

    /** Writes the kept endpoint encoding at {@code out[q..]}; returns its end. */
    private static int unpackEndpoint(Registration reg, byte[] out, int q) {
        putLong(out, q, reg.wire0);
        putLong(out, q + 8, reg.wire1);
        out[q + 16] = (byte) (reg.wire2 >>> 16);
        out[q + 17] = (byte) (reg.wire2 >>> 8);
        out[q + 18] = (byte) reg.wire2;
        return q + ENDPOINT_LENGTH;
    }

    /**
     * Answers a DISCOVER with the source this socket observed, from the socket asked for, and
     * keeps the observation and the reported filtering for INTRODUCE. The registration's
     * endpoint does not move: a DISCOVER to an alternate socket may come from another mapping.
     */
    private DropReason onDiscover(Registration reg, InetSocketAddress from) {
        int answerFrom = r.bodyByte(8);
        if (answerFrom != DISCOVER_FROM_SAME && altPort == null) {
            return DropReason.UNEXPECTED; // no alternate socket to answer from
        }
        reg.discovers = true;
        if (receivedAt == SOCKET_PRIMARY && !from.equals(reg.observed[SOCKET_PRIMARY])) {
            // A new mapping toward the primary: what the alternates saw belongs to the old one.
            reg.observed[SOCKET_ALT_PORT] = null;
            reg.observed[SOCKET_ALT_ADDRESS] = null;
        }
        reg.observed[receivedAt] = from;
        int reported = NatClass.filtering(r.natClass());
        if (reported != 0) {
            reg.filtering = reported;
        }
        int socket = answerFrom == DISCOVER_FROM_SAME ? receivedAt
                : answerFrom == DISCOVER_FROM_ALT_PORT ? SOCKET_ALT_PORT : SOCKET_ALT_ADDRESS;
        int p = reg.link.begin(out, 0, T_DISCOVER_ANSWER);
        p = FrameWriter.discoverAnswer(out, p, r.firstLong(), receivedAt, from, altPort, altAddress);
        outView.clear().limit(reg.link.seal(out, 0, p));
        sink.send(outView, from, socket);
        return null;
    }

    /**
     * A peer's NAT class from what the sockets observed (mapping, RFC 5780 §4.3: the same source
     * at the primary and the alternate address is endpoint-independent; else the same at both
     * ports of the primary address is address-dependent; else address-and-port-dependent) and
     * the filtering it reported; {@link NatClass#UNKNOWN} unless both are known.
     */
    static int natClassOf(InetSocketAddress[] observed, int filtering) {
        InetSocketAddress primary = observed[SOCKET_PRIMARY];
        if (primary == null || observed[SOCKET_ALT_ADDRESS] == null || observed[SOCKET_ALT_PORT] == null
                || filtering == 0) {
            return NatClass.UNKNOWN;
        }
        int mapping = primary.equals(observed[SOCKET_ALT_ADDRESS]) ? NatClass.EIM
                : primary.equals(observed[SOCKET_ALT_PORT]) ? NatClass.ADM : NatClass.APDM;
        return NatClass.of(mapping, filtering);
    }

    private DropReason onRegister(int n, InetSocketAddress from, long now) {
        if (!limiter.tryAcquire(from.getAddress(), now)) {
            return DropReason.RATE_LIMITED;
        }
        makeCookie(from, in, r.bodyOffset(), Math.floorDiv(now, COOKIE_BUCKET_NANOS), cookieScratch);
        int len = FrameWriter.challenge(out, 0, cookieScratch, 0);
        return answerUnverified(len, n, from);
    }

    /**
     * Schedules the reply of a lifetime probe: to the observed source, after the requested gap.
     * No state is kept about the source beyond the bounded queue entry.
     */
    private DropReason onProbeRequest(int n, InetSocketAddress from, long now) {
        if (PROBE_REPLY_LENGTH > n) {
            return DropReason.AMPLIFICATION; // unreachable by the layout; the rule is checked anyway
        }
        if (!limiter.tryAcquire(from.getAddress(), now)) {
            return DropReason.RATE_LIMITED;
        }
        long due = now + r.probeGapMillis() * 1_000_000L;
        return probes.offer(due, r.firstLong(), from) ? null : DropReason.RATE_LIMITED;
    }

    /** Sends every probe reply due by {@code now}; allocation-free. */
    private void sendDueProbes(long now) {
        while (probes.nextDueNanos() <= now) {
            int len = FrameWriter.probeReply(out, 0, probes.peekNonce());
            InetSocketAddress to = probes.peekDestination();
            probes.poll();
            probeRepliesSent++;
            emit(len, to);
        }
    }

    /** The amplification rule, checked on every answer to a source that has not proven itself. */
    private DropReason answerUnverified(int len, int received, InetSocketAddress to) {
        if (len > received) {
            return DropReason.AMPLIFICATION;
        }
        emit(len, to);
        return null;
    }

    private void makeCookie(InetSocketAddress from, byte[] key, int keyOff, long bucket, byte[] dst) {
        putLong(dst, 0, bucket);
        int p = 8;
        byte[] addr = from.getAddress().getAddress();
        System.arraycopy(addr, 0, dst, p, addr.length);
        p += addr.length;
        dst[p++] = (byte) (from.getPort() >>> 8);
        dst[p++] = (byte) from.getPort();
        System.arraycopy(key, keyOff, dst, p, ED25519_KEY_LENGTH);
        p += ED25519_KEY_LENGTH;
        // dst[0..8) keeps the bucket; the MAC over bucket||source||key overwrites the rest.
        cookieMac.mac(dst, 0, p, cookieTag, 0, 16);
        System.arraycopy(cookieTag, 0, dst, 8, 16);
    }

    private DropReason onProof(int n, InetSocketAddress from, long now) {
        if (!limiter.tryAcquire(from.getAddress(), now)) {
            return DropReason.RATE_LIMITED;
        }
        int body = r.bodyOffset();
        int edOff = body + COOKIE_LENGTH;
        int xOff = edOff + ED25519_KEY_LENGTH;
        long bucket = getLong(in, body);
        long current = Math.floorDiv(now, COOKIE_BUCKET_NANOS);
        if (bucket != current && bucket != current - 1) {
            return DropReason.BAD_COOKIE;
        }
        makeCookie(from, in, edOff, bucket, cookieScratch);
        int diff = 0;
        for (int i = 0; i < COOKIE_LENGTH; i++) {
            diff |= cookieScratch[i] ^ in[body + i];
        }
        if (diff != 0) {
            return DropReason.BAD_COOKIE;
        }
        // The source has now proven it receives at its address; the signature proves the key.
        int sigOff = r.signatureOffset();
        if (!Keys.verify(in, edOff, Keys.REGISTER_DOMAIN, in, body, sigOff - body, in, sigOff)) {
            return DropReason.BAD_SIGNATURE;
        }
        byte[] id = Keys.peerId(in, edOff);
        String idHex = Keys.hex(id);
        String name = new String(in, r.nameOffset(), r.nameLength(), StandardCharsets.US_ASCII);
        if (!name.isEmpty()) {
            String owner = names.get(name);
            if (owner != null && !owner.equals(idHex)) {
                return answerUnverified(FrameWriter.rejected(out, 0, REASON_NAME_TAKEN), n, from);
            }
        }
        byte[] peerX = java.util.Arrays.copyOfRange(in, xOff, xOff + X25519_KEY_LENGTH);
        Registration old = byId.get(idHex);
        if (old != null && java.util.Arrays.equals(old.peerX, peerX)) {
            old.endpoint = from; // a retransmitted proof: answer with the same registration
            old.lastSeen = now;
            sendRegistered(old);
            return null;
        }
        byte[] eph = Keys.x25519Private(random);
        // Our public key before the agreement (the same two computations in either order): inside
        // the simulator's HandshakeMemo the agreement can then store the peer's side too.
        byte[] ourX = Keys.x25519Public(eph);
        byte[] shared = Keys.agree(eph, in, xOff);
        if (shared == null) {
            return DropReason.MALFORMED_BODY;
        }
        byte[] context = java.util.Arrays.copyOfRange(in, body, body + COOKIE_LENGTH + ED25519_KEY_LENGTH);
        Registration reg = new Registration();
        reg.idHex = idHex;
        reg.id = id;
        reg.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        reg.key = Keys.derive(shared, "netbelief-punch-v1 link", context);
        reg.peerX = peerX;
        reg.ourX = ourX;
        reg.link = new AuthLink(nonZeroRandom(), reg.key, true);
        reg.linkId = reg.link.id();
        reg.endpoint = from;
        reg.lastSeen = now;
        if (old != null) {
            byLink.remove(old.link.id());
            old.gone = true; // replaced in byId just below
        }
        byId.put(idHex, reg);
        byLink.put(reg);
        leases.add(new LeaseEntry(now, reg));
        if (!name.isEmpty()) {
            names.putIfAbsent(name, idHex);
        }
        sendRegistered(reg);
        sink.event(PunchEvent.simple(PunchEvent.Kind.REGISTERED, now, idHex, name, from, null));
        return null;
    }

    private void sendRegistered(Registration reg) {
        int p = reg.link.begin(out, 0, T_REGISTERED);
        p = FrameWriter.registered(out, p, reg.ourX, reg.id, reg.endpoint, LEASE_MILLIS);
        emit(reg.link.seal(out, 0, p), reg.endpoint);
    }

    private DropReason onConnect(Registration reg, long now) {
        long requestId = r.firstLong();
        String key = reg.idHex + ":" + requestId;
        Offer offer = offersByRequest.get(key);
        if (offer != null) {
            Registration target = byId.get(offer.target);
            if (target == null) {
                return decline(reg, requestId, REASON_UNKNOWN_PEER);
            }
            if (offer.sessionId != 0) {
                introduce(offer, reg, 0, target, now);
            } else {
                sendOffer(offer, target, reg);
            }
            return null;
        }
        String targetId;
        if (r.bodyByte(8) == TARGET_NAME) {
            targetId = names.get(new String(in, r.nameOffset(), r.nameLength(), StandardCharsets.US_ASCII));
        } else {
            targetId = Keys.hex(java.util.Arrays.copyOfRange(in, r.nameOffset(), r.nameOffset() + PEER_ID_LENGTH));
        }
        Registration target = targetId == null ? null : byId.get(targetId);
        if (target == null || target == reg) {
            return decline(reg, requestId, REASON_UNKNOWN_PEER);
        }
        offer = new Offer();
        offer.offerId = nonZeroRandom();
        offer.requester = reg.idHex;
        offer.requestId = requestId;
        offer.requesterLocals = readCandidates(r);
        offer.target = target.idHex;
        offer.created = now;
        offers.put(offer.offerId, offer);
        offersByRequest.put(key, offer);
        sendOffer(offer, target, reg);
        return null;
    }

    private DropReason decline(Registration to, long requestId, int reason) {
        int p = to.link.begin(out, 0, T_DECLINE);
        p = FrameWriter.decline(out, p, requestId, reason);
        emit(to.link.seal(out, 0, p), to.endpoint);
        return null;
    }

    private void sendOffer(Offer offer, Registration target, Registration requester) {
        int p = target.link.begin(out, 0, T_OFFER);
        p = FrameWriter.offer(out, p, offer.offerId, requester.id, requester.nameBytes);
        emit(target.link.seal(out, 0, p), target.endpoint);
    }

    private DropReason onAccept(Registration reg, long now) {
        Offer offer = offers.get(r.firstLong());
        if (offer == null || !offer.target.equals(reg.idHex)) {
            return DropReason.UNEXPECTED;
        }
        Registration requester = byId.get(offer.requester);
        if (requester == null) {
            return DropReason.UNEXPECTED;
        }
        if (offer.sessionId == 0) {
            offer.targetLocals = readCandidates(r);
            offer.sessionId = nonZeroRandom();
            offer.key = new byte[SESSION_KEY_LENGTH];
            random.nextBytes(offer.key);
            Relay relay = new Relay();
            relay.sid = offer.sessionId;
            relay.a = offer.requester;
            relay.b = offer.target;
            relays.put(offer.sessionId, relay);
            relaysByPeer.computeIfAbsent(relay.a, k -> new ArrayList<>()).add(relay);
            if (!relay.b.equals(relay.a)) {
                relaysByPeer.computeIfAbsent(relay.b, k -> new ArrayList<>()).add(relay);
            }
            newRelays.add(relay);
            trackOutcome(offer, requester, reg, now);
        }
        introduce(offer, requester, 0, reg, now);
        introduce(offer, reg, 1, requester, now);
        return null;
    }

    /** Sends INTRODUCE to {@code to} about {@code other}; role 0 initiator, 1 responder. */
    private void introduce(Offer offer, Registration to, int role, Registration other, long now) {
        List<Candidate> cands = new ArrayList<>();
        cands.add(new Candidate(CANDIDATE_PUBLIC, other.endpoint));
        for (Candidate c : role == 0 ? offer.targetLocals : offer.requesterLocals) {
            if (cands.size() < MAX_CANDIDATES && !c.endpoint().equals(other.endpoint)) {
                cands.add(c);
            }
        }
        byte[] sid = new byte[8];
        putLong(sid, 0, offer.sessionId);
        byte[] pad = Keys.derive(to.key, "netbelief-punch-v1 seal", sid);
        byte[] sealed = new byte[SESSION_KEY_LENGTH];
        for (int i = 0; i < sealed.length; i++) {
            sealed[i] = (byte) (offer.key[i] ^ pad[i]);
        }
        long requestId = role == 0 ? offer.requestId : offer.offerId;
        int p = to.link.begin(out, 0, T_INTRODUCE);
        int otherClass = natClassOf(other.observed, other.filtering);
        int ownClass = natClassOf(to.observed, to.filtering);
        if (to.discovers && NatClass.isKnown(otherClass) && NatClass.isKnown(ownClass)) {
            // Both classes known: the pair's network evidence (zero before any agreed session).
            networkEvidence(pairKey(ownClass, otherClass), now, networkScratch);
            p = FrameWriter.introduce(out, p, requestId, offer.sessionId, sealed, role, other.id, other.nameBytes, cands,
                    otherClass, (float) Math.min(MAX_NETWORK_MASS, networkScratch[0]),
                    (float) Math.min(MAX_NETWORK_MASS, networkScratch[1]));
        } else if (to.discovers) {
            p = FrameWriter.introduce(out, p, requestId, offer.sessionId, sealed, role, other.id, other.nameBytes, cands,
                    otherClass);
        } else {
            p = FrameWriter.introduce(out, p, requestId, offer.sessionId, sealed, role, other.id, other.nameBytes, cands);
        }
        emit(to.link.seal(out, 0, p), to.endpoint);
    }

    /**
     * Starts waiting for the OUTCOMEs of a new session when both peers did discovery and both
     * classes are known; counts {@link OutcomeDrop#UNTRACKED} at the cap.
     */
    private void trackOutcome(Offer offer, Registration requester, Registration target, long now) {
        int a = natClassOf(requester.observed, requester.filtering);
        int b = natClassOf(target.observed, target.filtering);
        if (!requester.discovers || !target.discovers || !NatClass.isKnown(a) || !NatClass.isKnown(b)) {
            return;
        }
        track(offer.sessionId, requester.idHex, target.idHex, a, b, now);
    }

    /** Tracks session {@code sid} between two peers of known classes (package-private for tests). */
    void track(long sid, String requesterId, String targetId, int a, int b, long now) {
        expireOutcomes(now);
        // The queue holds every tracked session of the last OUTCOME_TTL_NANOS, resolved or not:
        // capping it bounds both structures.
        if (outcomeQueue.size() >= MAX_PENDING_OUTCOMES) {
            outcomeDrops[OutcomeDrop.UNTRACKED.ordinal()]++;
            return;
        }
        PendingOutcome o = new PendingOutcome();
        o.sid = sid;
        o.requester = requesterId;
        o.target = targetId;
        o.pairKey = pairKey(a, b);
        o.created = now;
        pendingOutcomes.put(o.sid, o);
        outcomeQueue.addLast(o);
    }

    /** An OUTCOME: counted once when both sides of a pending session agree (class comment). */
    private void onOutcome(Registration reg, long now) {
        recordOutcome(reg.idHex, r.firstLong(), r.bodyByte(8), now);
    }

    /** An authenticated report of {@code reporterId} (package-private for tests). */
    void recordOutcome(String reporterId, long sid, int outcome, long now) {
        expireOutcomes(now);
        PendingOutcome o = pendingOutcomes.get(sid);
        if (o == null) {
            outcomeDrops[OutcomeDrop.UNKNOWN_SESSION.ordinal()]++;
            return;
        }
        boolean isRequester = o.requester.equals(reporterId);
        if (!isRequester && !o.target.equals(reporterId)) {
            outcomeDrops[OutcomeDrop.NOT_A_PARTY.ordinal()]++;
            return;
        }
        if ((isRequester ? o.requesterReport : o.targetReport) >= 0) {
            outcomeDrops[OutcomeDrop.DUPLICATE.ordinal()]++;
            return;
        }
        if (isRequester) {
            o.requesterReport = outcome;
        } else {
            o.targetReport = outcome;
        }
        if (o.requesterReport < 0 || o.targetReport < 0) {
            return; // wait for the other side
        }
        pendingOutcomes.remove(sid); // resolved; the queue entry is skipped when it comes due
        if (o.requesterReport != o.targetReport) {
            outcomeDrops[OutcomeDrop.DISAGREED.ordinal()]++;
            return;
        }
        if (network == null) {
            network = EvidenceTable.builder().halfLifeNanos(NETWORK_HALF_LIFE_NANOS).maxRows(64)
                    .originNanos(now).build();
        }
        network.observe(o.pairKey, o.requesterReport == OUTCOME_DIRECT, now);
        outcomesCounted++;
    }

    /** Drops pending sessions older than {@link #OUTCOME_TTL_NANOS}, counting one-sided ones. */
    private void expireOutcomes(long now) {
        while (!outcomeQueue.isEmpty() && now - outcomeQueue.peekFirst().created > OUTCOME_TTL_NANOS) {
            PendingOutcome o = outcomeQueue.pollFirst();
            if (pendingOutcomes.get(o.sid) == o) {
                pendingOutcomes.remove(o.sid);
                if (o.requesterReport >= 0 || o.targetReport >= 0) {
                    outcomeDrops[OutcomeDrop.ONE_SIDED.ordinal()]++;
                }
            }
        }
    }

    /** The evidence table's key of an unordered pair of known classes (never 0). */
    static long pairKey(int a, int b) {
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        return 1L << 32 | (long) lo << 8 | hi;
    }

    /** The decayed (success, failure) masses of a pair key into {@code out}; zeros when none. */
    private void networkEvidence(long pairKey, long now, double[] out) {
        if (network == null) {
            out[0] = 0.0;
            out[1] = 0.0;
            return;
        }
        network.read(pairKey, now, out);
    }

    /**
     * The rendezvous's decayed network evidence for the unordered pair of NAT classes {@code a},
     * {@code b} ({@link NatClass}, both known) at {@code nowNanos}: {successes, failures}.
     */
    public double[] networkEvidence(int a, int b, long nowNanos) {
        if (!NatClass.isKnown(a) || !NatClass.isKnown(b)) {
            throw new IllegalArgumentException("NAT classes must be known, got " + a + " and " + b);
        }
        double[] out = new double[2];
        networkEvidence(pairKey(a, b), nowNanos, out);
        return out;
    }

    /** @return how many OUTCOME reports (or sessions) did not count, for {@code reason} */
    public long outcomeDrops(OutcomeDrop reason) {
        return outcomeDrops[reason.ordinal()];
    }

    /** @return sessions counted in the network evidence so far (both sides agreed) */
    public long outcomesCounted() {
        return outcomesCounted;
    }

    /** @return sessions waiting for their OUTCOMEs (at most {@link #MAX_PENDING_OUTCOMES}) */
    public int pendingOutcomes() {
        return pendingOutcomes.size();
    }

    private DropReason onDecline(Registration reg) {
        Offer offer = offers.get(r.firstLong());
        if (offer == null || !offer.target.equals(reg.idHex)) {
            return DropReason.UNEXPECTED;
        }
        offers.remove(offer.offerId);
        offersByRequest.remove(offer.requester + ":" + offer.requestId);
        Registration requester = byId.get(offer.requester);
        if (requester != null) {
            decline(requester, offer.requestId, r.bodyByte(8));
        }
        return null;
    }

    /** Relay hot path: lookups by primitive id and cached strings, one copy, no allocation. */
    private DropReason onRelay(Registration reg) {
        long sid = r.firstLong();
        Relay relay = relays.get(sid);
        if (relay == null) {
            return DropReason.UNKNOWN_SESSION;
        }
        boolean fromA = relay.a.equals(reg.idHex);
        String other = fromA ? relay.b : relay.b.equals(reg.idHex) ? relay.a : null;
        if (other == null) {
            return DropReason.UNEXPECTED;
        }
        Registration to = fromA ? relay.regB : relay.regA;
        if (to == null || to.gone) {
            to = byId.get(other);
            if (to == null) {
                return DropReason.UNKNOWN_SESSION;
            }
            if (fromA) {
                relay.regB = to;
            } else {
                relay.regA = to;
            }
        }
        int p = to.link.begin(out, 0, T_RELAY_DATA);
        p = FrameWriter.relay(out, p, sid, in, r.payloadOffset(), r.payloadLength());
        emit(to.link.seal(out, 0, p), to.endpoint);
        return null;
    }

    private static List<Candidate> readCandidates(FrameReader r) {
        List<Candidate> list = new ArrayList<>(r.candidateCount());
        for (int i = 0; i < r.candidateCount(); i++) {
            int c = r.candidatesOffset() + i * CANDIDATE_LENGTH;
            list.add(new Candidate(r.array()[c], Endpoints.read(r.array(), c + 1)));
        }
        return list;
    }

    @Override
    public void onTimer(long nowNanos) {
        try {
            sendDueProbes(nowNanos);
        } catch (RuntimeException e) {
            drop(DropReason.INTERNAL_ERROR); // a sink failure never stops the timer
        }
        if (nowNanos < nextSweep) {
            return;
        }
        nextSweep = nowNanos + SWEEP_NANOS;
        long lease = LEASE_MILLIS * 1_000_000L;
        // A registration expires at the first sweep with now - lastSeen > lease. Every one that
        // may qualify has a queued entry with seen <= lastSeen, so popping the entries with
        // now - seen > lease finds exactly the expired ones; the others go back with their
        // newer lastSeen, and entries of replaced or closed registrations are dropped.
        while (!leases.isEmpty() && nowNanos - leases.peek().seen > lease) {
            Registration reg = leases.poll().reg;
            if (reg.gone) { // replaced or closed, so out of byId: no lookup by a cold id string
                continue;
            }
            if (nowNanos - reg.lastSeen > lease) {
                byLink.remove(reg.link.id());
                byId.remove(reg.idHex);
                reg.gone = true;
                goneSinceSweep.add(reg.idHex);
            } else {
                leases.add(new LeaseEntry(reg.lastSeen, reg));
            }
        }
        expireOutcomes(nowNanos);
        for (Object o : offers.valuesSnapshot()) {
            Offer offer = (Offer) o;
            if (nowNanos - offer.created > OFFER_TTL_NANOS) {
                offers.remove(offer.offerId);
                offersByRequest.remove(offer.requester + ":" + offer.requestId);
            }
        }
        // A relay goes when neither of its peers is registered. One that survived the last sweep
        // had a registered peer then, and registrations end only through goneSinceSweep, so the
        // candidates are the new relays and those of peers gone since: the same relays the walk
        // over all of them found.
        for (Relay relay : newRelays) {
            sweepRelay(relay);
        }
        for (String gone : goneSinceSweep) {
            List<Relay> of = relaysByPeer.get(gone);
            if (of != null) {
                for (Relay relay : of.toArray(new Relay[0])) {
                    sweepRelay(relay);
                }
            }
        }
        newRelays.clear();
        goneSinceSweep.clear();
    }

    private void sweepRelay(Relay relay) {
        if (relays.get(relay.sid) == relay && !byId.containsKey(relay.a) && !byId.containsKey(relay.b)) {
            relays.remove(relay.sid);
            unlist(relay.a, relay);
            unlist(relay.b, relay);
        }
    }

    private void unlist(String peer, Relay relay) {
        List<Relay> of = relaysByPeer.get(peer);
        if (of != null) {
            of.remove(relay);
            if (of.isEmpty()) {
                relaysByPeer.remove(peer);
            }
        }
    }

    @Override
    public long nextDeadlineNanos() {
        return nextSweep == Long.MIN_VALUE ? 0 : Math.min(nextSweep, probes.nextDueNanos());
    }

    @Override
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    @Override
    public long totalDrops() {
        long s = 0;
        for (long d : drops) {
            s += d;
        }
        return s;
    }

    /** @return number of live registrations */
    public int registrations() {
        return byId.size();
    }

    /** @return lifetime-probe replies waiting for their gap to pass */
    public int pendingProbes() {
        return probes.size();
    }

    /** @return lifetime-probe replies sent so far */
    public long probeRepliesSent() {
        return probeRepliesSent;
    }

    /** @return number of sessions the relay can carry */
    public int relaySessions() {
        return relays.size();
    }

    private void drop(DropReason d) {
        drops[d.ordinal()]++;
    }

    private void emit(int len, InetSocketAddress to) {
        outView.clear().limit(len);
        sink.send(outView, to);
    }

    private long nonZeroRandom() {
        long v;
        do {
            v = random.nextLong();
        } while (v == 0);
        return v;
    }
}

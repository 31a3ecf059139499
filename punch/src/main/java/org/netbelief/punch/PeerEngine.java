package org.netbelief.punch;

import static org.netbelief.punch.wire.Frame.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.netbelief.punch.crypto.Hmac256;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.crypto.Keys;
import org.netbelief.punch.crypto.ReplayWindow;
import org.netbelief.punch.internal.AuthLink;
import org.netbelief.punch.internal.LongMap;
import org.netbelief.punch.internal.PathKeys;
import org.netbelief.punch.wire.Candidate;
import org.netbelief.punch.wire.DropReason;
import org.netbelief.punch.wire.Endpoints;
import org.netbelief.punch.wire.FrameReader;
import org.netbelief.punch.wire.FrameWriter;

/**
 * The peer engine: registers at the rendezvous, asks it for introductions ({@link #connect}) or
 * accepts them, punches holes to the introduced peer, keeps established paths alive, falls back to
 * the relay when punching is hopeless, and carries application data ({@link #send}). Many sessions
 * share one socket; sessions are found by the id in each authenticated packet, so a session
 * follows its peer to a new endpoint (NAT rebinding) when a packet with a valid tag and the
 * freshest counter arrives from there.
 *
 * <p>Sans-I/O (see {@link Engine}): it never reads a clock or touches a socket. Every packet event
 * on a path goes to the {@link PathObserver}; every decision comes from the {@link PunchPolicy}.
 *
 * <pre>{@code
 * PeerEngine peer = new PeerEngine(Identity.generate(rnd), "alice", rendezvous, List.of(localCandidate),
 *         true, new DefaultPunchPolicy(), PathObserver.NONE, sink, rnd);
 * peer.start(now);
 * peer.connect("bob", now);          // later: peer.send("bob", ByteBuffer.wrap(bytes), now)
 * }</pre>
 *
 * <p>Timers: {@link #nextDeadlineNanos()} is exact. After every call that can move a timer
 * ({@link #onDatagram}, {@link #onTimer}, {@link #start}, {@link #connect}, {@link #close}) it is
 * the earliest time at which {@link #onTimer} has work — a resend, a probe timeout, a keepalive, a
 * punch round, a request timeout — and never an earlier time left behind by work that is gone:
 * once the rendezvous answers a keepalive, the next deadline is the next keepalive, not the
 * answer's timeout. {@link #send} moves no timer. Calling {@link #onTimer} early does nothing
 * and leaves the deadline where it was, so a driver that wakes early (a selector returning
 * before its timeout) is harmless.
 *
 * <p>Single-threaded. The receive path of an established session (decode, authenticate, observe,
 * deliver) allocates nothing, nor does a timer pass over established sessions.
 *
 * <p>Buffers. The datagram handed to {@link EngineSink#send} is valid only during that call, as
 * the sink contract says: its array is not this engine's own but the calling thread's, shared
 * by every engine the thread runs, and the next datagram built at the same nesting level
 * overwrites it. Every public call into an engine takes the thread's next level of buffers
 * (readers and output) and gives it back when it returns, so a sink may call into any engine of
 * the same thread, this one included, from inside {@code send}, {@code event} or {@code data}
 * (a driver delivering a datagram at once, without copying it, to the engine it is addressed
 * to): the nested call never overwrites the datagram the outer one is sending or reading.
 */
public final class PeerEngine implements Engine {
    /** Resend interval of REGISTER and REGISTER_PROOF. */
    public static final long REGISTER_RETRY_NANOS = 500_000_000L;
    /** Registration gives up after this long without an answer. */
    public static final long REGISTER_TIMEOUT_NANOS = 5_000_000_000L;
    /** Resend interval of CONNECT and ACCEPT. */
    public static final long REQUEST_RETRY_NANOS = 500_000_000L;
    /** CONNECT and ACCEPT give up after this long. */
    public static final long REQUEST_TIMEOUT_NANOS = 10_000_000_000L;
    /** Wait for a KEEPALIVE_ACK from the rendezvous. */
    public static final long RENDEZVOUS_PROBE_TIMEOUT_NANOS = 1_000_000_000L;
    /** Unanswered rendezvous keepalives before registering again. */
    public static final int RENDEZVOUS_MISSES = 3;
    /** Wait for a DISCOVER_ANSWER before sending the request again. */
    public static final long DISCOVER_RETRY_NANOS = 500_000_000L;
    /**
     * DISCOVER requests per discovery step. A step whose answer never comes is a negative
     * filtering test, so loss must not fake one: at 1 % loss per link crossing an exchange is
     * lost with ≈ 2 %, three in a row with ≈ 10⁻⁵.
     */
    public static final int DISCOVER_TRIES = 3;
    /** An inconclusive step (lost answers to a step that must be answered) is resumed after this. */
    public static final long DISCOVER_AGAIN_NANOS = 60_000_000_000L;
    private static final DropReason[] REASONS = DropReason.values();

    // Discovery steps (RFC 5780 §4.4 filtering first, on a mapping that has sent only to the
    // primary endpoint, then §4.3 mapping, then the report).
    private static final int D_IDLE = 0;
    private static final int D_BASE = 1;
    private static final int D_EIF = 2;
    private static final int D_ADF = 3;
    private static final int D_MAP_ADDRESS = 4;
    private static final int D_MAP_PORT = 5;
    private static final int D_REPORT = 6;

    private static final int PUNCHING = 0;
    private static final int DIRECT = 1;
    private static final int RELAY = 2;

    // Registration states.
    private static final int R_IDLE = 0;
    private static final int R_HELLO = 1;
    private static final int R_PROOF = 2;
    private static final int R_REGISTERED = 3;
    private static final int R_FAILED = 4;

    /*
     * Field layout. In a large simulation every event finds its engine cold, so the fields a
     * timer pass, planning and a session frame read are the only ones kept in this object, and
     * declared so that HotSpot (which lays out a class's longs, then ints, then references, each
     * group in declaration order, an int first in the header's gap) puts them in the object's
     * first ~140 bytes (JOL: a 192-byte engine, two or three cache lines for a timer pass)
     * instead of the five lines a 304-byte engine spread them over.
     * Everything else (identity, names, the registration handshake, discovery, the request maps,
     * buffers made on first need) is in the Cold side object, touched only when it is used.
     * connects and accepts are counted in requestCount so that a timer pass and planning need not
     * open either map while both are empty (nearly always).
     */

    /** R_IDLE, R_HELLO, R_PROOF, R_REGISTERED or R_FAILED. */
    private int reg = R_IDLE;
    /** The registration link's id while linked (see linkS0). */
    private long linkId;
    private long linkInterval;
    /**
     * When the rendezvous last answered a keepalive (or registered us). The keepalive cadence
     * runs from here, not from the last frame heard: a relayed frame or an offer proves only the
     * way in, and the model takes the answers as proof that our packets get out (UPLINK).
     */
    private long linkLastAnswered;
    private long linkProbeSentAt;
    private long discNextSend;
    /** When an inconclusive step is resumed, or Long.MAX_VALUE. */
    private long discResumeAt = Long.MAX_VALUE;
    /** The earliest time a timer has work; {@link #plan} sets it at the end of every entry point. */
    private long nextDeadline = Long.MAX_VALUE;
    /**
     * The earliest deadline of the live sessions (the least odd entry of {@code liveKeys}), or
     * Long.MAX_VALUE; kept exact by {@link #setDeadline}, {@link #addLive} and {@link
     * #removeLive}. Planning and a timer pass with no session due read it instead of the array:
     * the timer pass's scan of the cold array was 2.5 % self of the mesh-like 10 000-peer run,
     * most of whose timers are rendezvous keepalives, when no session is due.
     */
    private long liveMin = Long.MAX_VALUE;
    /** The rendezvous's lease (from REGISTERED): the keepalive interval stays at most a third. */
    private long linkLease;
    /*
     * The 19 wire bytes cold.publicEndpoint was last read from (or found equal to), as bytes
     * [0, 8), [8, 16) and [16, 19): a keepalive answer's observed endpoint is compared with these
     * and decoded only when it differs. Decoding it on every answer (an InetSocketAddress,
     * InetAddress and their holders) was about a fifth of all bytes a mesh-like 10 000-peer run
     * allocated. Held here, not in a byte[] of Cold: an answer then reads no second object.
     */
    private long pubWire0;
    private long pubWire1;
    /*
     * The registration's authenticated link (id linkId, our side the initiator), held here
     * rather than in an AuthLink object of its own: a rendezvous keepalive and its answer, the
     * commonest events of a large simulation, then read the counters and the key from the
     * engine's lines instead of a cold AuthLink object one dependent load further (its begin and
     * key loads were 3.8 % and 6.5 % self of the oracle policy's 10 000-peer run). Valid while
     * linked.
     */
    private long linkS0;
    private long linkS1;
    private long linkS2;
    private long linkS3;
    private long linkS4;
    private long linkS5;
    private long linkS6;
    private long linkS7;
    private long linkSendCounter;
    private long linkHighest;
    private long linkBitmap;
    private int linkMisses;
    private int discStep;
    private int discTries;
    private int liveCount;
    private int dueCount;
    /** {@code connects.size() + accepts.size()}, kept by {@link #countRequests}. */
    private int requestCount;
    private int pubWire2;
    /** Whether the registration's link (linkId, linkS0...) is set. */
    private boolean linked;
    /*
     * The live sessions (all of them: the same as the sessions map), dense, with each session's
     * id and timer deadline in a parallel primitive array, interleaved: liveKeys[2 * i] is the
     * id of live[i], liveKeys[2 * i + 1] its deadline. The timer pass reads one small long[] and
     * touches only the sessions that are due. A frame's session is found by scanning the ids
     * (see session()): the map was three or four dependent cold lines per frame (the map, its
     * keys, its values; LongMap.slot and get were 4.8 % self of the mesh-like 10 000-peer run),
     * the scan is the one line of ids, which a session frame mostly writes a deadline into
     * anyway, and live[]. Each Session is a separate object, usually cold when a timer fires in
     * a large simulation. A removal moves the last entry into the gap (slot).
     */
    private Session[] live = new Session[4];
    private long[] liveKeys = new long[8];
    // Timer scratch, reused so that the timer pass allocates nothing.
    private Session[] due = new Session[4];
    private final LongMap<Session> sessions = new LongMap<>();
    /**
     * The thread's {@link Level} of the call in progress (see {@link #enter}), and its reader of
     * the datagram being handled, of a relayed inner frame, and its output array: set by every
     * public entry point for the length of the call, null otherwise.
     */
    private Level io;
    private FrameReader r;
    private FrameReader inner;
    private byte[] out;
    /** The thread that last called in, and its {@link Levels} (see {@link #enter}). */
    private Thread levelsThread;
    private Levels levels;
    private final EngineSink sink;
    private final PathObserver observer;
    private final PunchPolicy policy;
    private final InetSocketAddress rendezvous;
    private final Cold cold = new Cold();
    private final LongMap<Request> connects = new LongMap<>();
    private final LongMap<Request> accepts = new LongMap<>();
    // The visitor is created once (a lambda capturing `this` would otherwise be a new object per
    // call).
    private final Consumer<Request> requestMin = q -> cold.planMin = Math.min(cold.planMin, requestDue(q));

    /** The engine's state that no timer pass, planning or session frame reads (see above). */
    private static final class Cold {
        Identity identity;
        byte[] edPublic;
        String name;
        byte[] nameBytes;
        List<Candidate> locals;
        boolean acceptIncoming;
        SecureRandom random;
        /**
         * A copy of the datagram when the driver's buffer has no accessible array (a direct or
         * read-only buffer), and of a DATA payload for {@link EngineSink#data}; made on first need.
         * A heap datagram is read in place (see {@link PeerEngine#onDatagram}).
         */
        byte[] inCopy;
        ByteBuffer inView;
        final long[] drops = new long[REASONS.length];
        final Map<String, Session> byPeer = new HashMap<>();

        long regStarted;
        long regNextSend;
        long regSentAt;
        byte[] cookie;
        /** Raw X25519 ephemeral private and public key of the registration in progress, or null. */
        byte[] eph;
        byte[] ephPublic;
        byte[] linkKey;
        InetSocketAddress publicEndpoint;

        long discTxn;
        InetSocketAddress discAltPort;
        InetSocketAddress discAltAddress;
        InetSocketAddress discObserved;
        InetSocketAddress discObservedAltAddress;
        int discFiltering;
        /**
         * The filtering found last and the public address it was found behind. Once we have sent
         * to the alternates, an address-and-port-dependent filter lets their answers in for as
         * long as that permission lives, so the filtering tests cannot be repeated behind the same
         * NAT: a new discovery behind the same public address keeps this result and repeats the
         * mapping tests only.
         */
        int knownFiltering;
        java.net.InetAddress knownFilteringAddress;
        int natClass = NatClass.UNKNOWN;
        /** Planning scratch for {@link PeerEngine#requestMin}. */
        long planMin;
    }

    private static final class Request {
        long id;
        String target;
        int targetKind;
        byte[] targetBytes;
        long started;
        long nextSend;
    }

    /**
     * A session with a peer. It is its own {@link AuthLink} (the id, counters, replay window and
     * key are the superclass's fields): a session frame and a session timer then find the link in
     * the session's own cache lines, not one dependent load further in an object of its own
     * (then 80 bytes, two lines: AuthLink.begin and Hmac256's key loads were 3 % and 3.7 % self of
     * the mesh-like 10 000-peer run, 3.8 % and 6.5 % of the oracle's, mostly those misses).
     */
    private static final class Session extends AuthLink {
        String peerId;
        String peerName;
        Candidate[] cands;
        long[] pathKeys;
        boolean samePublic;
        int state;
        boolean relayReady;
        InetSocketAddress remote;
        long pathKey;
        int round;
        long punchStart;
        long nextRound;
        long lastTriggered;
        long rtt;
        long lastRecv;
        long keepalive;
        long probeSentAt;
        long probeSilence;
        int misses;
        /** Index in {@code live} (and pair in {@code liveKeys}); -1 once the session is gone. */
        int slot = -1;
        int remoteNatClass;
        /** The OUTCOME of this session was sent (once: at its first resolution). */
        boolean outcomeSent;

        Session(long id, byte[] key, boolean responder) {
            super(id, key, responder);
        }
    }

    /**
     * Creates a peer engine; call {@link #start} to register.
     *
     * @param identity our Ed25519 identity
     * @param name the name to register (may be empty); {@code [A-Za-z0-9._-]}, at most 63 bytes
     * @param rendezvous the rendezvous endpoint
     * @param localCandidates our interface endpoints (the socket's local addresses), may be empty
     * @param acceptIncoming whether to accept introductions others request
     * @param policy decisions
     * @param observer packet events
     * @param sink output
     * @param random randomness for request ids and ephemeral keys
     * @throws IllegalArgumentException on a malformed name
     */
    public PeerEngine(Identity identity, String name, InetSocketAddress rendezvous, List<InetSocketAddress> localCandidates,
            boolean acceptIncoming, PunchPolicy policy, PathObserver observer, EngineSink sink, SecureRandom random) {
        Cold c = cold;
        c.identity = Objects.requireNonNull(identity, "identity");
        c.edPublic = identity.publicKey();
        c.name = org.netbelief.punch.wire.Frame.checkName(Objects.requireNonNull(name, "name"));
        c.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        this.rendezvous = Objects.requireNonNull(rendezvous, "rendezvous");
        List<Candidate> l = new ArrayList<>();
        for (InetSocketAddress a : localCandidates) {
            if (l.size() < MAX_CANDIDATES - 1) {
                l.add(new Candidate(CANDIDATE_LOCAL, a));
            }
        }
        c.locals = List.copyOf(l);
        c.acceptIncoming = acceptIncoming;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.sink = Objects.requireNonNull(sink, "sink");
        c.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Starts registering at the rendezvous.
     *
     * @param nowNanos time
     */
    public void start(long nowNanos) {
        Level outer = enter();
        try {
            reg = R_HELLO;
            cold.regStarted = nowNanos;
            stopDiscovery();
            sendRegister(nowNanos);
        } finally {
            leave(outer);
        }
        plan();
    }

    /** @return our peer id (32 hex characters) */
    public String peerId() {
        return cold.identity.peerIdHex();
    }

    /** @return true once the rendezvous confirmed our registration */
    public boolean registered() {
        return reg == R_REGISTERED;
    }

    /**
     * Our NAT's behaviour class as NAT behaviour discovery found it ({@link NatClass}), {@link
     * NatClass#UNKNOWN} before discovery finished or when the rendezvous offers no alternate
     * endpoint. Discovery runs after registration and again when our public mapping changes.
     *
     * @return the packed class
     */
    public int natClass() {
        return cold.natClass;
    }

    /** @return our public endpoint as the rendezvous saw it, null before registration */
    public InetSocketAddress publicEndpoint() {
        return cold.publicEndpoint;
    }

    /**
     * Asks the rendezvous to introduce us to a peer (sent once registered).
     *
     * @param peerIdOrName a 32-hex-character peer id or a registered name
     * @param nowNanos time
     * @throws IllegalArgumentException when the target is neither a valid id nor a valid name
     */
    public void connect(String peerIdOrName, long nowNanos) {
        Request q = new Request();
        q.id = nonZeroRandom();
        q.target = peerIdOrName;
        if (peerIdOrName.length() == 2 * PEER_ID_LENGTH && peerIdOrName.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            q.targetKind = TARGET_ID;
            q.targetBytes = Keys.unhex(peerIdOrName);
        } else {
            if (peerIdOrName.isEmpty()) {
                throw new IllegalArgumentException("connect target is empty");
            }
            q.targetKind = TARGET_NAME;
            q.targetBytes = org.netbelief.punch.wire.Frame.checkName(peerIdOrName).getBytes(StandardCharsets.US_ASCII);
        }
        q.started = nowNanos;
        q.nextSend = nowNanos;
        connects.put(q.id, q);
        countRequests();
        if (reg == R_REGISTERED) {
            Level outer = enter();
            try {
                sendConnect(q, nowNanos);
            } finally {
                leave(outer);
            }
        }
        plan();
    }

    /**
     * Sends application data to a peer over its current path (direct, or the relay).
     *
     * @param peerIdOrName the peer's id or name
     * @param payload the bytes between position and limit (not consumed)
     * @param nowNanos time
     * @return false when there is no usable path to that peer yet
     * @throws IllegalArgumentException when the payload exceeds {@link
     *     org.netbelief.punch.wire.Frame#MAX_PAYLOAD}
     */
    public boolean send(String peerIdOrName, ByteBuffer payload, long nowNanos) {
        int len = payload.remaining();
        if (len > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + len + " bytes exceeds MAX_PAYLOAD " + MAX_PAYLOAD);
        }
        Session s = cold.byPeer.get(peerIdOrName);
        if (s == null) {
            return false;
        }
        Level outer = enter();
        try {
            return send(s, payload, len);
        } finally {
            leave(outer);
        }
    }

    private boolean send(Session s, ByteBuffer payload, int len) {
        if (s.state == DIRECT) {
            int p = s.begin(out, 0, T_DATA);
            payload.get(payload.position(), out, p, len);
            emit(s.seal(out, 0, p + len), s.remote);
            return true;
        }
        if (s.relayReady && linked) {
            // The inner DATA frame is built in place inside the RELAY_DATA body: no copy.
            int innerAt = AUTH_BODY_OFFSET + 8;
            int p = s.begin(out, innerAt, T_DATA);
            payload.get(payload.position(), out, p, len);
            int innerLen = s.seal(out, innerAt, p + len);
            linkBegin(out, 0, T_RELAY_DATA);
            putLong(out, AUTH_BODY_OFFSET, s.id());
            emit(linkSeal(out, 0, innerAt + innerLen), rendezvous);
            return true;
        }
        return false;
    }

    /**
     * Closes the session with a peer (tells it when the path is direct).
     *
     * @param peerIdOrName the peer's id or name
     * @param nowNanos time
     * @return false when there was no such session
     */
    public boolean close(String peerIdOrName, long nowNanos) {
        Session s = cold.byPeer.get(peerIdOrName);
        if (s == null) {
            return false;
        }
        if (s.state == DIRECT) {
            Level outer = enter();
            try {
                int p = s.begin(out, 0, T_CLOSE);
                p = FrameWriter.close(out, p, REASON_NORMAL);
                emit(s.seal(out, 0, p), s.remote);
            } finally {
                leave(outer);
            }
        }
        removeSession(s, nowNanos, "closed");
        plan();
        return true;
    }

    /** @return number of sessions */
    public int sessions() {
        return sessions.size();
    }

    // ---------------------------------------------------------------- receive

    /**
     * {@inheritDoc}
     *
     * <p>A buffer with an accessible array is read in place: its bytes must not change until
     * this call returns, also not through a delivery nested in this engine's own sends.
     */
    @Override
    public void onDatagram(ByteBuffer datagram, InetSocketAddress from, long nowNanos) {
        int n = datagram.remaining();
        if (n > MAX_DATAGRAM) {
            drop(DropReason.OVERSIZED);
            return;
        }
        // The readers come from the thread, not the engine (see Level): a reader of this
        // engine's own was two cold cache lines per datagram. A delivery nested in this one
        // (our sends reach another engine at once in the simulator, possibly this one) takes
        // the next level; this call's own is back in io, r and inner when it returns.
        Level outer = enter();
        boolean handled;
        try {
            handled = receive(datagram, n, from, nowNanos);
        } finally {
            leave(outer);
        }
        if (handled) {
            // Any frame may have moved a timer either way (an answer ends a probe's wait, an
            // introduction starts punching): plan again, so no wake-up is left for work that
            // is gone.
            plan();
        }
    }

    /** Validates and handles one datagram; false when it was malformed (nothing moved). */
    private boolean receive(ByteBuffer datagram, int n, InetSocketAddress from, long nowNanos) {
        // A heap datagram is read where it is: copying it into an array of this engine's own
        // touched that array's cold cache lines on every packet when a simulation runs
        // thousands of engines on one thread. Reading in place needs the caller's bytes to stay
        // put until we return, also across our own sends: the simulator gives each nesting level
        // of deliveries its own buffer (EngineApplication.Buffers), and a socket driver's
        // receive buffer is only written by its next receive. Other buffers are copied once,
        // so every later step works on a heap array.
        DropReason d;
        if (datagram.hasArray()) {
            d = r.wrap(datagram.array(), datagram.arrayOffset() + datagram.position(), n);
        } else {
            byte[] copy = inCopy();
            datagram.get(datagram.position(), copy, 0, n);
            d = r.wrap(copy, 0, n);
        }
        if (d != null) {
            drop(d);
            return false;
        }
        try {
            d = handle(from, nowNanos);
        } catch (RuntimeException e) {
            d = DropReason.INTERNAL_ERROR;
        }
        if (d != null) {
            drop(d);
        }
        return true;
    }

    private static final ThreadLocal<Levels> LEVELS = ThreadLocal.withInitial(Levels::new);

    /**
     * One nesting level of calls into engines on a thread: the frame readers and the output
     * buffer a call uses. They belong to the thread, not the engine: a reader's wrap writes most
     * of its fields and a datagram is built from byte 0 of the output array, and a reader or a
     * 1 472-byte output array of each engine's own were cold cache lines on every event when a
     * simulation runs thousands of engines on one thread (the first write into the engine's
     * own array, in FrameWriter.header, was 5.6 % self of the oracle policy's 10 000-peer run).
     */
    private static final class Level {
        final Levels stack;
        final FrameReader r = new FrameReader();
        final FrameReader inner = new FrameReader();
        final byte[] out = new byte[MAX_DATAGRAM];
        final ByteBuffer outView = ByteBuffer.wrap(out);

        Level(Levels stack) {
            this.stack = stack;
        }
    }

    /**
     * One thread's {@link Level}s, a stack with a level per nesting level of calls into engines
     * on the thread; grows only as deep as calls nest.
     */
    private static final class Levels {
        private Level[] stack = new Level[4];
        private int top;

        /** @return the next level, for one call */
        Level push() {
            if (top == stack.length) {
                stack = Arrays.copyOf(stack, 2 * top);
            }
            Level l = stack[top];
            if (l == null) {
                l = new Level(this);
                stack[top] = l;
            }
            top++;
            return l;
        }

        void pop() {
            top--;
        }
    }

    /**
     * Begins a public call: takes the thread's next {@link Level} for this call's readers and
     * output. A sink may call into any engine of the thread before our send returns (the
     * simulator delivers over a link without delay at once, possibly to this engine), and that
     * call takes the level after ours, so it never overwrites the datagram we are reading nor
     * the one we are sending.
     *
     * @return the level of the call this one is nested in (this engine's), for {@link #leave}
     */
    private Level enter() {
        Level outer = io;
        // The thread's levels, found through the thread-local map only when the calling thread
        // changes: a ThreadLocal.get on every call was 1.8 % self of the 10 000-peer simulation,
        // and these two fields are declared beside io, which this call writes anyway.
        Thread t = Thread.currentThread();
        Levels ls = levels;
        if (levelsThread != t) {
            ls = LEVELS.get();
            levels = ls;
            levelsThread = t;
        }
        use(ls.push());
        return outer;
    }

    /** Ends a call begun with {@link #enter}: gives its level back, restores the outer one. */
    private void leave(Level outer) {
        io.stack.pop();
        use(outer);
    }

    private void use(Level l) {
        io = l;
        if (l == null) {
            r = null;
            inner = null;
            out = null;
        } else {
            r = l.r;
            inner = l.inner;
            out = l.out;
        }
    }

    private DropReason handle(InetSocketAddress from, long now) {
        int type = r.type();
        if (!isAuthenticated(type)) {
            if (type == T_REGISTER || type == T_REGISTER_PROOF) {
                return DropReason.WRONG_ROLE;
            }
            if (!from.equals(rendezvous)) {
                return DropReason.UNKNOWN_SOURCE;
            }
            return type == T_CHALLENGE ? onChallenge(now) : onRejected(now);
        }
        long sid = r.sessionId();
        // The registration link is held in the engine's own fields (see linkS0).
        if (linked && sid == linkId) {
            return onLinkFrame(now);
        }
        if (type == T_REGISTERED) {
            return reg == R_PROOF ? onRegistered(now) : DropReason.UNEXPECTED;
        }
        Session s = session(sid);
        if (s == null) {
            return DropReason.UNKNOWN_SESSION;
        }
        return onSessionFrame(s, from, now);
    }

    private DropReason onChallenge(long now) {
        if (reg != R_HELLO && reg != R_PROOF) {
            return DropReason.UNEXPECTED;
        }
        cold.cookie = java.util.Arrays.copyOfRange(r.array(), r.bodyOffset(), r.bodyOffset() + COOKIE_LENGTH);
        if (cold.eph == null) {
            cold.eph = Keys.x25519Private(cold.random);
            cold.ephPublic = Keys.x25519Public(cold.eph);
        }
        reg = R_PROOF;
        sendProof(now);
        return null;
    }

    private DropReason onRejected(long now) {
        if (reg != R_PROOF) {
            return DropReason.UNEXPECTED;
        }
        reg = R_FAILED;
        int reason = r.bodyByte(0);
        sink.event(PunchEvent.simple(PunchEvent.Kind.REJECTED, now, peerId(), cold.name, null,
                reason == REASON_NAME_TAKEN ? "name-taken" : "rejected-" + reason));
        return null;
    }

    private DropReason onRegistered(long now) {
        byte[] shared = Keys.agree(cold.eph, r.array(), r.bodyOffset());
        if (shared == null) {
            return DropReason.MALFORMED_BODY;
        }
        byte[] context = new byte[COOKIE_LENGTH + ED25519_KEY_LENGTH];
        System.arraycopy(cold.cookie, 0, context, 0, COOKIE_LENGTH);
        System.arraycopy(cold.edPublic, 0, context, COOKIE_LENGTH, ED25519_KEY_LENGTH);
        byte[] key = Keys.derive(shared, "netbelief-punch-v1 link", context);
        long[] ks = Hmac256.keyState(key);
        // A new link's empty window.
        DropReason d = AuthLink.check(r, false, 0, 0, ks[0], ks[1], ks[2], ks[3], ks[4], ks[5], ks[6], ks[7]);
        if (d != null) {
            return d;
        }
        byte[] id = cold.identity.peerId();
        for (int i = 0; i < PEER_ID_LENGTH; i++) {
            if (r.array()[r.bodyOffset() + X25519_KEY_LENGTH + i] != id[i]) {
                return DropReason.MALFORMED_BODY;
            }
        }
        linked = true;
        linkId = r.sessionId();
        linkS0 = ks[0];
        linkS1 = ks[1];
        linkS2 = ks[2];
        linkS3 = ks[3];
        linkS4 = ks[4];
        linkS5 = ks[5];
        linkS6 = ks[6];
        linkS7 = ks[7];
        linkSendCounter = 0;
        linkHighest = 0;
        linkBitmap = 0;
        acceptOnLink(r.counter());
        cold.linkKey = key;
        cold.eph = null;
        cold.ephPublic = null;
        int epAt = r.bodyOffset() + X25519_KEY_LENGTH + PEER_ID_LENGTH;
        cold.publicEndpoint = Endpoints.read(r.array(), epAt);
        notePublicWire(r.array(), epAt);
        linkLease = r.leaseMillis() * 1_000_000L;
        linkInterval = rendezvousKeepaliveNanos(now);
        linkLastAnswered = now;
        linkProbeSentAt = 0;
        linkMisses = 0;
        reg = R_REGISTERED;
        observer.onRendezvousAnswer(now - cold.regSentAt, now);
        sink.event(PunchEvent.simple(PunchEvent.Kind.REGISTERED, now, peerId(), cold.name, cold.publicEndpoint, null));
        for (Object o : connects.valuesSnapshot()) {
            sendConnect((Request) o, now);
        }
        startDiscovery(now);
        return null;
    }

    /**
     * The rendezvous keepalive interval: the policy's interval for our own NAT's binding (path
     * key 0), at most a third of the lease so that two lost keepalives do not lose the
     * registration, at least 1 ms.
     */
    private long rendezvousKeepaliveNanos(long now) {
        return Math.max(1_000_000L, Math.min(linkLease / 3, policy.keepaliveIntervalNanos(0, now)));
    }

    /** Keeps the wire bytes of our public endpoint at {@code b[at]} (see {@link #pubWire0}). */
    private void notePublicWire(byte[] b, int at) {
        pubWire0 = getLong(b, at);
        pubWire1 = getLong(b, at + 8);
        pubWire2 = wireTail(b, at);
    }

    /** @return bytes [16, 19) of the endpoint at {@code b[at]}, the last two the port */
    private static int wireTail(byte[] b, int at) {
        return (b[at + 16] & 0xFF) << 16 | (b[at + 17] & 0xFF) << 8 | (b[at + 18] & 0xFF);
    }

    private DropReason onLinkFrame(long now) {
        DropReason d = linkOpen();
        if (d != null) {
            return d;
        }
        switch (r.type()) {
            case T_KEEPALIVE_ACK: {
                if (linkProbeSentAt != 0) {
                    linkLastAnswered = now;
                    observer.onRendezvousAnswer(now - r.firstLong(), now);
                    linkProbeSentAt = 0;
                    linkMisses = 0;
                    // The policy's interval for our NAT may have moved since registration (a
                    // learning policy starts at its floor and lengthens it as the binding's
                    // lifetime is learnt): follow it, once per answered keepalive.
                    linkInterval = rendezvousKeepaliveNanos(now);
                }
                // Equal bytes decode to an equal endpoint; different bytes may still decode to
                // an equal one (an IPv4-mapped IPv6 address), so they are decoded and compared.
                int at = r.bodyOffset() + 8;
                byte[] in = r.array();
                if (getLong(in, at) != pubWire0 || getLong(in, at + 8) != pubWire1 || wireTail(in, at) != pubWire2) {
                    InetSocketAddress seen = Endpoints.read(in, at);
                    notePublicWire(in, at);
                    if (!seen.equals(cold.publicEndpoint)) {
                        cold.publicEndpoint = seen; // our NAT rebound; introductions use the new mapping
                        startDiscovery(now); // and the new mapping may behave differently
                    }
                }
                return null;
            }
            case T_OFFER:
                return onOffer(now);
            case T_INTRODUCE:
                return onIntroduce(now);
            case T_DECLINE: {
                Request q = connects.remove(r.firstLong());
                countRequests();
                if (q == null) {
                    return DropReason.UNEXPECTED;
                }
                int reason = r.bodyByte(8);
                sink.event(PunchEvent.simple(PunchEvent.Kind.DECLINED, now, null, q.target, null,
                        reason == REASON_UNKNOWN_PEER ? "unknown-peer" : reason == REASON_REFUSED ? "refused" : "declined-" + reason));
                return null;
            }
            case T_RELAY_DATA:
                return onRelayData(now);
            case T_REGISTERED:
                return null; // a retransmitted answer to our proof
            case T_DISCOVER_ANSWER:
                return onDiscoverAnswer(now);
            default:
                return DropReason.WRONG_ROLE;
        }
    }

    private DropReason onOffer(long now) {
        long offerId = r.firstLong();
        String requester = Keys.hex(java.util.Arrays.copyOfRange(r.array(), r.bodyOffset() + 8, r.bodyOffset() + 8 + PEER_ID_LENGTH));
        String requesterName = new String(r.array(), r.nameOffset(), r.nameLength(), StandardCharsets.US_ASCII);
        if (!cold.acceptIncoming) {
            int p = linkBegin(out, 0, T_DECLINE);
            p = FrameWriter.decline(out, p, offerId, REASON_REFUSED);
            emit(linkSeal(out, 0, p), rendezvous);
            sink.event(PunchEvent.simple(PunchEvent.Kind.OFFERED, now, requester, requesterName, null, "refused"));
            return null;
        }
        Request q = accepts.get(offerId);
        if (q == null) {
            q = new Request();
            q.id = offerId;
            q.target = requester;
            q.started = now;
            accepts.put(offerId, q);
            countRequests();
            sink.event(PunchEvent.simple(PunchEvent.Kind.OFFERED, now, requester, requesterName, null, null));
        }
        sendAccept(q, now);
        return null;
    }

    private DropReason onIntroduce(long now) {
        int b = r.bodyOffset();
        byte[] in = r.array();
        long requestId = getLong(in, b);
        long sid = getLong(in, b + 8);
        int role = in[b + 48];
        if (role == 0) {
            connects.remove(requestId);
        } else {
            accepts.remove(requestId);
        }
        countRequests();
        if (session(sid) != null) {
            return null; // retransmission
        }
        byte[] sidBytes = new byte[8];
        putLong(sidBytes, 0, sid);
        byte[] pad = Keys.derive(cold.linkKey, "netbelief-punch-v1 seal", sidBytes);
        byte[] key = new byte[SESSION_KEY_LENGTH];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (in[b + 16 + i] ^ pad[i]);
        }
        Session s = new Session(sid, key, role == 1);
        s.peerId = Keys.hex(java.util.Arrays.copyOfRange(in, b + 49, b + 49 + PEER_ID_LENGTH));
        s.peerName = new String(in, r.nameOffset(), r.nameLength(), StandardCharsets.US_ASCII);
        s.remoteNatClass = r.natClass();
        if (r.hasNetworkEvidence() && NatClass.isKnown(cold.natClass)) {
            // The rendezvous's pooled outcomes of this pair of NAT classes, before any path of
            // the session is created or scored.
            observer.onNetworkEvidence(cold.natClass, s.remoteNatClass, r.networkSuccess(), r.networkFailure(), now);
        }
        int n = r.candidateCount();
        s.cands = new Candidate[n];
        s.pathKeys = new long[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            int c = r.candidatesOffset() + i * CANDIDATE_LENGTH;
            s.cands[i] = new Candidate(in[c], Endpoints.read(in, c + 1));
            if (s.cands[i].kind() == CANDIDATE_PUBLIC && cold.publicEndpoint != null
                    && s.cands[i].endpoint().getAddress().equals(cold.publicEndpoint.getAddress())) {
                s.samePublic = true;
            }
        }
        for (int i = 0; i < n; i++) {
            s.pathKeys[i] = PathKeys.of(s.peerId, s.cands[i].endpoint());
            observer.onPathCreated(s.pathKeys[i], s.peerId, s.cands[i].endpoint(), s.cands[i].kind(), s.samePublic,
                    cold.natClass, s.remoteNatClass);
            score[i] = policy.candidateScore(s.pathKeys[i], s.cands[i].kind(), s.samePublic, now);
        }
        // Insertion sort by descending score (a handful of candidates, control path).
        for (int i = 1; i < n; i++) {
            for (int j = i; j > 0 && score[j] > score[j - 1]; j--) {
                double t = score[j];
                score[j] = score[j - 1];
                score[j - 1] = t;
                Candidate c = s.cands[j];
                s.cands[j] = s.cands[j - 1];
                s.cands[j - 1] = c;
                long k = s.pathKeys[j];
                s.pathKeys[j] = s.pathKeys[j - 1];
                s.pathKeys[j - 1] = k;
            }
        }
        Session previous = cold.byPeer.get(s.peerId);
        if (previous != null) {
            sessions.remove(previous.id()); // a new introduction to the same peer replaces the old session
            removeLive(previous);
        }
        sessions.put(sid, s);
        addLive(s);
        cold.byPeer.put(s.peerId, s);
        if (!s.peerName.isEmpty()) {
            cold.byPeer.put(s.peerName, s);
        }
        sink.event(PunchEvent.simple(PunchEvent.Kind.INTRODUCED, now, s.peerId, s.peerName, null, null));
        startPunching(s, now);
        return null;
    }

    private DropReason onRelayData(long now) {
        long sid = r.firstLong();
        DropReason d = inner.wrap(r.array(), r.payloadOffset(), r.payloadLength());
        if (d != null) {
            return d;
        }
        int type = inner.type();
        if ((type != T_DATA && type != T_KEEPALIVE && type != T_KEEPALIVE_ACK) || inner.sessionId() != sid) {
            return DropReason.MALFORMED_BODY;
        }
        Session s = session(sid);
        if (s == null) {
            return DropReason.UNKNOWN_SESSION;
        }
        d = s.open(inner);
        if (d != null) {
            return d;
        }
        if (s.state == RELAY) {
            s.lastRecv = now;
            if (s.probeSentAt == 0) {
                setDeadline(s, now + s.keepalive);
            }
        }
        if (type == T_DATA) {
            deliver(s, inner, true, now);
        } else if (type == T_KEEPALIVE) {
            sendRelayed(s, T_KEEPALIVE_ACK, inner.firstLong());
        } else if (s.state == RELAY && s.probeSentAt != 0) {
            s.probeSentAt = 0;
            s.misses = 0;
            setDeadline(s, now + s.keepalive);
        }
        return null;
    }

    /** Sends a KEEPALIVE or KEEPALIVE_ACK through the relay, built in place like relayed DATA. */
    private void sendRelayed(Session s, int type, long probeId) {
        if (!linked) {
            return;
        }
        int innerAt = AUTH_BODY_OFFSET + 8;
        int p = s.begin(out, innerAt, type);
        p = type == T_KEEPALIVE ? FrameWriter.keepalive(out, p, probeId) : FrameWriter.ack(out, p, probeId, rendezvous);
        int innerLen = s.seal(out, innerAt, p);
        linkBegin(out, 0, T_RELAY_DATA);
        putLong(out, AUTH_BODY_OFFSET, s.id());
        emit(linkSeal(out, 0, innerAt + innerLen), rendezvous);
    }

    /** The per-packet path of an established session: no allocation from here on. */
    private DropReason onSessionFrame(Session s, InetSocketAddress from, long now) {
        DropReason d = s.open(r);
        if (d != null) {
            return d;
        }
        int type = r.type();
        switch (type) {
            case T_DATA:
                noteDirect(s, from, now);
                deliver(s, r, false, now);
                return null;
            case T_KEEPALIVE: {
                noteDirect(s, from, now);
                int p = s.begin(out, 0, T_KEEPALIVE_ACK);
                p = FrameWriter.ack(out, p, r.firstLong(), from);
                emit(s.seal(out, 0, p), from);
                return null;
            }
            case T_KEEPALIVE_ACK:
                noteDirect(s, from, now);
                if (s.probeSentAt != 0) {
                    long rtt = Math.max(0, now - r.firstLong());
                    s.rtt = rtt;
                    observer.onAck(s.pathKey, PathObserver.PROBE_KEEPALIVE, rtt, now);
                    observer.onSilencePass(s.pathKey, s.probeSilence, now);
                    s.probeSentAt = 0;
                    s.misses = 0;
                    // Re-plan after each answered keepalive: lifetime probes may have moved it.
                    s.keepalive = policy.keepaliveIntervalNanos(s.pathKey, now);
                    setDeadline(s, now + s.keepalive);
                }
                return null;
            case T_INTRO: {
                int p = s.begin(out, 0, T_INTRO_ACK);
                p = FrameWriter.ack(out, p, r.firstLong(), from);
                emit(s.seal(out, 0, p), from);
                if (s.state != DIRECT && now - s.lastTriggered > 20_000_000L) {
                    // Triggered check (as ICE): answer the peer's hole with our own INTRO to the
                    // endpoint its packet came from, which may be a peer-reflexive one.
                    s.lastTriggered = now;
                    sendIntro(s, from, pathKeyFor(s, from), MAX_CANDIDATES, now);
                }
                return null;
            }
            case T_INTRO_ACK: {
                long pk = pathKeyFor(s, from);
                long rtt = Math.max(0, now - r.firstLong());
                observer.onAck(pk, PathObserver.PROBE_INTRO, rtt, now);
                if (s.state != DIRECT) {
                    establish(s, from, pk, rtt, now);
                }
                return null;
            }
            case T_CLOSE:
                removeSession(s, now, "peer-closed");
                return null;
            default:
                return DropReason.WRONG_ROLE;
        }
    }

    private void deliver(Session s, FrameReader f, boolean relayed, long now) {
        // The sink gets a view over our own array: a view over the driver's array would be a
        // new ByteBuffer per packet. Application data is rare next to the protocol's own
        // packets, so copying it here costs less than copying every datagram on arrival.
        byte[] copy = inCopy();
        int len = f.payloadLength();
        if (f.array() != copy) {
            System.arraycopy(f.array(), f.payloadOffset(), copy, 0, len);
            cold.inView.limit(len).position(0);
        } else {
            cold.inView.limit(f.payloadOffset() + len).position(f.payloadOffset());
        }
        sink.data(s.peerId, cold.inView, relayed, now);
        cold.inView.clear();
    }

    /** @return {@code cold.inCopy}, made on first use (with {@code cold.inView}) */
    private byte[] inCopy() {
        byte[] c = cold.inCopy;
        if (c == null) {
            c = new byte[MAX_DATAGRAM];
            cold.inCopy = c;
            cold.inView = ByteBuffer.wrap(c);
        }
        return c;
    }

    /** An authenticated packet arrived directly: the hole is alive, and may have moved. */
    private void noteDirect(Session s, InetSocketAddress from, long now) {
        if (s.state != DIRECT) {
            return;
        }
        s.lastRecv = now;
        if (s.probeSentAt == 0) {
            setDeadline(s, now + s.keepalive);
        }
        if (!from.equals(s.remote) && s.lastWasFreshest()) {
            movePath(s, from, now);
        }
    }

    private void movePath(Session s, InetSocketAddress from, long now) {
        s.remote = from;
        s.pathKey = pathKeyFor(s, from);
        sink.event(new PunchEvent(PunchEvent.Kind.PATH_MOVED, now, s.peerId, s.peerName, "direct", from, s.rtt, s.round,
                policy.successProbability(s.pathKey, now), s.keepalive, null));
    }

    private long pathKeyFor(Session s, InetSocketAddress ep) {
        if (ep.equals(s.remote)) {
            return s.pathKey;
        }
        for (int i = 0; i < s.cands.length; i++) {
            if (s.cands[i].endpoint().equals(ep)) {
                return s.pathKeys[i];
            }
        }
        long pk = PathKeys.of(s.peerId, ep);
        observer.onPathCreated(pk, s.peerId, ep, 0, s.samePublic, cold.natClass, s.remoteNatClass);
        return pk;
    }

    // ---------------------------------------------------------------- punching and paths

    private void startPunching(Session s, long now) {
        s.state = PUNCHING;
        s.round = 0;
        s.punchStart = now;
        s.nextRound = now;
        if (policy.relayWhilePunching(firstPath(s), now)) {
            s.relayReady = true;
        }
        punchRound(s, now);
    }

    private void punchRound(Session s, long now) {
        if (s.round > 0) {
            for (long pk : s.pathKeys) {
                observer.onTimeout(pk, PathObserver.PROBE_INTRO, now);
            }
            if (policy.giveUpAndRelay(s.peerId, s.pathKeys, s.round, now - s.punchStart, now)) {
                goRelay(s, now);
                return;
            }
        }
        for (int i = 0; i < s.cands.length; i++) {
            sendIntro(s, s.cands[i].endpoint(), s.pathKeys[i], i, now);
        }
        s.nextRound = now + policy.retryDelayNanos(firstPath(s), s.round, now);
        s.round++;
        setDeadline(s, s.nextRound);
    }

    private static long firstPath(Session s) {
        return s.pathKeys.length > 0 ? s.pathKeys[0] : 0;
    }

    private void sendIntro(Session s, InetSocketAddress to, long pathKey, int index, long now) {
        int p = s.begin(out, 0, T_INTRO);
        p = FrameWriter.intro(out, p, now, index); // the probe id is the send time: RTT = now - echo
        emit(s.seal(out, 0, p), to);
        observer.onSend(pathKey, PathObserver.PROBE_INTRO, now);
    }

    private void establish(Session s, InetSocketAddress remote, long pathKey, long rtt, long now) {
        s.state = DIRECT;
        s.remote = remote;
        s.pathKey = pathKey;
        s.rtt = rtt;
        s.lastRecv = now;
        s.misses = 0;
        s.probeSentAt = 0;
        s.keepalive = policy.keepaliveIntervalNanos(pathKey, now);
        setDeadline(s, now + s.keepalive);
        sink.event(new PunchEvent(PunchEvent.Kind.ESTABLISHED, now, s.peerId, s.peerName, "direct", remote, rtt, s.round,
                policy.successProbability(pathKey, now), s.keepalive, null));
        reportOutcome(s, OUTCOME_DIRECT);
    }

    /**
     * Tells the rendezvous how the session resolved (OUTCOME), once per session, when both NAT
     * classes are known: the rendezvous then knows this peer did discovery and understands it.
     * Sent once without retransmission: a lost report only means the session is not counted.
     */
    private void reportOutcome(Session s, int outcome) {
        if (s.outcomeSent || !linked || !NatClass.isKnown(cold.natClass) || !NatClass.isKnown(s.remoteNatClass)) {
            return;
        }
        s.outcomeSent = true;
        int p = linkBegin(out, 0, T_OUTCOME);
        p = FrameWriter.outcome(out, p, s.id(), outcome);
        emit(linkSeal(out, 0, p), rendezvous);
    }

    private void goRelay(Session s, long now) {
        s.state = RELAY;
        s.relayReady = true;
        s.lastRecv = now;
        s.probeSentAt = 0;
        s.misses = 0;
        s.keepalive = policy.keepaliveIntervalNanos(0, now);
        setDeadline(s, now + s.keepalive);
        sink.event(new PunchEvent(PunchEvent.Kind.RELAYED, now, s.peerId, s.peerName, "relay", rendezvous, 0, s.round,
                Double.NaN, 0, "punching-gave-up"));
        sink.event(new PunchEvent(PunchEvent.Kind.ESTABLISHED, now, s.peerId, s.peerName, "relay", rendezvous, 0, s.round,
                Double.NaN, 0, null));
        reportOutcome(s, OUTCOME_RELAYED);
    }

    private void sessionTimer(Session s, long now) {
        if (liveKeys[2 * s.slot + 1] > now) {
            return;
        }
        if (s.state == PUNCHING) {
            punchRound(s, now);
            return;
        }
        if (s.state == RELAY) {
            relayTimer(s, now);
            return;
        }
        if (s.probeSentAt != 0) {
            observer.onTimeout(s.pathKey, PathObserver.PROBE_KEEPALIVE, now);
            if (++s.misses >= policy.missesBeforeLost(s.pathKey, now)) {
                observer.onSilenceFail(s.pathKey, s.probeSilence, now);
                s.probeSentAt = 0;
                s.relayReady = true; // the relay carries data while we punch again
                sink.event(new PunchEvent(PunchEvent.Kind.PATH_LOST, now, s.peerId, s.peerName, "direct", s.remote, s.rtt,
                        s.round, policy.successProbability(s.pathKey, now), s.keepalive, "keepalives-unanswered"));
                startPunching(s, now);
                return;
            }
        } else {
            s.probeSilence = now - s.lastRecv;
        }
        s.probeSentAt = now;
        int p = s.begin(out, 0, T_KEEPALIVE);
        p = FrameWriter.keepalive(out, p, now);
        emit(s.seal(out, 0, p), s.remote);
        observer.onSend(s.pathKey, PathObserver.PROBE_KEEPALIVE, now);
        setDeadline(s, now + policy.probeTimeoutNanos(s.pathKey, s.rtt, now));
    }

    /**
     * Liveness of a relayed session: keepalives through the relay after a silence; the session
     * closes when {@code missesBeforeLost} go unanswered (the other peer is gone). Relay probes
     * are not reported to the observer: they say nothing about a direct path.
     */
    private void relayTimer(Session s, long now) {
        if (s.probeSentAt != 0 && ++s.misses >= policy.missesBeforeLost(0, now)) {
            removeSession(s, now, "peer-unreachable");
            return;
        }
        if (!linked) { // registering again: try later, count nothing
            s.probeSentAt = 0;
            setDeadline(s, now + s.keepalive);
            return;
        }
        s.probeSentAt = now;
        sendRelayed(s, T_KEEPALIVE, now);
        setDeadline(s, now + Math.max(policy.probeTimeoutNanos(0, 0, now), RENDEZVOUS_PROBE_TIMEOUT_NANOS));
    }

    private void removeSession(Session s, long now, String reason) {
        sessions.remove(s.id());
        removeLive(s);
        cold.byPeer.remove(s.peerId, s);
        if (!s.peerName.isEmpty()) {
            cold.byPeer.remove(s.peerName, s);
        }
        sink.event(PunchEvent.simple(PunchEvent.Kind.CLOSED, now, s.peerId, s.peerName, s.remote, reason));
    }

    /** Up to this many live sessions, a frame's session is found by a scan of {@code liveKeys}. */
    private static final int SCAN_SESSIONS = 8;

    /** @return the live session with this id, or null */
    private Session session(long sid) {
        int n = liveCount;
        if (n > SCAN_SESSIONS) {
            return sessions.get(sid);
        }
        long[] k = liveKeys;
        for (int i = 0; i < n; i++) {
            if (k[2 * i] == sid) {
                assert sessions.get(sid) == live[i];
                return live[i];
            }
        }
        assert sessions.get(sid) == null;
        return null;
    }

    private void addLive(Session s) {
        if (liveCount == live.length) {
            live = Arrays.copyOf(live, 2 * liveCount);
            liveKeys = Arrays.copyOf(liveKeys, 4 * liveCount);
        }
        s.slot = liveCount;
        live[liveCount] = s;
        liveKeys[2 * liveCount] = s.id();
        liveKeys[2 * liveCount + 1] = Long.MAX_VALUE; // set by the first punch round; liveMin stays
        liveCount++;
    }

    private void removeLive(Session s) {
        int i = s.slot;
        if (i < 0) {
            return;
        }
        long[] k = liveKeys;
        long gone = k[2 * i + 1];
        int last = --liveCount;
        if (i != last) {
            Session moved = live[last];
            live[i] = moved;
            k[2 * i] = k[2 * last];
            k[2 * i + 1] = k[2 * last + 1];
            moved.slot = i;
        }
        live[last] = null;
        k[2 * last] = 0;
        s.slot = -1;
        if (gone == liveMin) {
            liveMin = minLiveDeadline();
        }
    }

    /** Sets a session's timer; a session that is gone has none. Keeps {@link #liveMin} exact. */
    private void setDeadline(Session s, long at) {
        int i = s.slot;
        if (i >= 0) {
            long[] k = liveKeys;
            long was = k[2 * i + 1];
            k[2 * i + 1] = at;
            if (at <= liveMin) {
                liveMin = at;
            } else if (was == liveMin) { // the earliest moved later: find the new earliest
                liveMin = minLiveDeadline();
            }
        }
    }

    private long minLiveDeadline() {
        long[] k = liveKeys;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < liveCount; i++) {
            min = Math.min(min, k[2 * i + 1]);
        }
        return min;
    }

    // ---------------------------------------------------------------- timers

    /*
     * Timers. Each timer is two methods: an action (`...Timer(now)`), which does its work when
     * due and nothing otherwise, and a pure query (`...Due()`), the earliest time at which the
     * action has work, read from the same fields as the action's guards. Every entry point that
     * can move a timer (onDatagram, onTimer, start, connect, close) ends with plan(), which takes
     * the minimum of the queries: nextDeadlineNanos() is then the exact time of the next work,
     * never a stale earlier time. (Keeping only the earliest deadline ever asked for woke a peer
     * for a rendezvous probe timeout after the answer had come, for a punch round after the path
     * was established, for a request retry after the introduction: about half of all wake-ups
     * in the simulator, each touching a cold engine. It could also be late: an answered session
     * keepalive moves the next one to answer + interval, before the probe's timeout when the
     * policy's timeout is longer than its interval, as the mesh-like baseline's 3.5 s against
     * 3 s, and nothing moved the deadline back.) An early onTimer still finds every guard false
     * and changes nothing, as the Engine contract asks.
     */

    @Override
    public void onTimer(long nowNanos) {
        boolean failed = false;
        Level outer = enter();
        try {
            registrationTimer(nowNanos);
            discoveryTimer(nowNanos);
            requestTimers(connects, true, nowNanos);
            requestTimers(accepts, false, nowNanos);
            // Due sessions are gathered first: a session timer may remove its session, which
            // moves another into its slot.
            if (liveMin <= nowNanos) { // else the (cold) liveKeys need not be read
                long[] k = liveKeys;
                for (int i = 0; i < liveCount; i++) {
                    if (k[2 * i + 1] <= nowNanos) {
                        if (dueCount == due.length) {
                            due = Arrays.copyOf(due, 2 * dueCount);
                        }
                        due[dueCount++] = live[i];
                    }
                }
            }
            for (int i = 0; i < dueCount; i++) {
                Session s = due[i];
                if (s.slot >= 0) { // not removed by an earlier one (a sink calling close)
                    sessionTimer(s, nowNanos);
                }
            }
        } catch (RuntimeException e) {
            drop(DropReason.INTERNAL_ERROR);
            failed = true;
        } finally {
            Arrays.fill(due, 0, dueCount, null);
            dueCount = 0;
            leave(outer);
        }
        plan();
        if (failed && nextDeadline <= nowNanos) {
            // A timer that failed mid-action may still be due: retry later, not at once (a driver
            // would call again immediately and fail again).
            nextDeadline = nowNanos + REQUEST_RETRY_NANOS;
        }
    }

    /** Sets {@link #nextDeadline} to the earliest time any timer has work (see the block above). */
    private void plan() {
        long next = Math.min(registrationDue(), discoveryDue());
        if (requestCount > 0) {
            cold.planMin = Long.MAX_VALUE;
            connects.forEachValue(requestMin);
            accepts.forEachValue(requestMin);
            next = Math.min(next, cold.planMin);
        }
        assert liveMin == minLiveDeadline() && liveCount == sessions.size() : "live sessions out of step";
        nextDeadline = Math.min(next, liveMin);
    }

    private void registrationTimer(long now) {
        switch (reg) {
            case R_HELLO:
            case R_PROOF:
                if (now >= cold.regNextSend) {
                    if (now - cold.regStarted >= REGISTER_TIMEOUT_NANOS) {
                        reg = R_FAILED;
                        observer.onRendezvousTimeout(now);
                        sink.event(PunchEvent.simple(PunchEvent.Kind.REGISTRATION_FAILED, now, peerId(), cold.name, rendezvous,
                                "rendezvous-unreachable"));
                        return;
                    }
                    if (reg == R_HELLO) {
                        sendRegister(now);
                    } else {
                        sendProof(now);
                    }
                }
                return;
            case R_REGISTERED:
                if (linkProbeSentAt != 0 && now - linkProbeSentAt >= RENDEZVOUS_PROBE_TIMEOUT_NANOS) {
                    observer.onRendezvousTimeout(now);
                    if (++linkMisses >= RENDEZVOUS_MISSES) {
                        // The rendezvous forgot us or is gone: register again (same identity).
                        linked = false;
                        linkProbeSentAt = 0;
                        reg = R_HELLO;
                        cold.regStarted = now;
                        stopDiscovery(); // restarted by the next registration
                        sendRegister(now);
                        return;
                    }
                    sendLinkKeepalive(now);
                } else if (linkProbeSentAt == 0 && now - linkLastAnswered >= linkInterval) {
                    sendLinkKeepalive(now);
                }
                return;
            default:
                return;
        }
    }

    /** @return when {@link #registrationTimer} has work: a resend, a probe timeout or a keepalive */
    private long registrationDue() {
        switch (reg) {
            case R_HELLO:
            case R_PROOF:
                return cold.regNextSend;
            case R_REGISTERED:
                return linkProbeSentAt != 0 ? linkProbeSentAt + RENDEZVOUS_PROBE_TIMEOUT_NANOS : linkLastAnswered + linkInterval;
            default:
                return Long.MAX_VALUE;
        }
    }

    // ---------------------------------------------------------------- NAT behaviour discovery

    /** Starts discovery from the first step (after registration, or on a new public mapping). */
    private void startDiscovery(long now) {
        cold.natClass = NatClass.UNKNOWN;
        boolean sameNat = cold.knownFiltering != 0 && cold.publicEndpoint != null
                && cold.publicEndpoint.getAddress().equals(cold.knownFilteringAddress);
        cold.discFiltering = sameNat ? cold.knownFiltering : 0;
        discResumeAt = Long.MAX_VALUE;
        discStep(D_BASE, now);
    }

    private void discStep(int step, long now) {
        discStep = step;
        discTries = 0;
        cold.discTxn++;
        if (step != D_IDLE) {
            sendDiscover(now);
        }
    }

    private void sendDiscover(long now) {
        discTries++;
        discNextSend = now + DISCOVER_RETRY_NANOS;
        int from = discStep == D_EIF ? DISCOVER_FROM_ALT_ADDRESS : discStep == D_ADF ? DISCOVER_FROM_ALT_PORT
                : DISCOVER_FROM_SAME;
        InetSocketAddress to = discStep == D_MAP_ADDRESS ? cold.discAltAddress : discStep == D_MAP_PORT ? cold.discAltPort
                : rendezvous;
        int p = linkBegin(out, 0, T_DISCOVER);
        p = FrameWriter.discover(out, p, cold.discTxn, from, discStep == D_REPORT ? cold.natClass : NatClass.UNKNOWN);
        emit(linkSeal(out, 0, p), to);
    }

    private DropReason onDiscoverAnswer(long now) {
        if (discStep == D_IDLE || r.firstLong() != cold.discTxn) {
            return DropReason.UNEXPECTED; // a late answer to an earlier step
        }
        int b = r.bodyOffset();
        byte[] in = r.array();
        InetSocketAddress observed = Endpoints.read(in, b + 10);
        switch (discStep) {
            case D_BASE:
                if (r.bodyByte(9) == 0) {
                    discStep(D_IDLE, now); // the rendezvous has no alternate endpoint: unknown
                    return null;
                }
                cold.discObserved = observed;
                cold.discAltPort = Endpoints.read(in, b + 10 + ENDPOINT_LENGTH);
                cold.discAltAddress = Endpoints.read(in, b + 10 + 2 * ENDPOINT_LENGTH);
                discStep(cold.discFiltering != 0 ? D_MAP_ADDRESS : D_EIF, now);
                return null;
            case D_EIF:
                filteringFound(NatClass.EIF); // an answer from an address we never sent to passed
                discStep(D_MAP_ADDRESS, now);
                return null;
            case D_ADF:
                filteringFound(NatClass.ADF); // an answer from a port we never sent to passed
                discStep(D_MAP_ADDRESS, now);
                return null;
            case D_MAP_ADDRESS:
                cold.discObservedAltAddress = observed;
                discStep(D_MAP_PORT, now);
                return null;
            case D_MAP_PORT: {
                int mapping = cold.discObserved.equals(cold.discObservedAltAddress) ? NatClass.EIM
                        : cold.discObserved.equals(observed) ? NatClass.ADM : NatClass.APDM;
                cold.natClass = NatClass.of(mapping, cold.discFiltering);
                sink.event(PunchEvent.simple(PunchEvent.Kind.NAT_DISCOVERED, now, peerId(), cold.name, cold.publicEndpoint,
                        NatClass.name(cold.natClass)));
                discStep(D_REPORT, now);
                return null;
            }
            default: // D_REPORT: the rendezvous has our filtering
                discStep(D_IDLE, now);
                return null;
        }
    }

    private void filteringFound(int filtering) {
        cold.discFiltering = filtering;
        cold.knownFiltering = filtering;
        cold.knownFilteringAddress = cold.publicEndpoint == null ? null : cold.publicEndpoint.getAddress();
    }

    /** Stops discovery while we are not registered (the next registration restarts it). */
    private void stopDiscovery() {
        discStep = D_IDLE;
        discResumeAt = Long.MAX_VALUE;
    }

    private void discoveryTimer(long now) {
        if (reg != R_REGISTERED || !linked) {
            return;
        }
        if (discStep == D_IDLE) {
            if (now >= discResumeAt) {
                int step = cold.discFiltering == 0 ? D_BASE : cold.natClass == NatClass.UNKNOWN ? D_MAP_ADDRESS : D_REPORT;
                discResumeAt = Long.MAX_VALUE;
                discStep(step, now);
            }
            return;
        }
        if (now < discNextSend) {
            return;
        }
        if (discTries < DISCOVER_TRIES) {
            sendDiscover(now);
            return;
        }
        switch (discStep) {
            case D_BASE: // a rendezvous that predates discovery, or none reachable: unknown
                discStep(D_IDLE, now);
                return;
            case D_EIF:
                discStep(D_ADF, now);
                return;
            case D_ADF:
                filteringFound(NatClass.APDF); // neither answer passed our NAT
                discStep(D_MAP_ADDRESS, now);
                return;
            default: // a step that must be answered was not: try it again later
                discStep(D_IDLE, now);
                discResumeAt = now + DISCOVER_AGAIN_NANOS;
                return;
        }
    }

    /** @return when {@link #discoveryTimer} has work: a resend or step timeout, or a resumption */
    private long discoveryDue() {
        if (reg != R_REGISTERED || !linked) {
            return Long.MAX_VALUE;
        }
        return discStep == D_IDLE ? discResumeAt : discNextSend;
    }

    /** Sets {@link #requestCount} after a request map changed. */
    private void countRequests() {
        requestCount = connects.size() + accepts.size();
    }

    private void requestTimers(LongMap<Request> map, boolean connect, long now) {
        if (requestCount == 0) { // map's size without opening map (see the field layout comment)
            return;
        }
        if (map.size() == 0) {
            return;
        }
        for (Object o : map.valuesSnapshot()) {
            Request q = (Request) o;
            if (now - q.started >= REQUEST_TIMEOUT_NANOS) {
                map.remove(q.id);
                countRequests();
                if (connect) {
                    sink.event(PunchEvent.simple(PunchEvent.Kind.DECLINED, now, null, q.target, null, "no-answer"));
                }
                continue;
            }
            if (reg == R_REGISTERED && now >= q.nextSend) {
                if (connect) {
                    sendConnect(q, now);
                } else {
                    sendAccept(q, now);
                }
            }
        }
    }

    /**
     * When {@link #requestTimers} has work for one request: its timeout, or its resend while we
     * are registered.
     */
    private long requestDue(Request q) {
        long timeout = q.started + REQUEST_TIMEOUT_NANOS;
        return reg == R_REGISTERED ? Math.min(timeout, q.nextSend) : timeout;
    }

    /**
     * The exact time of the next timer work (see the class comment), {@link Long#MAX_VALUE} when
     * none is pending.
     *
     * @return monotonic nanoseconds
     */
    @Override
    public long nextDeadlineNanos() {
        return nextDeadline;
    }

    // ---------------------------------------------------------------- sending control messages

    private void sendRegister(long now) {
        cold.regSentAt = now;
        cold.regNextSend = now + REGISTER_RETRY_NANOS;
        emit(FrameWriter.register(out, 0, cold.edPublic, cold.nameBytes), rendezvous);
    }

    private void sendProof(long now) {
        cold.regSentAt = now;
        cold.regNextSend = now + REGISTER_RETRY_NANOS;
        int sigAt = FrameWriter.registerProof(out, 0, cold.cookie, cold.edPublic, cold.ephPublic, cold.nameBytes);
        byte[] sig = cold.identity.sign(Keys.REGISTER_DOMAIN, out, HEADER_LENGTH, sigAt - HEADER_LENGTH);
        System.arraycopy(sig, 0, out, sigAt, SIGNATURE_LENGTH);
        emit(sigAt + SIGNATURE_LENGTH, rendezvous);
    }

    private void sendLinkKeepalive(long now) {
        linkProbeSentAt = now;
        int p = linkBegin(out, 0, T_KEEPALIVE);
        p = FrameWriter.keepalive(out, p, now);
        emit(linkSeal(out, 0, p), rendezvous);
    }

    private void sendConnect(Request q, long now) {
        q.nextSend = now + REQUEST_RETRY_NANOS;
        int p = linkBegin(out, 0, T_CONNECT);
        p = FrameWriter.connect(out, p, q.id, q.targetKind, q.targetBytes, cold.locals);
        emit(linkSeal(out, 0, p), rendezvous);
    }

    private void sendAccept(Request q, long now) {
        q.nextSend = now + REQUEST_RETRY_NANOS;
        int p = linkBegin(out, 0, T_ACCEPT);
        p = FrameWriter.accept(out, p, q.id, cold.locals);
        emit(linkSeal(out, 0, p), rendezvous);
    }

    // ---------------------------------------------------------------- misc

    @Override
    public long drops(DropReason reason) {
        return cold.drops[reason.ordinal()];
    }

    @Override
    public long totalDrops() {
        long s = 0;
        for (long d : cold.drops) {
            s += d;
        }
        return s;
    }

    private void drop(DropReason d) {
        cold.drops[d.ordinal()]++;
    }

    /** {@link AuthLink#begin} on the registration's link. */
    private int linkBegin(byte[] b, int off, int type) {
        return FrameWriter.beginAuth(b, off, type, 0, linkId, ++linkSendCounter);
    }

    /** {@link AuthLink#seal} on the registration's link. */
    private int linkSeal(byte[] b, int off, int bodyEnd) {
        return AuthLink.seal(linkS0, linkS1, linkS2, linkS3, linkS4, linkS5, linkS6, linkS7, b, off, bodyEnd);
    }

    /** {@link AuthLink#open} on the registration's link: {@code r}'s frame, with its id. */
    private DropReason linkOpen() {
        DropReason d = AuthLink.check(r, false, linkHighest, linkBitmap, linkS0, linkS1, linkS2, linkS3, linkS4, linkS5,
                linkS6, linkS7);
        if (d != null) {
            return d;
        }
        acceptOnLink(r.counter());
        return null;
    }

    /** Records an authentic fresh counter in the registration link's replay window. */
    private void acceptOnLink(long ctr) {
        linkBitmap = ReplayWindow.acceptedBitmap(linkHighest, linkBitmap, ctr);
        if (ctr > linkHighest) {
            linkHighest = ctr;
        }
    }

    private void emit(int len, InetSocketAddress to) {
        ByteBuffer v = io.outView;
        v.clear().limit(len);
        sink.send(v, to);
    }

    private long nonZeroRandom() {
        long v;
        do {
            v = cold.random.nextLong();
        } while (v == 0);
        return v;
    }
}

package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.wire.DropReason;
import org.netbelief.punch.wire.Frame;
import org.netbelief.punch.wire.FrameWriter;

class EngineTest {
    static final InetSocketAddress RV = new InetSocketAddress("192.0.2.1", 7000);
    static final InetSocketAddress A = new InetSocketAddress("198.51.100.10", 40000);
    static final InetSocketAddress B = new InetSocketAddress("203.0.113.20", 50000);
    static final long SEC = 1_000_000_000L;

    final SecureRandom rnd = new SecureRandom();
    final TestNet net = new TestNet();
    final RecordingObserver obsA = new RecordingObserver();
    final RecordingObserver obsB = new RecordingObserver();
    RendezvousEngine rv;
    PeerEngine a;
    PeerEngine b;

    /** Counts observer calls, so tests can prove bad input moves no belief. */
    static final class RecordingObserver implements PathObserver {
        int created;
        int sends;
        int acks;
        int timeouts;
        int silencePass;
        int silenceFail;
        int rendezvous;
        final List<Long> silences = new ArrayList<>();

        int total() {
            return created + sends + acks + timeouts + silencePass + silenceFail + rendezvous;
        }

        @Override
        public void onPathCreated(long k, String p, InetSocketAddress r, int kind, boolean same) {
            created++;
        }

        @Override
        public void onSend(long k, int probe, long now) {
            sends++;
        }

        @Override
        public void onAck(long k, int probe, long rtt, long now) {
            acks++;
        }

        @Override
        public void onTimeout(long k, int probe, long now) {
            timeouts++;
        }

        @Override
        public void onSilencePass(long k, long silence, long now) {
            silencePass++;
            silences.add(silence);
        }

        @Override
        public void onSilenceFail(long k, long silence, long now) {
            silenceFail++;
        }

        @Override
        public void onRendezvousAnswer(long rtt, long now) {
            rendezvous++;
        }
    }

    void setUp(boolean bAccepts) {
        rv = new RendezvousEngine(net.host(RV), rnd);
        net.attach(RV, rv);
        a = new PeerEngine(Identity.generate(rnd), "alice", RV, List.of(A), true, new DefaultPunchPolicy(), obsA, net.host(A), rnd);
        b = new PeerEngine(Identity.generate(rnd), "bob", RV, List.of(B), bAccepts, new DefaultPunchPolicy(), obsB, net.host(B), rnd);
        net.attach(A, a);
        net.attach(B, b);
        a.start(net.now);
        b.start(net.now);
        net.runFor(SEC / 10);
    }

    void establish() {
        setUp(true);
        a.connect("bob", net.now);
        net.runFor(SEC / 2);
    }

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void start_rendezvousAnswers_registeredWithObservedEndpoint() {
        setUp(true);
        assertThat(a.registered()).isTrue();
        assertThat(net.host(A).of(PunchEvent.Kind.REGISTERED)).singleElement()
                .satisfies(e -> assertThat(e.endpoint()).isEqualTo(A));
        assertThat(rv.registrations()).isEqualTo(2);
        assertThat(obsA.rendezvous).isEqualTo(1);
    }

    @Test
    void connect_openNetwork_establishesDirectAndCarriesDataBothWays() {
        establish();
        PunchEvent ea = net.host(A).of(PunchEvent.Kind.ESTABLISHED).get(0);
        assertThat(ea.via()).isEqualTo("direct");
        assertThat(ea.endpoint()).isEqualTo(B);
        assertThat(ea.rttNanos()).isEqualTo(2 * TestNet.DELAY);
        assertThat(net.host(B).of(PunchEvent.Kind.ESTABLISHED).get(0).via()).isEqualTo("direct");
        assertThat(a.send("bob", text("hi bob"), net.now)).isTrue();
        assertThat(b.send(a.peerId(), text("hi alice"), net.now)).isTrue();
        net.runFor(SEC / 100);
        assertThat(net.host(B).data).containsExactly("hi bob");
        assertThat(net.host(A).data).containsExactly("hi alice");
        assertThat(net.host(A).relayed).containsExactly(false);
        assertThat(obsA.acks).isPositive();
    }

    @Test
    void connect_directPathBlocked_fallsBackToRelayAndCarriesData() {
        net.drop = (f, t) -> !f.equals(RV) && !t.equals(RV);
        establish();
        net.runFor(5 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.RELAYED)).hasSize(1);
        assertThat(net.host(A).of(PunchEvent.Kind.ESTABLISHED)).singleElement().satisfies(e -> assertThat(e.via()).isEqualTo("relay"));
        assertThat(net.host(B).of(PunchEvent.Kind.ESTABLISHED)).singleElement().satisfies(e -> assertThat(e.via()).isEqualTo("relay"));
        assertThat(a.send("bob", text("via relay"), net.now)).isTrue();
        assertThat(b.send("alice", text("back"), net.now)).isTrue();
        net.runFor(SEC / 100);
        assertThat(net.host(B).data).containsExactly("via relay");
        assertThat(net.host(A).data).containsExactly("back");
        assertThat(net.host(B).relayed).containsExactly(true);
        assertThat(obsA.timeouts).isPositive();
        assertThat(obsA.acks).isZero();
    }

    @Test
    void connect_twoPeersAtOnce_twoSessionsOnOneSocket() {
        setUp(true);
        InetSocketAddress c = new InetSocketAddress("203.0.113.30", 50000);
        PeerEngine carol = new PeerEngine(Identity.generate(rnd), "carol", RV, List.of(c), true, new DefaultPunchPolicy(),
                PathObserver.NONE, net.host(c), rnd);
        net.attach(c, carol);
        carol.start(net.now);
        net.runFor(SEC / 10);
        a.connect("bob", net.now);
        a.connect("carol", net.now);
        net.runFor(SEC / 2);
        assertThat(a.sessions()).isEqualTo(2);
        assertThat(net.host(A).of(PunchEvent.Kind.ESTABLISHED)).extracting(PunchEvent::peerName).containsExactlyInAnyOrder("bob", "carol");
        a.send("bob", text("to bob"), net.now);
        a.send("carol", text("to carol"), net.now);
        net.runFor(SEC / 100);
        assertThat(net.host(B).data).containsExactly("to bob");
        assertThat(net.host(c).data).containsExactly("to carol");
    }

    @Test
    void relay_bothAlive_relayedKeepalivesKeepSessionOpen() {
        net.drop = (f, t) -> !f.equals(RV) && !t.equals(RV);
        establish();
        net.runFor(60 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.CLOSED)).isEmpty();
        assertThat(net.host(B).of(PunchEvent.Kind.CLOSED)).isEmpty();
        assertThat(a.send("bob", text("after a minute"), net.now)).isTrue();
        net.runFor(SEC / 100);
        assertThat(net.host(B).data).containsExactly("after a minute");
    }

    @Test
    void relay_framesFromTheRendezvous_rendezvousKeepalivesGoOnAnsweringAtTheirInterval() {
        // Relayed frames prove only the way in; the keepalive answers are what tells the model
        // that our packets get out (UPLINK). So relayed traffic must not stand in for them.
        net.drop = (f, t) -> !f.equals(RV) && !t.equals(RV);
        establish();
        net.runFor(5 * SEC);
        int before = obsA.rendezvous;
        long interval = Math.min(RendezvousEngine.LEASE_MILLIS * 1_000_000L / 3,
                new DefaultPunchPolicy().keepaliveIntervalNanos(0, net.now));
        for (int i = 0; i < 60; i++) { // bob talks to us through the relay every 2 s
            assertThat(b.send("alice", text("relayed " + i), net.now)).isTrue();
            net.runFor(2 * SEC);
        }
        assertThat(net.host(A).data).hasSize(60);
        // One answer per interval, less one for the phase.
        assertThat(obsA.rendezvous - before).isGreaterThanOrEqualTo((int) (120 * SEC / interval) - 1);
        assertThat(net.host(A).of(PunchEvent.Kind.CLOSED)).isEmpty();
    }

    @Test
    void relay_otherPeerVanishes_sessionClosedAsPeerUnreachable() {
        net.drop = (f, t) -> !f.equals(RV) && !t.equals(RV);
        establish();
        net.runFor(5 * SEC);
        net.hosts.remove(B);
        net.runFor(10 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.CLOSED)).isEmpty();
        net.runFor(11 * SEC); // keepalive after 15 s of silence, then 3 unanswered probes of 1 s
        assertThat(net.host(A).of(PunchEvent.Kind.CLOSED)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("peer-unreachable"));
        assertThat(a.sessions()).isZero();
    }

    @Test
    void connect_unknownName_declined() {
        setUp(true);
        a.connect("nobody", net.now);
        net.runFor(SEC / 10);
        assertThat(net.host(A).of(PunchEvent.Kind.DECLINED)).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("unknown-peer"));
    }

    @Test
    void connect_targetRefuses_declinedAsRefused() {
        setUp(false);
        a.connect("bob", net.now);
        net.runFor(SEC / 10);
        assertThat(net.host(A).of(PunchEvent.Kind.DECLINED)).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("refused"));
        assertThat(a.sessions()).isZero();
    }

    @Test
    void connect_offerNeverArrives_declinedAsNoAnswerAfterRequestTimeout() {
        setUp(true);
        net.drop = (f, t) -> f.equals(RV) && t.equals(B);
        a.connect("bob", net.now);
        net.runFor(9 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.DECLINED)).isEmpty();
        net.runFor(2 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.DECLINED)).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("no-answer"));
    }

    @Test
    void rendezvous_peerSilentForALease_registrationExpires() {
        setUp(true);
        net.drop = (f, t) -> f.equals(B);
        net.runFor(RendezvousEngine.LEASE_MILLIS * 1_000_000L + 2 * SEC);
        assertThat(rv.registrations()).isEqualTo(1);
    }

    @Test
    void rendezvousKeepalive_policyIntervalLengthens_followedAfterTheNextAnswer() {
        // A learning policy starts at its floor and lengthens our NAT's keepalive interval as it
        // learns the binding's lifetime: 2 s before `switchAt`, 8 s after. The engine re-reads it
        // at every answered rendezvous keepalive, so after the switch the rendezvous hears from
        // us every 8 s, not every 2 s as set at registration (lease 60 s: cap 20 s).
        long[] switchAt = {Long.MAX_VALUE};
        DefaultPunchPolicy base = new DefaultPunchPolicy();
        PunchPolicy learning = new PunchPolicy() {
            @Override
            public double candidateScore(long k, int kind, boolean same, long now) {
                return base.candidateScore(k, kind, same, now);
            }

            @Override
            public long retryDelayNanos(int round, long now) {
                return base.retryDelayNanos(round, now);
            }

            @Override
            public boolean giveUpAndRelay(int rounds, long elapsed, long now) {
                return base.giveUpAndRelay(rounds, elapsed, now);
            }

            @Override
            public long keepaliveIntervalNanos(long k, long now) {
                return now < switchAt[0] ? 2 * SEC : 8 * SEC;
            }

            @Override
            public long probeTimeoutNanos(long k, long rtt, long now) {
                return base.probeTimeoutNanos(k, rtt, now);
            }

            @Override
            public int missesBeforeLost(long k, long now) {
                return base.missesBeforeLost(k, now);
            }
        };
        rv = new RendezvousEngine(net.host(RV), rnd);
        net.attach(RV, rv);
        a = new PeerEngine(Identity.generate(rnd), "alice", RV, List.of(A), true, learning, obsA, net.host(A), rnd);
        net.attach(A, a);
        a.start(net.now);
        net.runFor(20 * SEC);
        int early = obsA.rendezvous; // the registration's answer and one per 2 s since
        assertThat(early).isBetween(9, 12);
        switchAt[0] = net.now;
        net.runFor(2 * SEC); // the next answer re-reads the interval
        int afterSwitch = obsA.rendezvous;
        net.runFor(40 * SEC);
        // 40 s at 8 s: 5 answers (at 2 s: 20). Bounds: the phase of the first 8 s gap.
        assertThat(obsA.rendezvous - afterSwitch).isBetween(4, 6);
        assertThat(a.registered()).isTrue();
    }

    @Test
    void register_rendezvousRestarts_peerRegistersAgainAfterMissedKeepalives() {
        setUp(true);
        RendezvousEngine fresh = new RendezvousEngine(net.host(RV), rnd);
        net.attach(RV, fresh);
        net.runFor(20 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.REGISTERED)).hasSize(2);
        assertThat(fresh.registrations()).isEqualTo(2);
        assertThat(fresh.drops(DropReason.UNKNOWN_SESSION)).isPositive();
    }

    @Test
    void register_nameTakenByAnotherKey_rejected() {
        setUp(true);
        InetSocketAddress c = new InetSocketAddress("198.51.100.11", 40000);
        PeerEngine thief = new PeerEngine(Identity.generate(rnd), "bob", RV, List.of(), true, new DefaultPunchPolicy(), PathObserver.NONE, net.host(c), rnd);
        net.attach(c, thief);
        thief.start(net.now);
        net.runFor(SEC / 10);
        assertThat(net.host(c).of(PunchEvent.Kind.REJECTED)).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("name-taken"));
        assertThat(thief.registered()).isFalse();
    }

    @Test
    void register_rendezvousSilent_failsAfterTimeout() {
        PeerEngine lonely = new PeerEngine(Identity.generate(rnd), "x", RV, List.of(), true, new DefaultPunchPolicy(), obsA, net.host(A), rnd);
        net.attach(A, lonely);
        lonely.start(net.now);
        net.runFor(4 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.REGISTRATION_FAILED)).isEmpty();
        net.runFor(2 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.REGISTRATION_FAILED)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("rendezvous-unreachable"));
    }

    @Test
    void keepalive_afterSilence_answeredAndReportedAsSilencePass() {
        establish();
        net.runFor(16 * SEC);
        assertThat(obsA.silencePass + obsB.silencePass).isPositive();
        List<Long> all = new ArrayList<>(obsA.silences);
        all.addAll(obsB.silences);
        assertThat(all).allSatisfy(s -> assertThat(s).isGreaterThanOrEqualTo(15 * SEC));
    }

    @Test
    void keepalive_pathDies_pathLostThenRelay() {
        establish();
        net.drop = (f, t) -> !f.equals(RV) && !t.equals(RV);
        net.runFor(25 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.PATH_LOST).size() + net.host(B).of(PunchEvent.Kind.PATH_LOST).size()).isPositive();
        assertThat(obsA.silenceFail + obsB.silenceFail).isPositive();
        assertThat(a.send("bob", text("still here"), net.now)).isTrue();
        net.runFor(SEC / 100);
        assertThat(net.host(B).data).containsExactly("still here");
    }

    @Test
    void rebinding_validPacketFromNewPort_movesSession() {
        establish();
        InetSocketAddress bNew = new InetSocketAddress("203.0.113.20", 50001);
        net.rewriteSource = s -> s.equals(B) ? bNew : s;
        net.hosts.put(bNew, b);
        assertThat(b.send("alice", text("from new port"), net.now)).isTrue();
        net.runFor(SEC / 100);
        assertThat(net.host(A).of(PunchEvent.Kind.PATH_MOVED)).singleElement().satisfies(e -> assertThat(e.endpoint()).isEqualTo(bNew));
        a.send("bob", text("to new port"), net.now);
        net.runFor(SEC / 100);
        assertThat(net.host(B).data).containsExactly("to new port");
    }

    @Test
    void close_tellsPeer_bothSessionsGone() {
        establish();
        assertThat(a.close("bob", net.now)).isTrue();
        net.runFor(SEC / 100);
        assertThat(a.sessions()).isZero();
        assertThat(b.sessions()).isZero();
        assertThat(net.host(B).of(PunchEvent.Kind.CLOSED)).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("peer-closed"));
    }

    @Test
    void badInput_replayForgeryAndGarbage_droppedCountedAndNeverObserved() {
        establish();
        a.send("bob", text("once"), net.now);
        net.runFor(SEC / 100);
        assertThat(net.host(B).data).containsExactly("once");
        int sessionsBefore = b.sessions();
        int observedBefore = obsB.total();
        long dropsBefore = b.totalDrops();

        byte[] garbage = new byte[200];
        new SplittableRandom(1).nextBytes(garbage);
        net.inject(garbage, A, B);
        byte[] wrongMagic = new byte[40];
        net.inject(wrongMagic, A, B);
        byte[] unknownSession = new byte[Frame.MAX_DATAGRAM];
        int p = FrameWriter.beginAuth(unknownSession, 0, Frame.T_DATA, 0, 12345, 1);
        int n = FrameWriter.endAuth(unknownSession, 0, p) + Frame.TAG_LENGTH;
        net.inject(java.util.Arrays.copyOf(unknownSession, n), A, B);
        byte[] spoofedChallenge = new byte[64];
        int cn = FrameWriter.challenge(spoofedChallenge, 0, new byte[24], 0);
        net.inject(java.util.Arrays.copyOf(spoofedChallenge, cn), A, B);
        net.runFor(SEC / 100);

        assertThat(b.drops(DropReason.BAD_MAGIC)).isPositive();
        assertThat(b.drops(DropReason.UNKNOWN_SESSION)).isEqualTo(1);
        assertThat(b.drops(DropReason.UNKNOWN_SOURCE)).isEqualTo(1);
        assertThat(b.totalDrops() - dropsBefore).isEqualTo(4);
        assertThat(b.sessions()).isEqualTo(sessionsBefore);
        assertThat(obsB.total()).isEqualTo(observedBefore);
        assertThat(net.host(B).data).containsExactly("once");
    }

    @Test
    void badInput_replayedAndForgedSessionFrames_droppedAndNotDelivered() {
        List<byte[]> captured = new ArrayList<>();
        establish();
        // Re-route: wrap B so every datagram delivered to it is recorded.
        Engine realB = b;
        net.hosts.put(B, new Engine() {
            @Override
            public void onDatagram(ByteBuffer d, InetSocketAddress from, long now) {
                byte[] x = new byte[d.remaining()];
                d.get(d.position(), x);
                captured.add(x);
                realB.onDatagram(d, from, now);
            }

            @Override
            public void onTimer(long now) {
                realB.onTimer(now);
            }

            @Override
            public long nextDeadlineNanos() {
                return realB.nextDeadlineNanos();
            }

            @Override
            public long drops(DropReason r) {
                return realB.drops(r);
            }

            @Override
            public long totalDrops() {
                return realB.totalDrops();
            }
        });
        a.send("bob", text("secret"), net.now);
        net.runFor(SEC / 100);
        byte[] frame = captured.get(captured.size() - 1);
        int observed = obsB.total();

        net.inject(frame.clone(), A, B); // replay
        byte[] forged = frame.clone();
        forged[Frame.AUTH_BODY_OFFSET] ^= 1; // payload bit flip, counter fresh: tag must fail
        forged[Frame.COUNTER_OFFSET + 7] += 5;
        net.inject(forged, A, B);
        byte[] reflected = frame.clone();
        net.inject(reflected, B, B);
        net.runFor(SEC / 100);

        assertThat(realB.drops(DropReason.REPLAYED)).isEqualTo(2); // the replay and the reflection
        assertThat(realB.drops(DropReason.BAD_TAG)).isEqualTo(1);
        assertThat(net.host(B).data).containsExactly("secret");
        assertThat(obsB.total()).isEqualTo(observed);
        assertThat(net.host(A).of(PunchEvent.Kind.PATH_MOVED)).isEmpty();
    }

    @Test
    void badInput_ownFrameReflectedAndAncientCounter_wrongDirectionAndTooOld() {
        establish();
        List<byte[]> fromB = new ArrayList<>();
        Engine realA = a;
        net.hosts.put(A, new Engine() {
            @Override
            public void onDatagram(ByteBuffer d, InetSocketAddress from, long now) {
                byte[] x = new byte[d.remaining()];
                d.get(d.position(), x);
                fromB.add(x);
                realA.onDatagram(d, from, now);
            }

            @Override
            public void onTimer(long now) {
                realA.onTimer(now);
            }

            @Override
            public long nextDeadlineNanos() {
                return realA.nextDeadlineNanos();
            }

            @Override
            public long drops(DropReason r) {
                return realA.drops(r);
            }

            @Override
            public long totalDrops() {
                return realA.totalDrops();
            }
        });
        for (int i = 0; i < 70; i++) {
            b.send("alice", text("m" + i), net.now);
        }
        net.runFor(SEC / 100);
        byte[] first = fromB.get(fromB.size() - 70);
        int observed = obsB.total();
        net.inject(fromB.get(fromB.size() - 1).clone(), A, B); // B's own frame reflected to B
        net.inject(first.clone(), B, A); // counter 70 below the newest: outside the 64-wide window
        net.runFor(SEC / 100);
        assertThat(b.drops(DropReason.WRONG_DIRECTION)).isEqualTo(1);
        assertThat(a.drops(DropReason.TOO_OLD)).isEqualTo(1);
        assertThat(obsB.total()).isEqualTo(observed);
        assertThat(net.host(A).data).hasSize(70);
    }

    @Test
    void fuzz_randomDatagramsToEveryEngine_noExceptionNoBeliefMoved() {
        establish();
        int observedA = obsA.total();
        int observedB = obsB.total();
        SplittableRandom r = new SplittableRandom(99);
        for (int i = 0; i < 20_000; i++) {
            byte[] x = new byte[r.nextInt(Frame.MAX_DATAGRAM + 10)];
            r.nextBytes(x);
            if (x.length >= Frame.HEADER_LENGTH && r.nextBoolean()) {
                FrameWriter.header(x, 0, r.nextInt(0x28), r.nextInt(2), x.length - Frame.HEADER_LENGTH);
            }
            a.onDatagram(ByteBuffer.wrap(x), B, net.now);
            b.onDatagram(ByteBuffer.wrap(x), RV, net.now);
            rv.onDatagram(ByteBuffer.wrap(x), A, net.now);
        }
        assertThat(a.totalDrops()).isEqualTo(20_000);
        assertThat(b.totalDrops()).isEqualTo(20_000);
        assertThat(obsA.total()).isEqualTo(observedA);
        assertThat(obsB.total()).isEqualTo(observedB);
        assertThat(a.drops(DropReason.INTERNAL_ERROR) + rv.drops(DropReason.INTERNAL_ERROR)).isZero();
    }

    @Test
    void rendezvous_registerFlood_challengeNeverLargerAndRateLimited() {
        List<Integer> sizes = new ArrayList<>();
        EngineSink sink = new EngineSink() {
            @Override
            public void send(ByteBuffer d, InetSocketAddress to) {
                sizes.add(d.remaining());
            }

            @Override
            public void event(PunchEvent e) {}
        };
        RendezvousEngine r = new RendezvousEngine(sink, rnd);
        byte[] reg = new byte[100];
        int n = FrameWriter.register(reg, 0, new byte[32], new byte[0]);
        for (int i = 0; i < 100; i++) {
            r.onDatagram(ByteBuffer.wrap(reg, 0, n), A, 0);
        }
        assertThat(sizes).hasSize(RendezvousEngine.RATE_BURST).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(n));
        assertThat(r.drops(DropReason.RATE_LIMITED)).isEqualTo(100 - RendezvousEngine.RATE_BURST);
        r.onDatagram(ByteBuffer.wrap(reg, 0, n), A, SEC); // one second refills RATE_PER_SECOND tokens
        assertThat(sizes).hasSize(RendezvousEngine.RATE_BURST + 1);
    }

    @Test
    void rendezvous_proofWithForeignCookieOrBadSignature_dropped() {
        setUp(true);
        byte[] proof = new byte[Frame.MAX_DATAGRAM];
        byte[] cookie = new byte[24];
        Frame.putLong(cookie, 0, Math.floorDiv(net.now, RendezvousEngine.COOKIE_BUCKET_NANOS));
        int sigAt = FrameWriter.registerProof(proof, 0, cookie, Identity.generate(rnd).publicKey(), new byte[32], new byte[0]);
        rv.onDatagram(ByteBuffer.wrap(proof, 0, sigAt + 64), A, net.now);
        assertThat(rv.drops(DropReason.BAD_COOKIE)).isEqualTo(1);
        assertThat(rv.registrations()).isEqualTo(2);
    }
}

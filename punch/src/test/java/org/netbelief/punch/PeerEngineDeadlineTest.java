package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.crypto.Identity;

/**
 * {@link PeerEngine#nextDeadlineNanos()} is the exact time of the next timer work after every
 * entry point: no wake-up is left behind for work that is gone (an answered probe, a finished
 * punch, an introduced request, a finished discovery), none is late when an answer brings work
 * forward, and an early {@link PeerEngine#onTimer} changes nothing.
 *
 * <p>Times are exact: {@link TestNet} delivers every datagram {@link TestNet#DELAY} after it was
 * sent, without jitter or loss.
 */
class PeerEngineDeadlineTest {
    static final InetSocketAddress RV = new InetSocketAddress("192.0.2.1", 7000);
    static final InetSocketAddress A = new InetSocketAddress("198.51.100.10", 40000);
    static final InetSocketAddress B = new InetSocketAddress("203.0.113.20", 50000);
    static final long SEC = 1_000_000_000L;
    static final long MS = 1_000_000L;
    /** The rendezvous keepalive the policies below ask for: the lease's third (60 s / 3). */
    static final long RV_KEEPALIVE = 20 * SEC;

    final SecureRandom rnd = new SecureRandom();
    final TestNet net = new TestNet();
    final Times obsA = new Times();
    final Times obsB = new Times();
    PeerEngine a;
    PeerEngine b;

    /** When the observer last heard of each kind of answer and probe. */
    static final class Times implements PathObserver {
        int calls;
        int rendezvousAnswers;
        long rendezvousAnswerAt = -1;
        int keepaliveAcks;
        long keepaliveAckAt = -1;
        int keepalivesSent;
        long keepaliveSentAt = -1;

        @Override
        public void onRendezvousAnswer(long rtt, long now) {
            calls++;
            rendezvousAnswers++;
            rendezvousAnswerAt = now;
        }

        @Override
        public void onSend(long k, int probe, long now) {
            calls++;
            if (probe == PROBE_KEEPALIVE) {
                keepalivesSent++;
                keepaliveSentAt = now;
            }
        }

        @Override
        public void onAck(long k, int probe, long rtt, long now) {
            calls++;
            if (probe == PROBE_KEEPALIVE) {
                keepaliveAcks++;
                keepaliveAckAt = now;
            }
        }

        @Override
        public void onTimeout(long k, int probe, long now) {
            calls++;
        }
    }

    /** A policy with the given session keepalive and probe timeout; the rest as the default. */
    static PunchPolicy policy(long keepaliveNanos, long probeTimeoutNanos) {
        DefaultPunchPolicy base = new DefaultPunchPolicy(DefaultPunchPolicy.GIVE_UP_MILLIS, keepaliveNanos / MS,
                RV_KEEPALIVE / MS);
        return new PunchPolicy() {
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
                return base.keepaliveIntervalNanos(k, now);
            }

            @Override
            public long probeTimeoutNanos(long k, long rtt, long now) {
                return probeTimeoutNanos;
            }

            @Override
            public int missesBeforeLost(long k, long now) {
                return base.missesBeforeLost(k, now);
            }
        };
    }

    /**
     * Registers alice and bob. Alice keeps sessions alive every {@code keepaliveNanos} with
     * probes that time out after {@code probeTimeoutNanos}; bob's session keepalive (60 s) never
     * comes due in these tests, so every session keepalive is alice's.
     */
    void setUp(long keepaliveNanos, long probeTimeoutNanos) {
        RendezvousEngine rv = new RendezvousEngine(net.host(RV), rnd);
        net.attach(RV, rv);
        a = new PeerEngine(Identity.generate(rnd), "alice", RV, List.of(A), true, policy(keepaliveNanos, probeTimeoutNanos),
                obsA, net.host(A), rnd);
        b = new PeerEngine(Identity.generate(rnd), "bob", RV, List.of(B), true, policy(60 * SEC, SEC / 2), obsB,
                net.host(B), rnd);
        net.attach(A, a);
        net.attach(B, b);
        a.start(net.now);
        b.start(net.now);
        net.runFor(SEC / 10);
        assertThat(a.registered()).isTrue();
    }

    /** Connects alice to bob and stops 1 ms after alice's ESTABLISHED; returns its time. */
    long establish() {
        a.connect("bob", net.now);
        for (int i = 0; i < 1000 && net.host(A).of(PunchEvent.Kind.ESTABLISHED).isEmpty(); i++) {
            net.runFor(MS);
        }
        List<PunchEvent> established = net.host(A).of(PunchEvent.Kind.ESTABLISHED);
        assertThat(established).singleElement().satisfies(e -> assertThat(e.via()).isEqualTo("direct"));
        return established.get(0).nowNanos();
    }

    @Test
    void nextDeadline_discoveryAnsweredAfterRegistration_isTheRendezvousKeepalive() {
        // The rendezvous has no alternate endpoints: discovery's first DISCOVER is answered
        // "unknown" 2 ms after registration, so its 500 ms resend has no work left.
        setUp(2 * SEC, SEC / 2);
        assertThat(obsA.rendezvousAnswers).isEqualTo(1);
        assertThat(a.natClass()).isEqualTo(NatClass.UNKNOWN);
        assertThat(a.nextDeadlineNanos()).isEqualTo(obsA.rendezvousAnswerAt + RV_KEEPALIVE);
    }

    @Test
    void nextDeadline_rendezvousKeepaliveAnswered_isTheNextKeepaliveNotTheProbeTimeout() {
        setUp(2 * SEC, SEC / 2);
        long registeredAt = obsA.rendezvousAnswerAt;
        net.runFor(registeredAt + RV_KEEPALIVE + 10 * MS - net.now); // the keepalive and its answer
        assertThat(obsA.rendezvousAnswers).isEqualTo(2);
        assertThat(obsA.rendezvousAnswerAt).isEqualTo(registeredAt + RV_KEEPALIVE + 2 * TestNet.DELAY);
        assertThat(a.nextDeadlineNanos()).isEqualTo(obsA.rendezvousAnswerAt + RV_KEEPALIVE)
                .isNotEqualTo(registeredAt + RV_KEEPALIVE + PeerEngine.RENDEZVOUS_PROBE_TIMEOUT_NANOS);
    }

    @Test
    void nextDeadline_connectWhileRegistered_isTheRequestResendNotNow() {
        setUp(2 * SEC, SEC / 2);
        a.connect("bob", net.now);
        assertThat(a.nextDeadlineNanos()).isEqualTo(net.now + PeerEngine.REQUEST_RETRY_NANOS);
    }

    @Test
    void nextDeadline_punchingEstablished_isTheKeepaliveNotTheNextRound() {
        // Alice's first round is answered in 2 ms; its second round (200 ms on) has no work left.
        setUp(2 * SEC, SEC / 2);
        long establishedAt = establish();
        assertThat(a.nextDeadlineNanos()).isEqualTo(establishedAt + 2 * SEC);
    }

    @Test
    void nextDeadline_sessionKeepaliveAnswered_isTheNextKeepaliveNotTheProbeTimeout() {
        setUp(2 * SEC, SEC / 2);
        long establishedAt = establish();
        net.runFor(establishedAt + 2 * SEC + 10 * MS - net.now);
        assertThat(obsA.keepalivesSent).isEqualTo(1);
        assertThat(obsA.keepaliveSentAt).isEqualTo(establishedAt + 2 * SEC);
        assertThat(obsA.keepaliveAckAt).isEqualTo(obsA.keepaliveSentAt + 2 * TestNet.DELAY);
        assertThat(a.nextDeadlineNanos()).isEqualTo(obsA.keepaliveAckAt + 2 * SEC)
                .isNotEqualTo(obsA.keepaliveSentAt + SEC / 2);
    }

    @Test
    void sessionKeepalive_probeTimeoutLongerThanInterval_nextKeepaliveSentOnTimeNotAtTheTimeout() {
        // The mesh-like baseline's shape: 3 s heartbeats, 3.5 s to wait for an answer. The
        // answer (2 ms) brings the next keepalive forward to answer + 3 s, before the timeout.
        setUp(3 * SEC, 3_500 * MS);
        long establishedAt = establish();
        net.runFor(establishedAt + 3 * SEC + 10 * MS - net.now);
        long firstAck = obsA.keepaliveAckAt;
        assertThat(obsA.keepaliveAcks).isEqualTo(1);
        assertThat(a.nextDeadlineNanos()).isEqualTo(firstAck + 3 * SEC);
        net.runFor(firstAck + 3 * SEC + MS - net.now);
        assertThat(obsA.keepalivesSent).isEqualTo(2);
        assertThat(obsA.keepaliveSentAt).isEqualTo(firstAck + 3 * SEC);
    }

    @Test
    void onTimer_earlyAfterAnsweredKeepalive_sendsNothingAndChangesNothing() {
        setUp(2 * SEC, SEC / 2);
        long establishedAt = establish();
        net.runFor(establishedAt + 2 * SEC + 10 * MS - net.now); // a keepalive answered
        long deadline = a.nextDeadlineNanos();
        int sent = net.sent;
        int calls = obsA.calls;
        int events = net.host(A).events.size();
        for (long t = net.now; t < deadline; t += 7 * MS) {
            a.onTimer(t);
            assertThat(a.nextDeadlineNanos()).isEqualTo(deadline);
        }
        a.onTimer(deadline - 1);
        assertThat(a.nextDeadlineNanos()).isEqualTo(deadline);
        assertThat(net.sent).isEqualTo(sent);
        assertThat(obsA.calls).isEqualTo(calls);
        assertThat(net.host(A).events).hasSize(events);
        assertThat(a.sessions()).isEqualTo(1);
        // At the deadline the keepalive goes out.
        a.onTimer(deadline);
        assertThat(net.sent).isEqualTo(sent + 1);
        assertThat(obsA.keepaliveSentAt).isEqualTo(deadline);
    }
}

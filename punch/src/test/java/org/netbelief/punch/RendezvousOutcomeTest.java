package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.RendezvousEngine.OutcomeDrop;
import org.netbelief.punch.wire.Frame;

/**
 * The rendezvous's network evidence: a session counts once, only when it introduced it, it is
 * fresh, and both peers report the same outcome; every other report is a counted drop.
 */
class RendezvousOutcomeTest {
    private static final int EIM_EIF = NatClass.of(NatClass.EIM, NatClass.EIF);
    private static final int APDM_APDF = NatClass.of(NatClass.APDM, NatClass.APDF);
    private static final long S = 1_000_000_000L;

    private final EngineSink sink = new EngineSink() {
        @Override
        public void send(ByteBuffer d, InetSocketAddress to) {}

        @Override
        public void event(PunchEvent e) {}
    };
    private final RendezvousEngine rv = new RendezvousEngine(sink, new SecureRandom(new byte[] {5}));

    private double[] evidence(long now) {
        return rv.networkEvidence(EIM_EIF, APDM_APDF, now);
    }

    @Test
    void agreedReports_countOnce_perUnorderedPair() {
        rv.track(1, "a", "b", EIM_EIF, APDM_APDF, 0);
        rv.recordOutcome("a", 1, Frame.OUTCOME_DIRECT, S);
        assertThat(rv.outcomesCounted()).isZero(); // one side only so far
        rv.recordOutcome("b", 1, Frame.OUTCOME_DIRECT, 2 * S);
        rv.track(2, "c", "d", APDM_APDF, EIM_EIF, 3 * S); // the same pair the other way round
        rv.recordOutcome("d", 2, Frame.OUTCOME_RELAYED, 4 * S);
        rv.recordOutcome("c", 2, Frame.OUTCOME_RELAYED, 4 * S);
        assertThat(rv.outcomesCounted()).isEqualTo(2);
        assertThat(rv.pendingOutcomes()).isZero();
        double[] e = evidence(4 * S);
        // 24 h half-life: seconds of decay are below 1e-4.
        assertThat(e[0]).isBetween(0.9999, 1.0);
        assertThat(e[1]).isBetween(0.9999, 1.0);
        // A later report for a resolved session is unknown.
        rv.recordOutcome("a", 1, Frame.OUTCOME_DIRECT, 5 * S);
        assertThat(rv.outcomeDrops(OutcomeDrop.UNKNOWN_SESSION)).isEqualTo(1);
        assertThat(rv.outcomesCounted()).isEqualTo(2);
    }

    @Test
    void evidence_decaysWithTheHalfLife() {
        rv.track(1, "a", "b", EIM_EIF, APDM_APDF, 0);
        rv.recordOutcome("a", 1, Frame.OUTCOME_DIRECT, 0);
        rv.recordOutcome("b", 1, Frame.OUTCOME_DIRECT, 0);
        assertThat(evidence(RendezvousEngine.NETWORK_HALF_LIFE_NANOS)[0])
                .isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void disagreement_countsNothing() {
        rv.track(1, "a", "b", EIM_EIF, APDM_APDF, 0);
        rv.recordOutcome("a", 1, Frame.OUTCOME_DIRECT, S);
        rv.recordOutcome("b", 1, Frame.OUTCOME_RELAYED, S);
        assertThat(rv.outcomeDrops(OutcomeDrop.DISAGREED)).isEqualTo(1);
        assertThat(rv.outcomesCounted()).isZero();
        assertThat(evidence(S)).containsExactly(0.0, 0.0);
    }

    @Test
    void duplicateFromOneSide_isDropped_andCannotCompleteTheSession() {
        rv.track(1, "a", "b", EIM_EIF, APDM_APDF, 0);
        rv.recordOutcome("a", 1, Frame.OUTCOME_DIRECT, S);
        rv.recordOutcome("a", 1, Frame.OUTCOME_DIRECT, S);
        assertThat(rv.outcomeDrops(OutcomeDrop.DUPLICATE)).isEqualTo(1);
        assertThat(rv.outcomesCounted()).isZero();
        assertThat(rv.pendingOutcomes()).isEqualTo(1);
    }

    @Test
    void unknownSessionAndStranger_areDropped() {
        rv.recordOutcome("a", 99, Frame.OUTCOME_DIRECT, S); // never introduced
        rv.track(1, "a", "b", EIM_EIF, APDM_APDF, 0);
        rv.recordOutcome("mallory", 1, Frame.OUTCOME_RELAYED, S); // not one of the two peers
        assertThat(rv.outcomeDrops(OutcomeDrop.UNKNOWN_SESSION)).isEqualTo(1);
        assertThat(rv.outcomeDrops(OutcomeDrop.NOT_A_PARTY)).isEqualTo(1);
        assertThat(rv.outcomesCounted()).isZero();
    }

    @Test
    void expiredSession_oneSided_isDropped_andLateReportsAreUnknown() {
        rv.track(1, "a", "b", EIM_EIF, APDM_APDF, 0);
        rv.recordOutcome("a", 1, Frame.OUTCOME_DIRECT, S);
        long late = RendezvousEngine.OUTCOME_TTL_NANOS + S;
        rv.onTimer(late); // the sweep expires it
        assertThat(rv.outcomeDrops(OutcomeDrop.ONE_SIDED)).isEqualTo(1);
        assertThat(rv.pendingOutcomes()).isZero();
        rv.recordOutcome("b", 1, Frame.OUTCOME_DIRECT, late);
        assertThat(rv.outcomeDrops(OutcomeDrop.UNKNOWN_SESSION)).isEqualTo(1);
        assertThat(rv.outcomesCounted()).isZero();
    }

    @Test
    void expiredSession_withoutReports_isNotOneSided() {
        rv.track(1, "a", "b", EIM_EIF, APDM_APDF, 0);
        rv.recordOutcome("a", 2, Frame.OUTCOME_DIRECT, RendezvousEngine.OUTCOME_TTL_NANOS + S);
        assertThat(rv.outcomeDrops(OutcomeDrop.ONE_SIDED)).isZero();
        assertThat(rv.pendingOutcomes()).isZero();
    }

    @Test
    void pendingState_isBounded_newSessionsBeyondTheCapAreUntracked() {
        int cap = RendezvousEngine.MAX_PENDING_OUTCOMES;
        for (int i = 1; i <= cap + 10; i++) {
            rv.track(i, "a", "b", EIM_EIF, APDM_APDF, 0);
        }
        assertThat(rv.pendingOutcomes()).isEqualTo(cap);
        assertThat(rv.outcomeDrops(OutcomeDrop.UNTRACKED)).isEqualTo(10);
        // The oldest are kept: their reports still count; an untracked one is unknown.
        rv.recordOutcome("a", 1, Frame.OUTCOME_DIRECT, S);
        rv.recordOutcome("b", 1, Frame.OUTCOME_DIRECT, S);
        rv.recordOutcome("a", cap + 5L, Frame.OUTCOME_DIRECT, S);
        assertThat(rv.outcomesCounted()).isEqualTo(1);
        assertThat(rv.outcomeDrops(OutcomeDrop.UNKNOWN_SESSION)).isEqualTo(1);
        // Resolved sessions still hold their slot until they expire; after the TTL all go.
        rv.onTimer(RendezvousEngine.OUTCOME_TTL_NANOS + S);
        assertThat(rv.pendingOutcomes()).isZero();
        rv.track(cap + 100L, "a", "b", EIM_EIF, APDM_APDF, RendezvousEngine.OUTCOME_TTL_NANOS + S);
        assertThat(rv.pendingOutcomes()).isEqualTo(1);
    }
}

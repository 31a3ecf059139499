package org.netbelief.punch;

/**
 * What a {@link LifetimeProber} asks and tells: which silence to test next on the sacrificial
 * probe binding, and whether the binding survived it. {@code BeliefPolicy} implements it over its
 * hole-lifetime model and keepalive planner.
 *
 * <pre>{@code
 * LifetimeProbePolicy fixed = new LifetimeProbePolicy() {  // a test double: always test 60 s
 *     public long nextProbeGapNanos(long now) { return 60_000_000_000L; }
 *     public void onProbeSurvived(long gapNanos, long now) { survived++; }
 *     public void onProbeLost(long gapNanos, long now) { lost++; }
 * };
 * }</pre>
 *
 * <p>Called from the prober's thread only; single-threaded implementations must be driven from
 * that one thread (see {@code LifetimeProbing} for the real driver's hand-off).
 */
public interface LifetimeProbePolicy {
    /** Returned by {@link #nextProbeGapNanos} when no probe is worth making now. */
    long NO_PROBE = -1L;

    /**
     * The silence the probe binding should keep before the rendezvous answers it.
     *
     * @param nowNanos monotonic time
     * @return the gap in nanoseconds (the prober clamps it to the wire's 1 s to 1 h), or {@link
     *     #NO_PROBE} to pause
     */
    long nextProbeGapNanos(long nowNanos);

    /**
     * The rendezvous's reply arrived after the gap: our NAT kept the binding through that silence.
     *
     * @param gapNanos the silence survived
     * @param nowNanos monotonic time
     */
    void onProbeSurvived(long gapNanos, long nowNanos);

    /**
     * No reply within the gap plus the timeout margin: the binding probably expired, unless the
     * rendezvous or the uplink failed meanwhile; the implementation weighs the blame (for
     * instance by whether the rendezvous answered the main socket recently).
     *
     * @param gapNanos the silence tested
     * @param nowNanos monotonic time
     */
    void onProbeLost(long gapNanos, long nowNanos);
}

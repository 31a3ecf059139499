package org.netbelief.model.decide;

import java.util.List;

/**
 * Whether to stop punching and let the relay carry the traffic.
 *
 * @param relay true when punching is hopeless within the budget
 * @param pWithinBudget the probability that some attempt within the budget succeeds
 * @param attemptsLeft the attempts that fit in the remaining budget
 * @param reasons the beliefs behind the decision
 */
public record GiveUp(boolean relay, double pWithinBudget, long attemptsLeft,
    List<Reason> reasons) {}

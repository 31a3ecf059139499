package org.netbelief.model.decide;

import java.util.List;

/**
 * A candidate's place in a ranking.
 *
 * @param endpoint the candidate's endpoint
 * @param score P(success) per unit of expected cost; higher is tried first
 * @param reasons the beliefs behind the score
 * @param <T> the endpoint type
 */
public record Ranked<T>(T endpoint, double score, List<Reason> reasons) {}

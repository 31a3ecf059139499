package org.netbelief.model.decide;

import java.util.List;

/**
 * When to send the next introduction retry.
 *
 * @param delayNanos how long to wait from the previous attempt
 * @param reasons the beliefs behind the delay
 */
public record Pacing(long delayNanos, List<Reason> reasons) {}

/**
 * Beliefs about network paths: decaying evidence tables, priors, posteriors with credible
 * intervals, and the decisions made from them. No I/O, no threads, no clock: every call takes
 * time as monotonic nanoseconds.
 */
package org.netbelief.model;

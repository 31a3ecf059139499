/** Support code for the benchmarks: baselines to compare netbelief's structures against. */
package org.netbelief.bench.internal;

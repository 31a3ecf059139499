/**
 * Event traces: every packet event a model saw, as JSON lines, written while a simulation or a
 * peer runs ({@link org.netbelief.punch.trace.TraceWriter}) and fed back to a fresh model later
 * ({@link org.netbelief.punch.trace.TraceReader}). The format is specified in
 * {@code docs/trace-format.md}.
 */
package org.netbelief.punch.trace;

package org.netbelief.model.fit;

/**
 * A stream of events that can be played more than once, identically each time: a trace file
 * read again, or a seeded generator. {@link HalfLifeSelector#refine} plays it once per
 * candidate half-life; nothing is held between plays.
 */
@FunctionalInterface
public interface EventReplay {
  /** Plays every event, in time order, to {@code sink}. */
  void replay(EventSink sink);
}

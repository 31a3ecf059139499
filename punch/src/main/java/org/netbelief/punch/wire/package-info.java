/**
 * The netbelief punch wire format, version 1: {@link org.netbelief.punch.wire.Frame} (constants,
 * offsets and the frame diagrams), {@link org.netbelief.punch.wire.FrameReader} (a validating,
 * allocation-free flyweight), {@link org.netbelief.punch.wire.FrameWriter} (encoders into a
 * caller's array) and {@link org.netbelief.punch.wire.DropReason} (why a datagram was dropped).
 * The specification is {@code docs/protocol.md}.
 */
package org.netbelief.punch.wire;

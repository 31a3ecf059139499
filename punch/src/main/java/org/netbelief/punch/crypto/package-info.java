/**
 * Security primitives of the punch protocol: Ed25519 {@link org.netbelief.punch.crypto.Identity}
 * (peer id = truncated SHA-256 of the public key), X25519 agreement and key derivation in {@link
 * org.netbelief.punch.crypto.Keys}, allocation-free truncated HMAC-SHA256 ({@link
 * org.netbelief.punch.crypto.Hmac256}), the RFC 4303 {@link org.netbelief.punch.crypto.ReplayWindow}
 * and per-source token buckets ({@link org.netbelief.punch.crypto.RateLimiter}). Everything comes
 * from the JDK; nothing here reads a clock.
 */
package org.netbelief.punch.crypto;

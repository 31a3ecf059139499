package org.netbelief.model;

import java.nio.charset.StandardCharsets;

/**
 * Stable 64-bit keys for features: the same key on every run, JVM and machine, so snapshots stay
 * valid.
 *
 * <p>The algorithm, which is part of the snapshot format and never changes:
 *
 * <ol>
 *   <li>FNV-1a 64 (offset basis {@code 0xcbf29ce484222325}, prime {@code 0x100000001b3}) over the
 *       UTF-8 bytes of each part in order, with the byte {@code 0xFF} (never present in UTF-8)
 *       after every part, so {@code ("ab","c")} and {@code ("a","bc")} differ;
 *   <li>then MurmurHash3's 64-bit finaliser ({@code fmix64}) so that every input bit moves every
 *       output bit;
 *   <li>a result of 0, reserved for empty table slots, becomes {@code 0x9E3779B97F4A7C15}.
 * </ol>
 *
 * <pre>{@code
 * long key = FeatureKeys.of("remotePrefix", "198.51.100.0/24");
 * }</pre>
 */
public final class FeatureKeys {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long ZERO_REPLACEMENT = 0x9E3779B97F4A7C15L;

  private FeatureKeys() {}

  /** The key of a feature named by {@code parts}, typically a level name and a token. */
  public static long of(String... parts) {
    long h = FNV_OFFSET;
    for (String part : parts) {
      if (part == null) {
        throw new IllegalArgumentException("feature parts must not be null");
      }
      h = fnv1a(h, part.getBytes(StandardCharsets.UTF_8));
      h = (h ^ 0xFF) * FNV_PRIME;
    }
    return finish(h);
  }

  static long fnv1a(long h, byte[] bytes) {
    for (byte b : bytes) {
      h ^= b & 0xFF;
      h *= FNV_PRIME;
    }
    return h;
  }

  /** FNV-1a 64 of {@code bytes} alone, without separator or finaliser (for tests of step 1). */
  static long fnv1a64(byte[] bytes) {
    return fnv1a(FNV_OFFSET, bytes);
  }

  static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private static long finish(long h) {
    long k = fmix64(h);
    return k == 0 ? ZERO_REPLACEMENT : k;
  }
}

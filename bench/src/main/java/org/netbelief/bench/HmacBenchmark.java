package org.netbelief.bench;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.netbelief.punch.crypto.Hmac256;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * HMAC-SHA256 of one 80-byte frame under one of {@code keys} keys picked in a random order, as a
 * simulation of many peers uses its per-session MACs: {@link Hmac256} (pads per key, one digest
 * per thread), its static form on the key's four words (as AuthLink keeps them), and {@link
 * PerKeyDigest}, the previous design (a digest, pads and scratch of its own per key, about nine
 * objects). With one key all are in cache and measure the hashing; with 100 000 keys every MAC
 * touches a cold key, as at 10 000 peers.
 *
 * <p>Run (after {@code ./mvnw -B -ntp -pl bench -am package -DskipTests}):
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar HmacBenchmark -f 1 -wi 3 -i 5 \
 *     -jvmArgs "-Xms2g -Xmx2g -XX:+UseParallelGC -XX:+AlwaysPreTouch"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class HmacBenchmark {
  /** Number of distinct keys cycled through. */
  @Param({"1", "100000"})
  public int keys;

  private final byte[] frame = new byte[80];
  private final byte[] tag = new byte[16];
  private Hmac256[] shared;
  private long[] words;
  private PerKeyDigest[] perKey;
  private int[] order;
  private int next;

  /** Keys, instances and a random visiting order from a fixed seed. */
  @Setup(Level.Trial)
  public void setUp() {
    Random rnd = new Random(42);
    rnd.nextBytes(frame);
    shared = new Hmac256[keys];
    words = new long[4 * keys];
    perKey = new PerKeyDigest[keys];
    byte[] key = new byte[32];
    for (int i = 0; i < keys; i++) {
      rnd.nextBytes(key);
      shared[i] = new Hmac256(key);
      for (int w = 0; w < 4; w++) {
        words[4 * i + w] = Hmac256.keyWord(key, w);
      }
      perKey[i] = new PerKeyDigest(key);
    }
    order = new int[1 << 20];
    for (int i = 0; i < order.length; i++) {
      order[i] = rnd.nextInt(keys);
    }
  }

  private int pick() {
    int i = order[next];
    next = (next + 1) & (order.length - 1);
    return i;
  }

  /**
   * {@link Hmac256#mac(byte[], int, int, byte[], int, int)} under the next key.
   *
   * @return a tag byte
   */
  @Benchmark
  public byte sharedDigest() {
    shared[pick()].mac(frame, 0, frame.length, tag, 0, tag.length);
    return tag[0];
  }

  /**
   * {@link Hmac256#mac(long, long, long, long, byte[], int, int, byte[], int, int)} under the
   * next key's four words, as AuthLink holds them (no instance in between).
   *
   * @return a tag byte
   */
  @Benchmark
  public byte sharedDigestKeyWords() {
    int k = 4 * pick();
    Hmac256.mac(words[k], words[k + 1], words[k + 2], words[k + 3], frame, 0, frame.length, tag, 0,
        tag.length);
    return tag[0];
  }

  /**
   * The same MAC with the previous per-key digest.
   *
   * @return a tag byte
   */
  @Benchmark
  public byte perKeyDigest() {
    perKey[pick()].mac(frame, 0, frame.length, tag, 0, tag.length);
    return tag[0];
  }

  /** The previous Hmac256: a digest, pads and scratch per key (kept here for comparison). */
  static final class PerKeyDigest {
    private final MessageDigest md;
    private final byte[] ipad = new byte[64];
    private final byte[] opad = new byte[64];
    private final byte[] scratch = new byte[32];

    PerKeyDigest(byte[] key) {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      for (int i = 0; i < 64; i++) {
        byte b = i < key.length ? key[i] : 0;
        ipad[i] = (byte) (b ^ 0x36);
        opad[i] = (byte) (b ^ 0x5c);
      }
    }

    void mac(byte[] m, int off, int len, byte[] out, int outOff, int outLen) {
      try {
        md.update(ipad, 0, 64);
        md.update(m, off, len);
        md.digest(scratch, 0, 32);
        md.update(opad, 0, 64);
        md.update(scratch, 0, 32);
        md.digest(scratch, 0, 32);
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
      System.arraycopy(scratch, 0, out, outOff, outLen);
    }
  }
}

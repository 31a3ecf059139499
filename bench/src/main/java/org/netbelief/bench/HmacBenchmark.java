package org.netbelief.bench;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.netbelief.punch.crypto.Hmac256;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * HMAC-SHA256 of one 44-byte frame under one of {@code keys} keys picked in a
 * random order, as a simulation of many peers uses its per-session MACs: {@link Hmac256} (its key's
 * state words per instance, one digest per thread), its static form on the eight words (as
 * AuthLink keeps them), and two earlier designs kept here as baselines ({@link PadsDigest}): the
 * key's pads hashed through one shared {@code MessageDigest} (four compressions), or through a
 * digest, pads and scratch of its own per key (about nine objects). With one key
 * all are in cache and measure the hashing; with 100 000 keys every MAC touches a cold key, as at
 * 10 000 peers. {@code Hmac256} resumes from precomputed pad states only when the fork runs with
 * {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED}, which {@code @Fork} appends.
 *
 * <p>Run (after {@code ./mvnw -B -ntp -pl bench -am package -DskipTests}):
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar HmacBenchmark -f 1 -wi 3 -i 5 \
 *     -jvmArgs "-Xms2g -Xmx2g -XX:+UseParallelGC -XX:+AlwaysPreTouch"
 * </pre>
 */
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/sun.security.provider=ALL-UNNAMED")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class HmacBenchmark {
  /** Number of distinct keys cycled through. */
  @Param({"1", "100000"})
  public int keys;

  /**
   * Bytes under the MAC: a keepalive's are 32 and its answer's 51, so the commonest frames take
   * one SHA-256 block after the pad block, as these 44 do.
   */
  private static final int FRAME_BYTES = 44;

  private final byte[] frame = new byte[FRAME_BYTES];
  private final byte[] tag = new byte[16];
  private Hmac256[] shared;
  private long[] words;
  private PadsDigest[] sharedPads;
  private PadsDigest[] perKey;
  private int[] order;
  private int next;

  /** Keys, instances and a random visiting order from a fixed seed. */
  @Setup(Level.Trial)
  public void setUp() {
    Random rnd = new Random(42);
    rnd.nextBytes(frame);
    shared = new Hmac256[keys];
    words = new long[Hmac256.STATE_WORDS * keys];
    sharedPads = new PadsDigest[keys];
    perKey = new PadsDigest[keys];
    byte[] key = new byte[32];
    for (int i = 0; i < keys; i++) {
      rnd.nextBytes(key);
      shared[i] = new Hmac256(key);
      System.arraycopy(Hmac256.keyState(key), 0, words, Hmac256.STATE_WORDS * i, Hmac256.STATE_WORDS);
      sharedPads[i] = PadsDigest.shared(key);
      perKey[i] = PadsDigest.perKey(key);
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
   * {@link Hmac256#mac(long, long, long, long, long, long, long, long, byte[], int, int, byte[],
   * int, int)} under the next key's eight state words, as AuthLink holds them (no instance in
   * between).
   *
   * @return a tag byte
   */
  @Benchmark
  public byte keyStateWords() {
    int k = Hmac256.STATE_WORDS * pick();
    long[] w = words;
    Hmac256.mac(w[k], w[k + 1], w[k + 2], w[k + 3], w[k + 4], w[k + 5], w[k + 6], w[k + 7], frame, 0,
        frame.length, tag, 0, tag.length);
    return tag[0];
  }

  /**
   * The same MAC with the key's pads hashed each time through one shared digest (the design
   * before the precomputed states).
   *
   * @return a tag byte
   */
  @Benchmark
  public byte sharedDigestPads() {
    sharedPads[pick()].mac(frame, 0, frame.length, tag, 0, tag.length);
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

  /**
   * The earlier designs of Hmac256, kept here for comparison: the key's pads ({@code K ^ ipad},
   * {@code K ^ opad}) hashed in full on every MAC (four compressions), through a digest and
   * scratch of the key's own ({@link #perKey}: a digest, its engine and arrays, the pads and the
   * scratch, about nine objects a key) or through one digest shared by every key ({@link
   * #shared}: the pads array only).
   */
  static final class PadsDigest {
    private static final MessageDigest SHARED_MD = newSha256();
    private static final byte[] SHARED_SCRATCH = new byte[32];
    private final MessageDigest md;
    private final byte[] scratch;
    private final byte[] pads = new byte[128];

    private PadsDigest(byte[] key, MessageDigest md, byte[] scratch) {
      this.md = md;
      this.scratch = scratch;
      for (int i = 0; i < 64; i++) {
        byte b = i < key.length ? key[i] : 0;
        pads[i] = (byte) (b ^ 0x36);
        pads[64 + i] = (byte) (b ^ 0x5c);
      }
    }

    static PadsDigest perKey(byte[] key) {
      return new PadsDigest(key, newSha256(), new byte[32]);
    }

    static PadsDigest shared(byte[] key) {
      return new PadsDigest(key, SHARED_MD, SHARED_SCRATCH);
    }

    void mac(byte[] m, int off, int len, byte[] out, int outOff, int outLen) {
      try {
        md.update(pads, 0, 64);
        md.update(m, off, len);
        md.digest(scratch, 0, 32);
        md.update(pads, 64, 64);
        md.update(scratch, 0, 32);
        md.digest(scratch, 0, 32);
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
      System.arraycopy(scratch, 0, out, outOff, outLen);
    }

    private static MessageDigest newSha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

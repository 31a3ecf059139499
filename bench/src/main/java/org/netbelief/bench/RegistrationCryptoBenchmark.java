package org.netbelief.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.crypto.Keys;
import org.netbelief.punch.internal.HandshakeMemo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The public-key work of one registration, as the engines do it ({@link Identity#sign},
 * {@link Keys#verify}, {@link Keys#x25519Private}/{@link Keys#x25519Public},
 * {@link Keys#agree(byte[], byte[], int)}), against the JDK providers the engines used before
 * (the {@code jdk*} methods). A registration costs one signature, one verification, two X25519
 * key generations and two agreements; in a 10 000-peer simulation it was most of the CPU with the
 * JDK 17 providers (docs/simulation.md, Speed).
 *
 * <p>Run (after {@code ./mvnw -B -ntp -pl bench -am package -DskipTests}):
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar RegistrationCryptoBenchmark -f 1 -wi 2 -i 3 \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class RegistrationCryptoBenchmark {
  private final byte[] message = new byte[160];
  private Identity identity;
  private byte[] signature;
  private byte[] ours;
  private byte[] theirs;
  private SecureRandom random;
  private KeyPair jdkEd;
  private KeyPair jdkX;
  private byte[] jdkSignature;

  /** Keys and a signature from a fixed seed. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed("registration-crypto-benchmark".getBytes(StandardCharsets.US_ASCII));
    random.nextBytes(message);
    identity = Identity.generate(random);
    signature = identity.sign(Keys.REGISTER_DOMAIN, message, 0, message.length);
    ours = Keys.x25519Private(random);
    theirs = Keys.x25519Public(Keys.x25519Private(random));
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
    g.initialize(255, random);
    jdkEd = g.generateKeyPair();
    jdkX = Keys.x25519(random);
    jdkSignature = jdkSign();
  }

  /** Ed25519 signature over domain || message (Bouncy Castle). */
  @Benchmark
  public byte[] sign() {
    return identity.sign(Keys.REGISTER_DOMAIN, message, 0, message.length);
  }

  /** Ed25519 verification (Bouncy Castle). */
  @Benchmark
  public boolean verify() {
    return Keys.verify(identity.publicKey(), 0, Keys.REGISTER_DOMAIN, message, 0, message.length,
        signature, 0);
  }

  /** An ephemeral X25519 key pair (Bouncy Castle). */
  @Benchmark
  public byte[] x25519KeyPair() {
    return Keys.x25519Public(Keys.x25519Private(random));
  }

  /** One X25519 agreement (Bouncy Castle). */
  @Benchmark
  public byte[] agree() {
    return Keys.agree(ours, theirs, 0);
  }

  /** Ed25519 signature with the JDK's EdDSA provider. */
  @Benchmark
  public byte[] jdkSign() throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(jdkEd.getPrivate());
    s.update(Keys.REGISTER_DOMAIN);
    s.update(message);
    return s.sign();
  }

  /** Ed25519 verification with the JDK's EdDSA provider. */
  @Benchmark
  public boolean jdkVerify() throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(jdkEd.getPublic());
    s.update(Keys.REGISTER_DOMAIN);
    s.update(message);
    return s.verify(jdkSignature);
  }

  /** An ephemeral X25519 key pair with the JDK's XDH provider. */
  @Benchmark
  public KeyPair jdkX25519KeyPair() {
    return Keys.x25519(random);
  }

  /** One X25519 agreement with the JDK's XDH provider. */
  @Benchmark
  public byte[] jdkAgree() {
    return Keys.agree(jdkX.getPrivate(), theirs, 0);
  }

  /**
   * Opens the simulator's {@code HandshakeMemo} for one benchmark's trial and joins it from the
   * benchmark thread (thread-scoped state: JMH sets it up on that thread), so only the benchmark
   * that takes this state sees memoized results.
   */
  @State(Scope.Thread)
  public static class Memo {
    /** Opens the memo and joins it. */
    @Setup(Level.Trial)
    public void open() {
      HandshakeMemo.open(1024);
      HandshakeMemo.join();
    }

    /** Leaves and closes it. */
    @TearDown(Level.Trial)
    public void close() {
      HandshakeMemo.leave();
      HandshakeMemo.close();
    }
  }

  /**
   * A memo opened afresh for every iteration (so it never fills up), for the handshakes whose
   * keys are new on every call.
   */
  @State(Scope.Thread)
  public static class FreshMemo {
    /** Opens the memo and joins it. */
    @Setup(Level.Iteration)
    public void open() {
      HandshakeMemo.open(1 << 20);
      HandshakeMemo.join();
    }

    /** Leaves and closes it. */
    @TearDown(Level.Iteration)
    public void close() {
      HandshakeMemo.leave();
      HandshakeMemo.close();
    }
  }

  /**
   * One registration's public-key work, as the peer and the rendezvous do it, on keys and a
   * message never seen before (nothing repeats, so nothing is a memo hit): the peer's ephemeral
   * key pair and signature over a message that carries it, the rendezvous's verification, its
   * ephemeral key pair and agreement, and the peer's agreement.
   */
  private boolean handshake() {
    byte[] peerEph = Keys.x25519Private(random);
    byte[] peerX = Keys.x25519Public(peerEph);
    System.arraycopy(peerX, 0, message, 0, peerX.length); // the signed proof carries the key
    byte[] sig = identity.sign(Keys.REGISTER_DOMAIN, message, 0, message.length);
    boolean valid = Keys.verify(identity.publicKey(), 0, Keys.REGISTER_DOMAIN, message, 0, message.length,
        sig, 0);
    byte[] rvEph = Keys.x25519Private(random);
    byte[] rvX = Keys.x25519Public(rvEph);
    byte[] rvShared = Keys.agree(rvEph, peerX, 0);
    byte[] peerShared = Keys.agree(peerEph, rvX, 0);
    return valid && rvShared[0] == peerShared[0];
  }

  /** {@link #handshake} computed in full: what a real peer and rendezvous spend. */
  @Benchmark
  public boolean handshakeComputed() {
    return handshake();
  }

  /**
   * {@link #handshake} inside the simulator's memo: the verification of a signature the process
   * made, and the second side of the agreement, are stored facts (HandshakeMemo, "Results known
   * without computing them"), so one signature, two key pairs and one agreement are computed.
   * Compare with {@link #handshakeComputed}.
   */
  @Benchmark
  public boolean handshakeInMemo(FreshMemo memo) {
    return handshake();
  }

  /**
   * One X25519 agreement answered by the simulator's {@code HandshakeMemo} (the four policy runs
   * repeat most handshakes): the lookup copies the 64 key bytes and the 32-byte result. Compare
   * with {@link #agree}, which computes it.
   */
  @Benchmark
  public byte[] agreeMemoHit(Memo memo) {
    return Keys.agree(ours, theirs, 0);
  }
}

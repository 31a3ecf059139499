package org.netbelief.punch.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shares the results of the registration handshake's public-key operations (X25519 public keys
 * and agreements, Ed25519 signatures and verifications) between runs in one process that repeat
 * the same handshakes: the simulator's four policy runs of one seeded population. Internal: only
 * {@code Simulate} opens it, and outside an open memo {@code Keys} and {@code Identity} compute
 * every result as before.
 *
 * <p><b>Why it is exact.</b> Each operation is a pure function of its input bytes: X25519 of (scalar,
 * point), and Ed25519 signing is deterministic (RFC 8032) given (seed, message), verification
 * given (key, message, signature). The memo is keyed by all of those bytes, so a hit returns
 * the bytes the computation would have returned. The four runs draw the same ephemeral keys and
 * cookies from the same seeded generators until their policies diverge, so most handshakes (every
 * first registration, which is most of them) repeat across the runs: at 1 000 simulated peers,
 * 2 348 distinct X25519 scalars served 8 532 agreements in the four runs.
 *
 * <p><b>Results known without computing them.</b> Two more kinds of entry are stored as facts of
 * the mathematics, not of a computation, and are just as exact:
 * <ul>
 *   <li>A signature made inside the memo verifies under its signer's key: RFC 8032 verification
 *       accepts every signature its signing makes with the matching key (section 5.1.7 checks the
 *       equation that signing satisfies by construction). {@code Identity.sign} stores "valid"
 *       for (its public key, the message, the signature), so the rendezvous' check of a
 *       registration the same process signed is a hit. Any other bytes miss and are computed.
 *   <li>X25519 agreement is symmetric: {@code X25519(a, X25519(b, 9)) == X25519(b, X25519(a, 9))}
 *       for any two scalars (RFC 7748 section 6.1; both are the clamped scalars' product times
 *       the base point). When {@code Keys.agree(a, B)} computes a secret and the memo knows the
 *       scalar {@code b} behind {@code B} (a {@link #X25519_OWNER} entry) and {@code A =
 *       X25519(a, 9)}, it stores the secret for {@code (b, A)} as well: the rendezvous computes
 *       its side of a registration first, and the peer's side is then a hit.
 * </ul>
 * Together they take a registration from one signature, one verification, two public keys and
 * two agreements computed to one signature, two public keys and one agreement.
 *
 * <p><b>Cost and bounds.</b> A lookup copies its key bytes (at most a few hundred bytes) into one
 * array: registrations only, never per data packet. At most {@code maxEntries} results are kept;
 * beyond that new results are computed and not stored. The memo holds private scalars and seeds
 * in memory while open, which is why it is for simulations only.
 *
 * <p><b>Scope.</b> An open memo serves only the threads that {@link #join} it (the simulator's
 * run threads, each for the length of its run): a peer or rendezvous running on any other thread
 * of the same process, while a simulation runs, computes everything itself and never has its
 * keys stored. Results are copied in and out, so no caller shares an array with another.
 *
 * <p>Thread-safe: the runs share it from their own threads. Opens nest: the memo empties when
 * the last {@link #close} matches the first {@link #open}.
 */
public final class HandshakeMemo {
  /** Operation tags, the first byte of every key. */
  public static final byte X25519_PUBLIC = 1;
  /** X25519 agreement. */
  public static final byte X25519_AGREE = 2;
  /** Ed25519 signature. */
  public static final byte ED25519_SIGN = 3;
  /** Ed25519 verification. */
  public static final byte ED25519_VERIFY = 4;
  /**
   * The private scalar behind an X25519 public key computed inside the memo (a reverse entry,
   * stored beside each {@link #X25519_PUBLIC} result): lets an agreement answer its mirror.
   */
  public static final byte X25519_OWNER = 5;

  private static final Object LOCK = new Object();
  private static int opens;
  /** Null when no memo is open: the common case outside the simulator costs one volatile read. */
  private static volatile Table table;

  private static final class Table {
    final ConcurrentHashMap<Key, byte[]> results = new ConcurrentHashMap<>();
    final AtomicLong hits = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    final int maxEntries;

    Table(int maxEntries) {
      this.maxEntries = maxEntries;
    }
  }

  /** Content-compared key bytes. */
  private static final class Key {
    final byte[] bytes;
    final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).hash == hash && Arrays.equals(((Key) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private HandshakeMemo() {}

  /**
   * Opens the memo (or joins the one open) for at most {@code maxEntries} results.
   *
   * @throws IllegalArgumentException for {@code maxEntries} &lt; 1
   */
  public static void open(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
    }
    synchronized (LOCK) {
      if (opens++ == 0) {
        table = new Table(maxEntries);
      }
    }
  }

  /** Closes one {@link #open}; the last close drops every result. */
  public static void close() {
    synchronized (LOCK) {
      if (opens == 0) {
        throw new IllegalStateException("HandshakeMemo.close without open");
      }
      if (--opens == 0) {
        table = null;
      }
    }
  }

  /** The open memo this thread joined, or null: the crypto of any other thread bypasses it. */
  private static final ThreadLocal<Table> JOINED = new ThreadLocal<>();

  /**
   * Makes the calling thread use the open memo until {@link #leave}.
   *
   * @throws IllegalStateException when no memo is open
   */
  public static void join() {
    Table t = table;
    if (t == null) {
      throw new IllegalStateException("HandshakeMemo.join without open");
    }
    JOINED.set(t);
  }

  /** The calling thread stops using the memo (nothing when it had not joined). */
  public static void leave() {
    JOINED.remove();
  }

  /** Whether the calling thread has joined a memo that is still open. */
  public static boolean isOpen() {
    Table t = JOINED.get();
    return t != null && t == table;
  }

  /** Lookups answered from the memo since it was opened (0 when closed). */
  public static long hits() {
    Table t = table;
    return t == null ? 0 : t.hits.get();
  }

  /** Lookups that had to compute since the memo was opened (0 when closed). */
  public static long misses() {
    Table t = table;
    return t == null ? 0 : t.misses.get();
  }

  /**
   * The key of operation {@code op} on two byte ranges: {@code op}, then each range's length and
   * bytes (the lengths keep two different splits of the same bytes apart). Allocates; call only
   * while {@link #isOpen()}. A range of length 0 may have a null array.
   */
  public static Object key(byte op, byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
    return key(op, a, aOff, aLen, b, bOff, bLen, null, 0, 0, null, 0, 0);
  }

  /** As {@link #key(byte, byte[], int, int, byte[], int, int)} with up to four ranges (null: absent). */
  public static Object key(byte op, byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen,
      byte[] c, int cOff, int cLen, byte[] d, int dOff, int dLen) {
    int n = 1 + 4 * 4 + aLen + bLen + (c == null ? 0 : cLen) + (d == null ? 0 : dLen);
    byte[] k = new byte[n];
    k[0] = op;
    int p = put(k, 1, a, aOff, aLen);
    p = put(k, p, b, bOff, bLen);
    p = put(k, p, c, cOff, c == null ? 0 : cLen);
    put(k, p, d, dOff, d == null ? 0 : dLen);
    return new Key(k);
  }

  private static int put(byte[] k, int p, byte[] src, int off, int len) {
    k[p] = (byte) (len >>> 24);
    k[p + 1] = (byte) (len >>> 16);
    k[p + 2] = (byte) (len >>> 8);
    k[p + 3] = (byte) len;
    if (len > 0) {
      System.arraycopy(src, off, k, p + 4, len);
    }
    return p + 4 + len;
  }

  /**
   * The stored result for {@code key} (a copy: callers may keep or change it), or null when none
   * is stored, the memo is closed or this thread has not joined it.
   */
  public static byte[] get(Object key) {
    return find(key, true);
  }

  /**
   * As {@link #get}, without counting a hit or a miss: for the reverse and mirror entries that
   * an operation looks up to store more, never to answer its own caller.
   */
  public static byte[] peek(Object key) {
    return find(key, false);
  }

  private static byte[] find(Object key, boolean count) {
    Table t = JOINED.get();
    if (t == null || t != table) {
      return null;
    }
    byte[] r = t.results.get((Key) key);
    if (count) {
      (r == null ? t.misses : t.hits).incrementAndGet();
    }
    return r == null ? null : r.clone();
  }

  /**
   * Stores a copy of {@code result} for {@code key}, unless the memo is closed or full or this
   * thread has not joined it.
   */
  public static void put(Object key, byte[] result) {
    Table t = JOINED.get();
    if (t != null && t == table && t.results.size() < t.maxEntries) {
      t.results.putIfAbsent((Key) key, result.clone());
    }
  }
}

package org.netbelief.punch.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * HMAC-SHA256 from precomputed pad states: a key's words are the SHA-256 chaining values after
 * the one block {@code K ^ ipad} (words 0-3) and after {@code K ^ opad} (words 4-7), each as four
 * words of two 32-bit values. A MAC then resumes the inner hash from the first, compresses the
 * message and its padding (one block up to 55 bytes), and resumes the outer hash from the second
 * over the 32-byte inner hash (one block): two compressions, where hashing the pads again costs
 * four. At 10 000 simulated peers the four policy runs compute 74 million MACs.
 *
 * <p><b>Why it reaches into the JDK.</b> {@code MessageDigest} cannot start from a given state, and
 * SHA-256 in plain Java is 2.8-4.6 times slower than the JDK's, whose compression function
 * ({@code sun.security.provider.SHA2.implCompress}) the JIT replaces by the CPU's SHA
 * instructions. This engine calls that method on a digest object of its own whose {@code state}
 * array it sets, through a method handle, so the JIT still inlines and replaces the call: 121 ns
 * a MAC of a 44-byte frame here, against 215 ns for the pads hashed each time
 * ({@code HmacBenchmark}, one key). It needs the JVM
 * option {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED} (the launcher, the build's
 * tests and the benchmarks pass it; on the module path, name this module instead of
 * {@code ALL-UNNAMED}). {@link #create} returns null when the package is not open, when the JDK's
 * internals differ from what this expects, or when the result of a known-answer test differs
 * (RFC 4231 test cases 1, 2, 6 and 7): {@link Hmac256} then
 * uses {@link DigestHmacEngine}, and the bytes are the same either way.
 *
 * <p>Each thread has its own digest object, block buffer and output; nothing is shared.
 */
final class CompressHmacEngine extends HmacEngine {
    /** SHA-256's initial chaining values (FIPS 180-4, 5.3.3). */
    private static final int[] IV = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    /** Bit length of an outer hash's input: the opad block and the 32-byte inner hash. */
    private static final long OUTER_BITS = 8L * (BLOCK + Hmac256.LENGTH);

    /*
     * The handles are static finals so that the JIT takes them as constants: it then inlines
     * the call to implCompress and replaces it by the SHA instructions. (Final fields of an
     * instance are not constants to it, and a call through such a handle is neither inlined nor
     * replaced.) All three are null when the internals cannot be reached.
     */
    /** {@code (Object digest, byte[] block, int offset) -> void}: SHA2.implCompress, bounds-checked. */
    private static final MethodHandle COMPRESS;
    /** {@code (Object digest) -> int[]}: the digest's chaining values, updated in place. */
    private static final VarHandle STATE;
    /** {@code () -> Object}: a new SHA2.SHA256 digest. */
    private static final MethodHandle NEW_DIGEST;

    static {
        MethodHandle compress = null;
        VarHandle state = null;
        MethodHandle newDigest = null;
        try {
            Class<?> sha2 = Class.forName("sun.security.provider.SHA2");
            Class<?> sha256 = Class.forName("sun.security.provider.SHA2$SHA256");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(sha2, MethodHandles.lookup());
            compress = lookup.findVirtual(sha2, "implCompress",
                    MethodType.methodType(void.class, byte[].class, int.class))
                    .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class));
            state = lookup.findVarHandle(sha2, "state", int[].class);
            newDigest = MethodHandles.privateLookupIn(sha256, MethodHandles.lookup())
                    .findConstructor(sha256, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
        } catch (Throwable t) { // not open, not there, or not as expected: the fallback serves
            compress = null;
            state = null;
            newDigest = null;
        }
        COMPRESS = compress;
        STATE = state;
        NEW_DIGEST = newDigest;
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(CompressHmacEngine::newWork);

    private CompressHmacEngine() {}

    /**
     * The engine, or null when the JDK's SHA-256 internals cannot be reached or do not give the
     * known answers (see the class comment). Never throws.
     */
    static CompressHmacEngine create() {
        if (COMPRESS == null) {
            return null;
        }
        try {
            CompressHmacEngine e = new CompressHmacEngine();
            return e.passesKnownAnswers() ? e : null;
        } catch (RuntimeException | Error e) { // e.g. a digest object that cannot be made
            return null;
        }
    }

    /**
     * RFC 4231 test cases 1, 2, 6 and 7: short keys, and a 131-byte key (hashed first) with a
     * one-block and a 152-byte, three-block message.
     */
    private boolean passesKnownAnswers() {
        byte[] key1 = new byte[20];
        Arrays.fill(key1, (byte) 0x0b);
        byte[] key6 = new byte[131];
        Arrays.fill(key6, (byte) 0xaa);
        return knownAnswer(key1, "Hi There",
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
                && knownAnswer("Jefe".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        "what do ya want for nothing?",
                        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
                && knownAnswer(key6, "Test Using Larger Than Block-Size Key - Hash Key First",
                        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
                && knownAnswer(key6, "This is a test using a larger than block-size key and a larger than"
                        + " block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
                        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    }

    private boolean knownAnswer(byte[] key, String message, String hex) {
        long[] s = keyState(key);
        byte[] m = message.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] got = compute(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], m, 0, m.length, null, 0, 0);
        return Keys.hex(got).equals(hex);
    }

    private static Work newWork() {
        try {
            Object digest = NEW_DIGEST.invokeExact();
            return new Work(digest, (int[]) STATE.get(digest));
        } catch (Throwable t) {
            throw new IllegalStateException("cannot make a SHA-256 digest", t);
        }
    }

    @Override
    long[] keyState(byte[] key) {
        byte[] k = blockKey(key);
        Work w = WORK.get();
        byte[] b = w.block;
        long[] s = new long[Hmac256.STATE_WORDS];
        for (int half = 0; half < 2; half++) {
            byte pad = half == 0 ? (byte) 0x36 : (byte) 0x5c;
            for (int i = 0; i < BLOCK; i++) {
                b[i] = (byte) ((i < k.length ? k[i] : 0) ^ pad);
            }
            System.arraycopy(IV, 0, w.state, 0, 8);
            compress(w, b, 0);
            for (int i = 0; i < 4; i++) {
                s[4 * half + i] = (long) w.state[2 * i] << 32 | (w.state[2 * i + 1] & 0xFFFFFFFFL);
            }
        }
        return s;
    }

    @Override
    byte[] hash(long s0, long s1, long s2, long s3, long s4, long s5, long s6, long s7, byte[] m, int off, int len,
            byte[] m2, int off2, int len2) {
        Work w = WORK.get();
        int[] st = w.state;
        byte[] b = w.block;
        // Inner hash: resume after K ^ ipad.
        setState(st, s0, s1, s2, s3);
        int fill = absorb(w, m, off, len, 0);
        if (len2 > 0) {
            fill = absorb(w, m2, off2, len2, fill);
        }
        finish(w, fill, 8L * (BLOCK + (long) len + len2));
        // Outer hash: resume after K ^ opad, over the inner hash and its padding, one block.
        for (int i = 0; i < 8; i++) {
            INTS.set(b, 4 * i, st[i]);
        }
        b[32] = (byte) 0x80;
        Arrays.fill(b, 33, 56, (byte) 0);
        LONGS.set(b, 56, OUTER_BITS);
        setState(st, s4, s5, s6, s7);
        compress(w, b, 0);
        byte[] out = w.out;
        for (int i = 0; i < 8; i++) {
            INTS.set(out, 4 * i, st[i]);
        }
        return out;
    }

    private static void setState(int[] st, long a, long b, long c, long d) {
        st[0] = (int) (a >>> 32);
        st[1] = (int) a;
        st[2] = (int) (b >>> 32);
        st[3] = (int) b;
        st[4] = (int) (c >>> 32);
        st[5] = (int) c;
        st[6] = (int) (d >>> 32);
        st[7] = (int) d;
    }

    /** Hashes {@code m[off, off+len)} after {@code fill} bytes already in the block; returns the new fill. */
    private static int absorb(Work w, byte[] m, int off, int len, int fill) {
        byte[] b = w.block;
        while (len > 0) {
            if (fill == 0 && len >= BLOCK) { // a whole block in place, no copy
                compress(w, m, off);
                off += BLOCK;
                len -= BLOCK;
                continue;
            }
            int n = Math.min(BLOCK - fill, len);
            System.arraycopy(m, off, b, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == BLOCK) {
                compress(w, b, 0);
                fill = 0;
            }
        }
        return fill;
    }

    /** SHA-256 padding (0x80, zeros, the bit length) after {@code fill} bytes, and the last compression(s). */
    private static void finish(Work w, int fill, long bits) {
        byte[] b = w.block;
        b[fill++] = (byte) 0x80;
        if (fill > BLOCK - 8) { // no room for the length: one more block
            Arrays.fill(b, fill, BLOCK, (byte) 0);
            compress(w, b, 0);
            fill = 0;
        }
        Arrays.fill(b, fill, BLOCK - 8, (byte) 0);
        LONGS.set(b, BLOCK - 8, bits);
        compress(w, b, 0);
    }

    /** One SHA-256 compression of {@code a[off, off+64)} into the thread's digest state. */
    private static void compress(Work w, byte[] a, int off) {
        try {
            COMPRESS.invokeExact(w.digest, a, off);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) { // implCompress declares nothing checked
            throw new IllegalStateException(t);
        }
    }

    /** One thread's digest object, its chaining values, a block buffer and the output. */
    private static final class Work {
        final Object digest;
        final int[] state;
        final byte[] block = new byte[BLOCK];
        final byte[] out = new byte[Hmac256.LENGTH];

        Work(Object digest, int[] state) {
            this.digest = digest;
            this.state = state;
        }
    }
}

package org.netbelief.punch.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PacketPoolTest {
  /*
   * Random acquires, rewrites and releases, far past the initial slots (so the pool grows with
   * packets in flight): every packet in flight keeps its own endpoints, length and payload, and
   * no two packets in flight share a slot.
   */
  @Test
  void slots_randomTrafficThroughGrowth_keepTheirPackets() {
    PacketPool pool = new PacketPool(2);
    SplittableRandom r = new SplittableRandom(3);
    Map<Integer, long[]> live = new HashMap<>(); // slot -> {src, dst, length, payload seed}
    List<Integer> slots = new ArrayList<>();
    byte[] buf = new byte[PacketPool.MAX_PAYLOAD + 10];
    for (int i = 0; i < 50_000; i++) {
      int op = r.nextInt(10);
      if (slots.isEmpty() || op < (i % 4000 < 2000 ? 6 : 3)) {
        int length = r.nextInt(4) == 0 ? PacketPool.MAX_PAYLOAD : r.nextInt(200);
        int offset = r.nextInt(10);
        long seed = r.nextLong();
        new SplittableRandom(seed).nextBytes(buf);
        long src = r.nextLong();
        long dst = r.nextLong();
        int slot = pool.acquire(src, dst, buf, offset, length);
        assertThat(live).doesNotContainKey(slot);
        live.put(slot, new long[] {src, dst, length, seed, offset});
        slots.add(slot);
      } else if (op < 7) {
        int slot = slots.get(r.nextInt(slots.size()));
        long[] e = live.get(slot);
        if (r.nextBoolean()) {
          e[0] = r.nextLong();
          pool.setSrc(slot, e[0]);
        } else {
          e[1] = r.nextLong();
          pool.setDst(slot, e[1]);
        }
      } else {
        int slot = slots.remove(r.nextInt(slots.size()));
        long[] e = live.remove(slot);
        assertThat(pool.src(slot)).isEqualTo(e[0]);
        assertThat(pool.dst(slot)).isEqualTo(e[1]);
        assertThat(pool.length(slot)).isEqualTo((int) e[2]);
        new SplittableRandom(e[3]).nextBytes(buf);
        int off = (int) e[4];
        assertThat(Arrays.copyOf(pool.data(slot), (int) e[2]))
            .isEqualTo(Arrays.copyOfRange(buf, off, off + (int) e[2]));
        pool.release(slot);
      }
      assertThat(pool.inFlight()).isEqualTo(live.size());
    }
  }
}

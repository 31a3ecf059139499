package org.netbelief.punch.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbelief.punch.PathObserver;

class TraceRoundTripTest {
  @TempDir Path dir;

  /** Records every call as a string, so two sequences of calls can be compared. */
  static final class Recording implements PathObserver {
    final List<String> calls = new ArrayList<>();
    final String host;

    Recording(String host) {
      this.host = host;
    }

    @Override
    public void onPathCreated(long k, String peer, InetSocketAddress r, int kind, boolean same) {
      calls.add(host + " path " + k + " " + peer + " " + r.getHostString() + ":" + r.getPort()
          + " " + kind + " " + same);
    }

    @Override
    public void onSend(long k, int probe, long t) {
      calls.add(host + " send " + k + " " + probe + " " + t);
    }

    @Override
    public void onAck(long k, int probe, long rtt, long t) {
      calls.add(host + " ack " + k + " " + probe + " " + rtt + " " + t);
    }

    @Override
    public void onTimeout(long k, int probe, long t) {
      calls.add(host + " timeout " + k + " " + probe + " " + t);
    }

    @Override
    public void onSilencePass(long k, long g, long t) {
      calls.add(host + " pass " + k + " " + g + " " + t);
    }

    @Override
    public void onSilenceFail(long k, long g, long t) {
      calls.add(host + " fail " + k + " " + g + " " + t);
    }

    @Override
    public void onRendezvousAnswer(long rtt, long t) {
      calls.add(host + " rv " + rtt + " " + t);
    }

    @Override
    public void onRendezvousTimeout(long t) {
      calls.add(host + " rvto " + t);
    }
  }

  private static void drive(PathObserver a, PathObserver b) {
    a.onRendezvousAnswer(12_000_000, 5);
    a.onPathCreated(-7L, "peer\"quoted\"", new InetSocketAddress("198.51.100.7", 4500), 1, false);
    a.onSend(-7L, PathObserver.PROBE_INTRO, 10);
    b.onPathCreated(42L, "p2", new InetSocketAddress("2001:db8::1", 9), 2, true);
    b.onTimeout(42L, PathObserver.PROBE_INTRO, 11);
    a.onAck(-7L, PathObserver.PROBE_INTRO, 30_000_000, 40);
    a.onSilencePass(-7L, 25_000_000_000L, 50);
    a.onSilenceFail(-7L, 125_000_000_000L, 60);
    a.onSend(-7L, PathObserver.PROBE_KEEPALIVE, 61);
    b.onRendezvousTimeout(70);
  }

  @Test
  void writeThenReplay_reproducesEveryCallInOrder() throws IOException {
    Path file = dir.resolve("t.jsonl");
    List<String> expected = new ArrayList<>();
    Recording directA = new Recording("a");
    Recording directB = new Recording("b");
    drive(new Tee(directA, expected), new Tee(directB, expected));
    try (TraceWriter w = TraceWriter.open(Files.newBufferedWriter(file), "test", 99)) {
      drive(w.forHost("a"), w.forHost("b"));
      assertThat(w.events()).isEqualTo(10);
    }
    List<String> replayed = new ArrayList<>();
    TraceReader.Result r = TraceReader.replay(file, TraceReader.Mode.STRICT,
        host -> new Tee(new Recording(host), replayed));
    assertThat(r.events()).isEqualTo(10);
    assertThat(r.seed()).isEqualTo(99);
    assertThat(r.source()).isEqualTo("test");
    assertThat(replayed).containsExactlyElementsOf(expected);
  }

  @Test
  void networkEvidence_roundTripsExactly_andBadMassesAreRefused() throws IOException {
    StringWriter sw = new StringWriter();
    float s = 123.456f;
    try (TraceWriter w = TraceWriter.open(sw, "test", 1)) {
      w.forHost("a").onNetworkEvidence(0x13, 0x33, s, 0.0, 77);
    }
    Path file = dir.resolve("net.jsonl");
    Files.writeString(file, sw.toString(), StandardCharsets.UTF_8);
    List<String> seen = new ArrayList<>();
    TraceReader.replay(file, TraceReader.Mode.STRICT, host -> new PathObserver() {
      @Override
      public void onNetworkEvidence(int own, int remote, double sm, double fm, long t) {
        seen.add(own + ">" + remote + " " + sm + " " + fm + " " + t);
      }
    });
    assertThat(seen).containsExactly("19>51 " + (double) s + " 0.0 77");
    Files.writeString(file, sw.toString().replace("\"failure\":0.0", "\"failure\":-1.0"),
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TraceReader.replay(file, TraceReader.Mode.STRICT,
        h -> PathObserver.NONE)).isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("failure");
  }

  @Test
  void natClasses_roundTrip_andAreAbsentWhenUnknown() throws IOException {
    StringWriter sw = new StringWriter();
    try (TraceWriter w = TraceWriter.open(sw, "test", 1)) {
      w.forHost("a").onPathCreated(1, "p", new InetSocketAddress("198.51.100.7", 1), 1, false,
          0x13, 0x33);
      w.forHost("a").onPathCreated(2, "q", new InetSocketAddress("198.51.100.8", 1), 1, false);
    }
    assertThat(sw.toString()).contains("\"ownNat\":19,\"remoteNat\":51")
        .containsOnlyOnce("ownNat");
    Path file = dir.resolve("nat.jsonl");
    Files.writeString(file, sw.toString(), StandardCharsets.UTF_8);
    List<String> seen = new ArrayList<>();
    TraceReader.replay(file, TraceReader.Mode.STRICT, host -> new PathObserver() {
      @Override
      public void onPathCreated(long k, String peer, InetSocketAddress r, int kind, boolean same,
          int own, int remote) {
        seen.add(k + ":" + own + ">" + remote);
      }
    });
    assertThat(seen).containsExactly("1:19>51", "2:0>0");
    Files.writeString(file, sw.toString().replace("\"remoteNat\":51", "\"remoteNat\":64"),
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TraceReader.replay(file, TraceReader.Mode.STRICT,
        h -> PathObserver.NONE)).isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("remoteNat");
  }

  @Test
  void malformedLines_strictRefusesWithLineNumber_lenientSkipsAndCounts() throws IOException {
    StringWriter sw = new StringWriter();
    try (TraceWriter w = TraceWriter.open(sw, "test", 1)) {
      w.forHost("a").onSend(5, PathObserver.PROBE_INTRO, 10);
    }
    String good = sw.toString();
    String bad = good
        + "{\"t\":11,\"host\":\"a\",\"ev\":\"teleport\"}\n"
        + "not json at all\n"
        + "{\"t\":\"late\",\"host\":\"a\",\"ev\":\"send\",\"path\":\"5\",\"probe\":\"intro\"}\n"
        + "{\"t\":12,\"host\":\"a\",\"ev\":\"ack\",\"path\":\"5\",\"probe\":\"intro\",\"rttNanos\":-3}\n"
        + "{\"t\":13,\"host\":\"a\",\"ev\":\"send\",\"path\":\"5\",\"probe\":\"intro\"}\n";
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, bad, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TraceReader.replay(file, TraceReader.Mode.STRICT, h -> PathObserver.NONE))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("bad.jsonl:3")
        .hasMessageContaining("teleport");
    TraceReader.Result r = TraceReader.replay(file, TraceReader.Mode.LENIENT, h -> PathObserver.NONE);
    assertThat(r.events()).isEqualTo(2);
    assertThat(r.skipped()).isEqualTo(4);
    assertThat(r.problems()).hasSize(4);
    assertThat(r.problems().get(0)).startsWith("line 3:");
    assertThat(r.problems().get(1)).startsWith("line 4:").contains("not JSON");
    assertThat(r.problems().get(2)).startsWith("line 5:").contains("\"t\"");
    assertThat(r.problems().get(3)).startsWith("line 6:").contains("rttNanos");
  }

  @Test
  void header_missingOrWrongVersion_isRefused() throws IOException {
    Path file = dir.resolve("h.jsonl");
    Files.writeString(file, "");
    assertThatThrownBy(() -> TraceReader.replay(file, TraceReader.Mode.LENIENT, h -> PathObserver.NONE))
        .hasMessageContaining("h.jsonl:1").hasMessageContaining("empty");
    Files.writeString(file, "{\"trace\":\"netbelief\",\"version\":7}\n");
    assertThatThrownBy(() -> TraceReader.replay(file, TraceReader.Mode.LENIENT, h -> PathObserver.NONE))
        .hasMessageContaining("version 7");
  }

  /** Forwards to a recorder and appends its last call to a shared list. */
  static final class Tee implements PathObserver {
    final Recording rec;
    final List<String> sink;

    Tee(Recording rec, List<String> sink) {
      this.rec = rec;
      this.sink = sink;
    }

    private void last() {
      sink.add(rec.calls.get(rec.calls.size() - 1));
    }

    @Override
    public void onPathCreated(long k, String p, InetSocketAddress r, int kind, boolean s) {
      rec.onPathCreated(k, p, r, kind, s);
      last();
    }

    @Override
    public void onSend(long k, int probe, long t) {
      rec.onSend(k, probe, t);
      last();
    }

    @Override
    public void onAck(long k, int probe, long rtt, long t) {
      rec.onAck(k, probe, rtt, t);
      last();
    }

    @Override
    public void onTimeout(long k, int probe, long t) {
      rec.onTimeout(k, probe, t);
      last();
    }

    @Override
    public void onSilencePass(long k, long g, long t) {
      rec.onSilencePass(k, g, t);
      last();
    }

    @Override
    public void onSilenceFail(long k, long g, long t) {
      rec.onSilenceFail(k, g, t);
      last();
    }

    @Override
    public void onRendezvousAnswer(long rtt, long t) {
      rec.onRendezvousAnswer(rtt, t);
      last();
    }

    @Override
    public void onRendezvousTimeout(long t) {
      rec.onRendezvousTimeout(t);
      last();
    }
  }
}

package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.Engine;
import org.netbelief.punch.wire.DropReason;

/**
 * The adapter's shared datagram buffers and its endpoint caches: a datagram an engine is still
 * reading is never overwritten by a delivery nested inside its handler, and the caches convert
 * every endpoint right however often their slots are evicted.
 */
class EngineApplicationTest {
  static final long MS = 1_000_000L;

  /** A scripted engine: records what it received and runs a reaction per datagram. */
  static final class ScriptedEngine implements Engine {
    interface Reaction {
      void on(ScriptedEngine self, ByteBuffer datagram, InetSocketAddress from, long now);
    }

    final List<String> received = new ArrayList<>();
    final List<InetSocketAddress> senders = new ArrayList<>();
    EngineApplication app;
    Reaction reaction = (self, d, f, n) -> { };

    @Override
    public void onDatagram(ByteBuffer datagram, InetSocketAddress from, long nowNanos) {
      byte[] copy = new byte[datagram.remaining()];
      datagram.get(datagram.position(), copy);
      received.add(new String(copy, java.nio.charset.StandardCharsets.US_ASCII));
      senders.add(from);
      reaction.on(this, datagram, from, nowNanos);
    }

    @Override
    public void onTimer(long nowNanos) {}

    @Override
    public long nextDeadlineNanos() {
      return Long.MAX_VALUE;
    }

    @Override
    public long drops(DropReason reason) {
      return 0;
    }

    @Override
    public long totalDrops() {
      return 0;
    }

    void send(String text, InetSocketAddress to) {
      app.send(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), to);
    }
  }

  static ScriptedEngine engineOn(SimNetwork net, int host, int port) {
    ScriptedEngine e = new ScriptedEngine();
    EngineApplication app = new EngineApplication(null);
    app.attach(e, null);
    e.app = app;
    net.bind(host, port, app);
    return e;
  }

  static String text(ByteBuffer b) {
    byte[] copy = new byte[b.remaining()];
    b.get(b.position(), copy);
    return new String(copy, java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void onDatagram_engineSendsWhileHandlingOverIdealLinks_outerDatagramIntact() {
    // Ideal links deliver at once: A's answer reaches B inside A's handler, and B's answer
    // reaches A inside B's handler inside A's: three nested deliveries. Each handler reads its
    // datagram again after the nested ones returned; with one shared buffer for all levels it
    // would read the innermost datagram instead.
    SimNetwork net = new SimNetwork(1);
    int ha = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"), LinkProfile.IDEAL);
    int hb = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.2"), LinkProfile.IDEAL);
    ScriptedEngine a = engineOn(net, ha, 4000);
    ScriptedEngine b = engineOn(net, hb, 4000);
    InetSocketAddress toA = Endpoints.toSocketAddress(Endpoints.parse("192.0.2.1:4000"));
    InetSocketAddress toB = Endpoints.toSocketAddress(Endpoints.parse("192.0.2.2:4000"));
    List<String> afterNested = new ArrayList<>();
    a.reaction = (self, d, from, now) -> {
      String mine = text(d);
      if (mine.equals("ping-1")) {
        self.send("pong-longer-answer-1", toB);
      }
      afterNested.add("A read " + mine + " then " + text(d));
    };
    b.reaction = (self, d, from, now) -> {
      String mine = text(d);
      if (mine.startsWith("pong")) {
        self.send("x", toA);
      }
      afterNested.add("B read " + mine + " then " + text(d));
    };
    net.runUntil(0); // start both sockets
    net.at(MS, now -> b.send("ping-1", toA));
    net.runUntil(2 * MS);

    assertThat(a.received).containsExactly("ping-1", "x");
    assertThat(b.received).containsExactly("pong-longer-answer-1");
    // Innermost first: each level still sees its own datagram after the nested ones.
    assertThat(afterNested).containsExactly(
        "A read x then x",
        "B read pong-longer-answer-1 then pong-longer-answer-1",
        "A read ping-1 then ping-1");
    assertThat(SimNetwork.buffersOf(a.app.socket()).depth()).isZero();
  }

  @Test
  void onStart_adaptersOnOneNetwork_shareOneSetOfBuffers() {
    SimNetwork net = new SimNetwork(1);
    SimNetwork other = new SimNetwork(2);
    int h1 = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"), LinkProfile.IDEAL);
    int h2 = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.2"), LinkProfile.IDEAL);
    int h3 = other.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"), LinkProfile.IDEAL);
    ScriptedEngine e1 = engineOn(net, h1, 4000);
    ScriptedEngine e2 = engineOn(net, h2, 4000);
    ScriptedEngine e3 = engineOn(other, h3, 4000);
    net.runUntil(0);
    other.runUntil(0);
    assertThat(SimNetwork.buffersOf(e1.app.socket()))
        .isSameAs(SimNetwork.buffersOf(e2.app.socket()))
        .isNotSameAs(SimNetwork.buffersOf(e3.app.socket()));
  }

  @Test
  void send_directBufferThroughSharedScratch_arrivesIntact() {
    SimNetwork net = new SimNetwork(1);
    int ha = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"), LinkProfile.IDEAL);
    int hb = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.2"), LinkProfile.IDEAL);
    ScriptedEngine a = engineOn(net, ha, 4000);
    ScriptedEngine b = engineOn(net, hb, 4000);
    InetSocketAddress toB = Endpoints.toSocketAddress(Endpoints.parse("192.0.2.2:4000"));
    net.runUntil(0);
    ByteBuffer direct = ByteBuffer.allocateDirect(16);
    direct.put("direct".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).flip();
    a.app.send(direct, toB);
    net.runUntil(MS);
    assertThat(b.received).containsExactly("direct");
    assertThat(direct.remaining()).isEqualTo(6); // the engine's buffer is not consumed
  }

  @Test
  void caches_moreEndpointsThanSlots_everyPacketConvertedRight() {
    // 2 slots per cache, 40 senders and 40 destinations in turn: slots are evicted on nearly
    // every packet, and every sender must still be seen as itself and every packet must go to
    // the address object it was sent to.
    SimNetwork net = new SimNetwork(1);
    int hub = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"), LinkProfile.IDEAL);
    ScriptedEngine center = new ScriptedEngine();
    EngineApplication app = new EngineApplication(null, 2);
    app.attach(center, null);
    center.app = app;
    net.bind(hub, 4000, app);
    int n = 40;
    ScriptedEngine[] spokes = new ScriptedEngine[n];
    InetSocketAddress[] spokeAddr = new InetSocketAddress[n];
    for (int i = 0; i < n; i++) {
      String addr = "198.51.100." + (i + 1);
      int h = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress(addr), LinkProfile.ofMillis(1, 0, 0));
      spokes[i] = engineOn(net, h, 5000 + i);
      spokeAddr[i] = new InetSocketAddress(addr, 5000 + i);
    }
    InetSocketAddress hubAddr = Endpoints.toSocketAddress(Endpoints.parse("192.0.2.1:4000"));
    net.runUntil(0);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < n; i++) {
        int k = i;
        net.at(net.now(), now -> spokes[k].send("from " + k, hubAddr));
        net.runUntil(net.now() + 2 * MS);
        center.send("to " + k, spokeAddr[k]);
        net.runUntil(net.now() + 2 * MS);
      }
    }
    assertThat(center.received).hasSize(3 * n);
    for (int j = 0; j < center.received.size(); j++) {
      int k = j % n;
      assertThat(center.received.get(j)).isEqualTo("from " + k);
      assertThat(center.senders.get(j)).isEqualTo(spokeAddr[k]);
    }
    for (int i = 0; i < n; i++) {
      assertThat(spokes[i].received).containsExactly("to " + i, "to " + i, "to " + i);
    }
  }
  @Test
  void lastConversion_senderJustSentTo_handedOverAsTheEnginesOwnAddressObject() {
    // The adapter remembers its last conversion: a reply from the endpoint the engine just
    // sent to arrives from the engine's own address object, and an answer to the sender just
    // heard from goes out without the caches. Interleaved with two other spokes and one cache
    // slot each way, every packet must still go to, and come from, the right endpoint.
    SimNetwork net = new SimNetwork(1);
    int hub = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"), LinkProfile.IDEAL);
    ScriptedEngine center = new ScriptedEngine();
    EngineApplication app = new EngineApplication(null, 1);
    app.attach(center, null);
    center.app = app;
    center.reaction = (self, d, from, now) -> self.send("re " + text(d), from);
    net.bind(hub, 4000, app);
    InetSocketAddress hubAddr = Endpoints.toSocketAddress(Endpoints.parse("192.0.2.1:4000"));
    int n = 3;
    ScriptedEngine[] spokes = new ScriptedEngine[n];
    InetSocketAddress[] spokeAddr = new InetSocketAddress[n];
    for (int i = 0; i < n; i++) {
      String addr = "198.51.100." + (i + 1);
      int h = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress(addr), LinkProfile.ofMillis(1, 0, 0));
      spokes[i] = engineOn(net, h, 5000);
      spokeAddr[i] = Endpoints.toSocketAddress(Endpoints.parse(addr + ":5000"));
      int k = i;
      spokes[i].reaction = (self, d, from, now) -> {
        if (text(d).startsWith("to ")) {
          self.send("ack " + k, from);
        }
      };
    }
    net.runUntil(0);
    int[] order = {0, 0, 1, 2, 1, 0, 2, 2};
    for (int k : order) {
      net.at(net.now(), now -> spokes[k].send("from " + k, hubAddr));
      net.runUntil(net.now() + 5 * MS);
      center.send("to " + k, spokeAddr[k]);
      net.runUntil(net.now() + 5 * MS);
    }
    // Per round: "from k" (answered "re from k"), then "ack k" (answered "re ack k").
    assertThat(center.received).hasSize(2 * order.length);
    for (int j = 0; j < order.length; j++) {
      int k = order[j];
      assertThat(center.received.get(2 * j)).isEqualTo("from " + k);
      assertThat(center.received.get(2 * j + 1)).isEqualTo("ack " + k);
      assertThat(center.senders.get(2 * j)).isEqualTo(spokeAddr[k]);
      // The ack comes from the endpoint the center just sent "to k" to: the same object.
      assertThat(center.senders.get(2 * j + 1)).isSameAs(spokeAddr[k]);
    }
    for (int i = 0; i < n; i++) {
      int rounds = 0;
      for (int k : order) {
        rounds += k == i ? 1 : 0;
      }
      List<String> expected = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        expected.add("re from " + i);
        expected.add("to " + i);
        expected.add("re ack " + i);
      }
      assertThat(spokes[i].received).containsExactlyElementsOf(expected);
    }
  }
  @Test
  void caches_asManySendersAsWaysInOneSet_eachKeepsItsAddressObject() {
    // 4 slots: one set of 4 ways. 4 senders in turn all stay cached (however their endpoints
    // hash), so each sender reaches the engine as the same address object every time; a fifth
    // evicts the oldest, and every sender is still seen as itself.
    SimNetwork net = new SimNetwork(1);
    int hub = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress("192.0.2.1"), LinkProfile.IDEAL);
    ScriptedEngine center = new ScriptedEngine();
    EngineApplication app = new EngineApplication(null, 4);
    app.attach(center, null);
    center.app = app;
    net.bind(hub, 4000, app);
    InetSocketAddress hubAddr = Endpoints.toSocketAddress(Endpoints.parse("192.0.2.1:4000"));
    int n = 5;
    ScriptedEngine[] spokes = new ScriptedEngine[n];
    InetSocketAddress[] spokeAddr = new InetSocketAddress[n];
    for (int i = 0; i < n; i++) {
      String addr = "198.51.100." + (i + 1);
      int h = net.addHost(SimNetwork.INTERNET, Endpoints.parseAddress(addr), LinkProfile.ofMillis(1, 0, 0));
      spokes[i] = engineOn(net, h, 5000);
      spokeAddr[i] = Endpoints.toSocketAddress(Endpoints.parse(addr + ":5000"));
    }
    net.runUntil(0);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 4; i++) {
        int k = i;
        net.at(net.now(), now -> spokes[k].send("from " + k, hubAddr));
        net.runUntil(net.now() + 2 * MS);
      }
    }
    for (int j = 0; j < 12; j++) {
      assertThat(center.senders.get(j)).isEqualTo(spokeAddr[j % 4]);
      assertThat(center.senders.get(j)).isSameAs(center.senders.get(j % 4));
    }
    for (int k : new int[] {4, 0, 1, 4}) {
      net.at(net.now(), now -> spokes[k].send("from " + k, hubAddr));
      net.runUntil(net.now() + 2 * MS);
    }
    assertThat(center.senders.subList(12, 16))
        .containsExactly(spokeAddr[4], spokeAddr[0], spokeAddr[1], spokeAddr[4]);
    // Sender 0 was the oldest when sender 4 came: it came back as a new object. Sender 4 was
    // still cached on its second packet.
    assertThat(center.senders.get(13)).isNotSameAs(center.senders.get(0));
    assertThat(center.senders.get(15)).isSameAs(center.senders.get(12));
  }

}

package org.netbelief.punch.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test application: remembers every datagram it receives. */
final class Recorder implements SimApplication {
  /** One received datagram. */
  record Received(long from, String text, long at) {}

  final List<Received> received = new ArrayList<>();
  SimSocket socket;

  @Override
  public void onStart(SimSocket s, long nowNanos) {
    this.socket = s;
  }

  @Override
  public void onDatagram(SimSocket s, byte[] data, int offset, int length, long from, long now) {
    received.add(new Received(from, new String(data, offset, length, StandardCharsets.UTF_8), now));
  }

  @Override
  public void onTimer(SimSocket s, long nowNanos) {}

  Received last() {
    return received.get(received.size() - 1);
  }

  static void send(SimSocket s, long to, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    s.send(to, b, 0, b.length);
  }
}

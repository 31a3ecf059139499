package org.netbelief.punch.trace;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import org.netbelief.punch.PathObserver;

/**
 * Writes the events one host's model sees as JSON lines (format: {@code docs/trace-format.md}).
 * Use {@link #forHost(String)} to get the {@link PathObserver} of each host; all hosts share one
 * file. Formatting allocates, so tracing is for simulations, replays and diagnosis, not for a
 * production hot path.
 *
 * <pre>{@code
 * try (TraceWriter trace = TraceWriter.open(Files.newBufferedWriter(path), "simulate", seed)) {
 *   PathObserver observer = trace.forHost("peer-17");
 *   ...
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one writer per event loop (the simulator's or a driver's).
 */
public final class TraceWriter implements Closeable {
  /** The version written in the header line; readers refuse other versions. */
  public static final int VERSION = 1;

  private final BufferedWriter out;
  private final StringBuilder line = new StringBuilder(160);
  private long events;

  private TraceWriter(BufferedWriter out) {
    this.out = out;
  }

  /**
   * Starts a trace on {@code out} with its header line.
   *
   * @param source what produced it, e.g. {@code "simulate"} or {@code "peer"}
   * @param seed the simulation seed, or 0
   */
  public static TraceWriter open(Writer out, String source, long seed) throws IOException {
    BufferedWriter w = out instanceof BufferedWriter ? (BufferedWriter) out : new BufferedWriter(out);
    TraceWriter t = new TraceWriter(w);
    t.line.setLength(0);
    t.line.append("{\"trace\":\"netbelief\",\"version\":").append(VERSION)
        .append(",\"source\":");
    quote(t.line, source);
    t.line.append(",\"seed\":").append(seed).append('}');
    t.flushLine();
    return t;
  }

  /** Events written so far (the header not counted). */
  public long events() {
    return events;
  }

  /** The observer that records the events of host {@code host} (any stable name). */
  public PathObserver forHost(String host) {
    return new HostObserver(host);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void begin(String host, String event, long nowNanos) {
    line.setLength(0);
    line.append("{\"t\":").append(nowNanos).append(",\"host\":");
    quote(line, host);
    line.append(",\"ev\":\"").append(event).append('"');
  }

  private void flushLine() {
    try {
      out.append(line).append('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write trace", e);
    }
  }

  private void end() {
    line.append('}');
    flushLine();
    events++;
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  static String probeName(int probe) {
    return probe == PathObserver.PROBE_KEEPALIVE ? "keepalive" : "intro";
  }

  private final class HostObserver implements PathObserver {
    private final String host;

    HostObserver(String host) {
      this.host = host;
    }

    @Override
    public void onPathCreated(long pathKey, String peerId, InetSocketAddress remote,
        int candidateKind, boolean samePublicAddress) {
      onPathCreated(pathKey, peerId, remote, candidateKind, samePublicAddress, 0, 0);
    }

    @Override
    public void onPathCreated(long pathKey, String peerId, InetSocketAddress remote,
        int candidateKind, boolean samePublicAddress, int ownNatClass, int remoteNatClass) {
      // The engine announces a path when it first uses it, without a time: path lines carry no
      // "t"; the path's first event follows.
      line.setLength(0);
      line.append("{\"host\":");
      quote(line, host);
      line.append(",\"ev\":\"path\",\"path\":\"").append(Long.toHexString(pathKey))
          .append("\",\"peer\":");
      quote(line, peerId);
      line.append(",\"endpoint\":");
      quote(line, remote.getHostString() + ":" + remote.getPort());
      line.append(",\"kind\":").append(candidateKind).append(",\"samePublic\":")
          .append(samePublicAddress);
      if (ownNatClass != 0 || remoteNatClass != 0) {
        // Optional fields (absent: unknown), so traces without discovery stay unchanged.
        line.append(",\"ownNat\":").append(ownNatClass).append(",\"remoteNat\":")
            .append(remoteNatClass);
      }
      end();
    }

    @Override
    public void onNetworkEvidence(int ownNatClass, int remoteNatClass, double successMass,
        double failureMass, long nowNanos) {
      begin(host, "networkEvidence", nowNanos);
      // Double.toString round-trips exactly (the masses came off the wire as binary32).
      line.append(",\"ownNat\":").append(ownNatClass).append(",\"remoteNat\":")
          .append(remoteNatClass).append(",\"success\":").append(successMass)
          .append(",\"failure\":").append(failureMass);
      end();
    }

    @Override
    public void onSend(long pathKey, int probe, long nowNanos) {
      begin(host, "send", nowNanos);
      path(pathKey).append(",\"probe\":\"").append(probeName(probe)).append('"');
      end();
    }

    @Override
    public void onAck(long pathKey, int probe, long rttNanos, long nowNanos) {
      begin(host, "ack", nowNanos);
      path(pathKey).append(",\"probe\":\"").append(probeName(probe)).append("\",\"rttNanos\":")
          .append(rttNanos);
      end();
    }

    @Override
    public void onTimeout(long pathKey, int probe, long nowNanos) {
      begin(host, "timeout", nowNanos);
      path(pathKey).append(",\"probe\":\"").append(probeName(probe)).append('"');
      end();
    }

    @Override
    public void onSilencePass(long pathKey, long silenceNanos, long nowNanos) {
      begin(host, "silencePass", nowNanos);
      path(pathKey).append(",\"silenceNanos\":").append(silenceNanos);
      end();
    }

    @Override
    public void onSilenceFail(long pathKey, long silenceNanos, long nowNanos) {
      begin(host, "silenceFail", nowNanos);
      path(pathKey).append(",\"silenceNanos\":").append(silenceNanos);
      end();
    }

    @Override
    public void onRendezvousAnswer(long rttNanos, long nowNanos) {
      begin(host, "rendezvousAnswer", nowNanos);
      line.append(",\"rttNanos\":").append(rttNanos);
      end();
    }

    @Override
    public void onRendezvousTimeout(long nowNanos) {
      begin(host, "rendezvousTimeout", nowNanos);
      end();
    }

    private StringBuilder path(long pathKey) {
      return line.append(",\"path\":\"").append(Long.toHexString(pathKey)).append('"');
    }
  }
}

package org.netbelief.punch.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.Prior;
import org.netbelief.model.fit.EventReplay;
import org.netbelief.model.fit.EventSink;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.internal.LongMap;
import org.netbelief.punch.trace.TraceReader;

/**
 * The introduction outcomes of a trace file ({@code docs/trace-format.md}) as a replayable event
 * stream for the fitting tools: every acknowledged {@code intro} probe is a success, every
 * timed-out one a failure, on the path's features
 *
 * <pre>
 *   global ("*") → remotePrefix (IPv4 /24, IPv6 /48) → remoteEndpoint ("addr:port") → path (host/path key)
 * </pre>
 *
 * taken from the trace's {@code path} line for that path. Keepalive probes, silences and
 * rendezvous events are not introduction outcomes and are left out; an outcome on a path whose
 * {@code path} line has not been seen is counted in {@link #unknownPaths()} and skipped.
 *
 * <pre>{@code
 * TraceOutcomes trace = new TraceOutcomes(Path.of("run.trace"), TraceReader.Mode.LENIENT);
 * ChainCounts counts = new ChainCounts(TraceOutcomes.chain(Prior.of(0.7, 2), 2, 4, 4));
 * trace.replay(counts);
 * System.out.println(trace.lastResult());   // events, skipped lines, first problems
 * }</pre>
 *
 * <p>Each {@link #replay} reads the file again, streaming (memory: one key array per path).
 * Hosts share the features, so evidence is pooled across hosts, as a fleet-wide prior should be.
 * A malformed line is an {@link UncheckedIOException} wrapping the reader's {@code
 * TraceFormatException} in strict mode, and is skipped and counted in lenient mode.
 */
public final class TraceOutcomes implements EventReplay {
  /** The level names of the chain the keys are made for, general first. */
  public static final String[] LEVELS = {"global", "remotePrefix", "remoteEndpoint", "path"};

  private final Path file;
  private final TraceReader.Mode mode;
  private TraceReader.Result lastResult;
  private long unknownPaths;
  private long outcomes;

  /** Outcomes of {@code file}, malformed lines handled as {@code mode} says. */
  public TraceOutcomes(Path file, TraceReader.Mode mode) {
    this.file = file;
    this.mode = mode;
  }

  /**
   * A chain over {@link #LEVELS} with the root prior and the strengths of the three deeper
   * levels.
   */
  public static FeatureChain chain(Prior root, double prefixStrength, double endpointStrength,
      double pathStrength) {
    return FeatureChain.builder(root).level(LEVELS[0], root.strength())
        .level(LEVELS[1], prefixStrength).level(LEVELS[2], endpointStrength)
        .level(LEVELS[3], pathStrength).build();
  }

  /**
   * Plays the trace's introduction outcomes to {@code sink}, in file order.
   *
   * @throws UncheckedIOException when the file cannot be read, or holds a malformed line in
   *     strict mode
   */
  @Override
  public void replay(EventSink sink) {
    FeatureChain names = chain(Prior.of(0.5, 1), 1, 1, 1);
    Map<String, PathObserver> byHost = new HashMap<>();
    long[] counters = new long[2];
    try {
      lastResult = TraceReader.replay(file, mode, host -> byHost.computeIfAbsent(host,
          h -> new HostOutcomes(h, names, sink, counters)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    outcomes = counters[0];
    unknownPaths = counters[1];
  }

  /** What the last {@link #replay} read (events, skipped lines, problems), or null before. */
  public TraceReader.Result lastResult() {
    return lastResult;
  }

  /** Introduction outcomes delivered by the last replay. */
  public long outcomes() {
    return outcomes;
  }

  /** Outcomes skipped by the last replay because their path line was never seen. */
  public long unknownPaths() {
    return unknownPaths;
  }

  /** The prefix token of an address: the /24 of IPv4, the /48 of IPv6. */
  static String prefix(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + ".0/24";
    }
    return String.format("%02x%02x:%02x%02x:%02x%02x::/48",
        b[0], b[1], b[2], b[3], b[4], b[5]);
  }

  /** One host's paths and its outcomes. */
  private static final class HostOutcomes implements PathObserver {
    private final String host;
    private final FeatureChain names;
    private final EventSink sink;
    private final long[] counters;
    private final LongMap<long[]> paths = new LongMap<>();

    HostOutcomes(String host, FeatureChain names, EventSink sink, long[] counters) {
      this.host = host;
      this.names = names;
      this.sink = sink;
      this.counters = counters;
    }

    @Override
    public void onPathCreated(long pathKey, String peerId, InetSocketAddress remote,
        int candidateKind, boolean samePublicAddress) {
      InetAddress address = remote.getAddress();
      String endpoint = address == null ? remote.getHostString() + ":" + remote.getPort()
          : address.getHostAddress() + ":" + remote.getPort();
      String prefix = address == null ? remote.getHostString() : prefix(address);
      paths.put(pathKey, names.keys("*", prefix, endpoint,
          host + "/" + Long.toHexString(pathKey)));
    }

    @Override
    public void onAck(long pathKey, int probe, long rttNanos, long nowNanos) {
      outcome(pathKey, probe, true, nowNanos);
    }

    @Override
    public void onTimeout(long pathKey, int probe, long nowNanos) {
      outcome(pathKey, probe, false, nowNanos);
    }

    private void outcome(long pathKey, int probe, boolean success, long nowNanos) {
      if (probe != PROBE_INTRO) {
        return;
      }
      long[] keys = paths.get(pathKey);
      if (keys == null) {
        counters[1]++;
        return;
      }
      counters[0]++;
      sink.accept(keys, success, nowNanos);
    }
  }
}

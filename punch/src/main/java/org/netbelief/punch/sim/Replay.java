package org.netbelief.punch.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.belief.BeliefPolicy;
import org.netbelief.punch.config.ModelConfig;
import org.netbelief.punch.trace.TraceReader;

/**
 * Feeds a trace ({@code simulate --trace}) to a fresh {@link BeliefPolicy} per host and reads
 * back the beliefs: what {@code netbelief replay} prints. With the same configuration the
 * replayed policies hold the same beliefs the recorded ones held, since a policy's beliefs are a
 * function of the evidence its observer saw.
 *
 * <pre>{@code
 * Replay r = Replay.run(Path.of("run.jsonl"), TraceReader.Mode.STRICT, null);
 * for (Replay.PathBelief b : r.beliefs()) System.out.println(b);
 * }</pre>
 */
public final class Replay {
  /**
   * One path's belief at the end of the trace.
   *
   * @param host the host name in the trace
   * @param pathKey the path
   * @param peerId the remote peer
   * @param remote the remote endpoint
   * @param successProbability P(an attempt on the path succeeds) at {@code atNanos}
   * @param keepaliveNanos the keepalive interval the policy would choose at {@code atNanos}
   * @param atNanos the time of the trace's last event
   */
  public record PathBelief(String host, long pathKey, String peerId, String remote,
      double successProbability, long keepaliveNanos, long atNanos) {}

  /**
   * The outcome: the trace's reader result, the policies per host, and the beliefs.
   *
   * @param trace events read and lines skipped
   * @param policies the fresh policy of each host, by host name
   * @param beliefs every path of every host, hosts and paths in the order first seen
   * @param endNanos the time of the last event
   */
  public record Result(TraceReader.Result trace, Map<String, BeliefPolicy> policies,
      List<PathBelief> beliefs, long endNanos) {}

  private Replay() {}

  /**
   * Replays {@code file}.
   *
   * @param mode strict (a malformed line fails) or lenient (skipped and counted)
   * @param model the policies' configuration, or null for the defaults
   */
  public static Result run(Path file, TraceReader.Mode mode, ModelConfig model)
      throws IOException {
    Map<String, BeliefPolicy> policies = new TreeMap<>();
    Map<String, List<Object[]>> paths = new TreeMap<>();
    long[] end = {0};
    TraceReader.Result tr = TraceReader.replay(file, mode, host -> {
      BeliefPolicy.Builder b = BeliefPolicy.builder();
      if (model != null) {
        b.model(model);
      }
      BeliefPolicy p = b.build();
      policies.put(host, p);
      List<Object[]> created = new ArrayList<>();
      paths.put(host, created);
      return new PathObserver() {
        @Override
        public void onPathCreated(long pathKey, String peerId, InetSocketAddress remote,
            int candidateKind, boolean samePublicAddress, int ownNat, int remoteNat) {
          created.add(new Object[] {pathKey, peerId, remote});
          p.onPathCreated(pathKey, peerId, remote, candidateKind, samePublicAddress, ownNat,
              remoteNat);
        }

        @Override
        public void onNetworkEvidence(int ownNat, int remoteNat, double success, double failure,
            long now) {
          end[0] = Math.max(end[0], now);
          p.onNetworkEvidence(ownNat, remoteNat, success, failure, now);
        }

        @Override
        public void onSend(long pathKey, int probe, long now) {
          end[0] = Math.max(end[0], now);
          p.onSend(pathKey, probe, now);
        }

        @Override
        public void onAck(long pathKey, int probe, long rtt, long now) {
          end[0] = Math.max(end[0], now);
          p.onAck(pathKey, probe, rtt, now);
        }

        @Override
        public void onTimeout(long pathKey, int probe, long now) {
          end[0] = Math.max(end[0], now);
          p.onTimeout(pathKey, probe, now);
        }

        @Override
        public void onSilencePass(long pathKey, long silence, long now) {
          end[0] = Math.max(end[0], now);
          p.onSilencePass(pathKey, silence, now);
        }

        @Override
        public void onSilenceFail(long pathKey, long silence, long now) {
          end[0] = Math.max(end[0], now);
          p.onSilenceFail(pathKey, silence, now);
        }

        @Override
        public void onRendezvousAnswer(long rtt, long now) {
          end[0] = Math.max(end[0], now);
          p.onRendezvousAnswer(rtt, now);
        }

        @Override
        public void onRendezvousTimeout(long now) {
          end[0] = Math.max(end[0], now);
          p.onRendezvousTimeout(now);
        }
      };
    });
    List<PathBelief> beliefs = new ArrayList<>();
    long t = end[0];
    for (Map.Entry<String, List<Object[]>> e : paths.entrySet()) {
      BeliefPolicy p = policies.get(e.getKey());
      java.util.Set<Long> seen = new java.util.HashSet<>();
      for (Object[] c : e.getValue()) {
        long pk = (Long) c[0];
        if (seen.add(pk)) {
          InetSocketAddress r = (InetSocketAddress) c[2];
          beliefs.add(new PathBelief(e.getKey(), pk, (String) c[1],
              r.getAddress().getHostAddress() + ":" + r.getPort(),
              p.successProbability(pk, t), p.keepaliveIntervalNanos(pk, t), t));
        }
      }
    }
    return new Result(tr, policies, beliefs, t);
  }
}

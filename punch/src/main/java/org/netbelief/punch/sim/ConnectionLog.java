package org.netbelief.punch.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection records of a run, per policy, in the order policies were first used and
 * records opened (so a report over the same run is byte-identical).
 *
 * <pre>{@code
 * ConnectionLog log = new ConnectionLog();
 * ConnectionRecord r = log.open("oracle", a, b, now, population.canPunch(a, b));
 * r.direct(later);
 * }</pre>
 */
public final class ConnectionLog {
  private final Map<String, List<ConnectionRecord>> byPolicy = new LinkedHashMap<>();

  /** Opens a record for a connection request made now under {@code policy}. */
  public ConnectionRecord open(
      String policy, int initiator, int target, long nowNanos, boolean oraclePunchable) {
    if (policy == null || policy.isBlank()) {
      throw new IllegalArgumentException("policy name must not be empty");
    }
    List<ConnectionRecord> list = byPolicy.computeIfAbsent(policy, k -> new ArrayList<>());
    ConnectionRecord r =
        new ConnectionRecord(list.size(), initiator, target, nowNanos, oraclePunchable);
    list.add(r);
    return r;
  }

  /** Declares a policy so it appears in the report even with no records. */
  public void declare(String policy) {
    byPolicy.computeIfAbsent(policy, k -> new ArrayList<>());
  }

  /** Policy names in first-use order. */
  public List<String> policies() {
    return List.copyOf(byPolicy.keySet());
  }

  /** The records of one policy (empty if unknown). */
  public List<ConnectionRecord> records(String policy) {
    return Collections.unmodifiableList(byPolicy.getOrDefault(policy, List.of()));
  }

  /**
   * Moves every policy of {@code other} (a log filled by another run, e.g. on another thread)
   * into this one, after the policies already here; record ids are per policy, so they keep.
   *
   * @throws IllegalArgumentException when a policy is in both logs
   */
  public void addAll(ConnectionLog other) {
    for (String p : other.byPolicy.keySet()) {
      if (byPolicy.containsKey(p)) {
        throw new IllegalArgumentException("policy " + p + " is already in this log");
      }
    }
    byPolicy.putAll(other.byPolicy);
  }
}

package org.netbelief.punch.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.netbelief.punch.PathObserver;

/**
 * Reads a trace written by {@link TraceWriter} line by line — a trace of any length streams in
 * constant memory — and feeds each event to the {@link PathObserver} of its host, so a fresh
 * model sees exactly what the recorded one saw.
 *
 * <p>A malformed line (not JSON, an unknown event, a missing or mistyped field) is either fatal
 * ({@link Mode#STRICT}: a {@link TraceFormatException} naming the file and line) or skipped and
 * counted ({@link Mode#LENIENT}: the {@link Result} lists the first problems with their line
 * numbers).
 *
 * <pre>{@code
 * TraceReader.Result r = TraceReader.replay(path, TraceReader.Mode.LENIENT, host -> model(host));
 * System.out.println(r.events() + " events, " + r.skipped() + " lines skipped");
 * }</pre>
 */
public final class TraceReader {
  /** What to do with a malformed line. */
  public enum Mode {
    /** Stop at the first malformed line with a {@link TraceFormatException}. */
    STRICT,
    /** Skip malformed lines, count them and report the first {@value #MAX_PROBLEMS}. */
    LENIENT
  }

  /** How many problems a lenient read lists (all are counted). */
  public static final int MAX_PROBLEMS = 20;

  /**
   * What a replay did.
   *
   * @param events events delivered to observers
   * @param skipped malformed lines skipped (always 0 in strict mode)
   * @param problems the first problems, each "line N: what"
   * @param source the header's source
   * @param seed the header's seed
   */
  public record Result(long events, long skipped, List<String> problems, String source,
      long seed) {}

  private TraceReader() {}

  /** Replays {@code file} into the observers {@code observerForHost} returns, one per host. */
  public static Result replay(Path file, Mode mode, Function<String, PathObserver> observerForHost)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    java.util.Map<String, PathObserver> observers = new java.util.HashMap<>();
    long events = 0;
    long skipped = 0;
    List<String> problems = new ArrayList<>();
    String source;
    long seed;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new TraceFormatException(file, 1, "empty file: no trace header");
      }
      JsonNode h;
      try {
        h = json.readTree(header);
      } catch (JsonProcessingException e) {
        throw new TraceFormatException(file, 1, "header is not JSON: " + e.getOriginalMessage());
      }
      if (h == null || !"netbelief".equals(h.path("trace").asText())) {
        throw new TraceFormatException(file, 1, "not a netbelief trace (no \"trace\":\"netbelief\")");
      }
      int version = h.path("version").asInt(-1);
      if (version != TraceWriter.VERSION) {
        throw new TraceFormatException(file, 1, "unknown trace version " + h.path("version")
            + " (this reader knows version " + TraceWriter.VERSION + ")");
      }
      source = h.path("source").asText("");
      seed = h.path("seed").asLong(0);
      String text;
      long lineNo = 1;
      while ((text = in.readLine()) != null) {
        lineNo++;
        if (text.isBlank()) {
          continue;
        }
        try {
          JsonNode n;
          try {
            n = json.readTree(text);
          } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
          }
          if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
          }
          String host = text(n, "host");
          PathObserver o = observers.computeIfAbsent(host, observerForHost);
          dispatch(n, o);
          events++;
        } catch (IllegalArgumentException e) {
          if (mode == Mode.STRICT) {
            throw new TraceFormatException(file, lineNo, e.getMessage());
          }
          skipped++;
          if (problems.size() < MAX_PROBLEMS) {
            problems.add("line " + lineNo + ": " + e.getMessage());
          }
        }
      }
    }
    return new Result(events, skipped, Collections.unmodifiableList(problems), source, seed);
  }

  private static void dispatch(JsonNode n, PathObserver o) {
    String ev = text(n, "ev");
    switch (ev) {
      case "path" -> o.onPathCreated(pathKey(n), text(n, "peer"), endpoint(text(n, "endpoint")),
          integer(n, "kind"), bool(n, "samePublic"), natClass(n, "ownNat"),
          natClass(n, "remoteNat"));
      case "networkEvidence" -> o.onNetworkEvidence(natClass(n, "ownNat"),
          natClass(n, "remoteNat"), mass(n, "success"), mass(n, "failure"), time(n));
      case "send" -> o.onSend(pathKey(n), probe(n), time(n));
      case "ack" -> o.onAck(pathKey(n), probe(n), nonNegative(n, "rttNanos"), time(n));
      case "timeout" -> o.onTimeout(pathKey(n), probe(n), time(n));
      case "silencePass" -> o.onSilencePass(pathKey(n), nonNegative(n, "silenceNanos"), time(n));
      case "silenceFail" -> o.onSilenceFail(pathKey(n), nonNegative(n, "silenceNanos"), time(n));
      case "rendezvousAnswer" -> o.onRendezvousAnswer(nonNegative(n, "rttNanos"), time(n));
      case "rendezvousTimeout" -> o.onRendezvousTimeout(time(n));
      default -> throw new IllegalArgumentException("unknown event \"" + ev + "\"");
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field \"" + field + "\" missing or not a string");
    }
    return v.asText();
  }

  private static long time(JsonNode n) {
    JsonNode v = n.get("t");
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("field \"t\" missing or not an integer");
    }
    return v.asLong();
  }

  private static long nonNegative(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new IllegalArgumentException("field \"" + field + "\" missing or not an integer >= 0");
    }
    return v.asLong();
  }

  /** A network evidence mass: a finite number &gt;= 0. */
  private static double mass(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber() || !(v.asDouble() >= 0.0) || Double.isInfinite(v.asDouble())) {
      throw new IllegalArgumentException("field \"" + field + "\" missing or not a number >= 0");
    }
    return v.asDouble();
  }

  private static int integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isInt()) {
      throw new IllegalArgumentException("field \"" + field + "\" missing or not an integer");
    }
    return v.asInt();
  }

  /** An optional NAT class field: absent is unknown (0); present, a valid class byte. */
  private static int natClass(JsonNode n, String field) {
    if (!n.has(field)) {
      return 0;
    }
    int c = integer(n, field);
    if (!org.netbelief.punch.NatClass.isValid(c)) {
      throw new IllegalArgumentException("field '" + field + "' is not a NAT class: " + c);
    }
    return c;
  }

  private static boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isBoolean()) {
      throw new IllegalArgumentException("field \"" + field + "\" missing or not a boolean");
    }
    return v.asBoolean();
  }

  private static int probe(JsonNode n) {
    String p = text(n, "probe");
    return switch (p) {
      case "intro" -> PathObserver.PROBE_INTRO;
      case "keepalive" -> PathObserver.PROBE_KEEPALIVE;
      default -> throw new IllegalArgumentException("unknown probe \"" + p + "\"");
    };
  }

  private static long pathKey(JsonNode n) {
    String hex = text(n, "path");
    try {
      return Long.parseUnsignedLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("field \"path\" is not a hexadecimal key: " + hex);
    }
  }

  static InetSocketAddress endpoint(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("endpoint \"" + s + "\" is not HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint \"" + s + "\" has no numeric port");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("endpoint \"" + s + "\" port out of range");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    // Literal addresses are parsed without any name lookup (getByName does none for a literal);
    // anything else stays unresolved: a replay never touches the network.
    if (host.matches("[0-9.]+") || host.matches("[0-9A-Fa-f:.]+") && host.indexOf(':') >= 0) {
      try {
        return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException("endpoint \"" + s + "\" is not a valid address");
      }
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}

package org.netbelief.punch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import org.netbelief.punch.PunchEvent;

/** One JSON object per line, each with {@code event} and {@code timeMillis}. Thread-safe. */
final class JsonLines {
    private final ObjectMapper mapper = new ObjectMapper();
    private final PrintStream out;

    JsonLines(PrintStream out) {
        this.out = out;
    }

    ObjectNode object(String event) {
        ObjectNode n = mapper.createObjectNode();
        n.put("event", event);
        n.put("timeMillis", System.currentTimeMillis());
        return n;
    }

    synchronized void print(ObjectNode n) {
        out.println(n.toString());
        out.flush();
    }

    static String endpoint(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Non-zero drop counters by reason, and the total. */
    ObjectNode drops(org.netbelief.punch.Engine engine, ObjectNode into) {
        ObjectNode d = into.putObject("drops");
        for (org.netbelief.punch.wire.DropReason r : org.netbelief.punch.wire.DropReason.values()) {
            if (engine.drops(r) > 0) {
                d.put(r.name().toLowerCase(java.util.Locale.ROOT), engine.drops(r));
            }
        }
        return into;
    }

    /** The JSON form of an engine event. */
    ObjectNode of(PunchEvent e) {
        ObjectNode n = object(e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (e.peerId() != null) {
            n.put("peer", e.peerId());
        }
        if (e.peerName() != null && !e.peerName().isEmpty()) {
            n.put("name", e.peerName());
        }
        if (e.via() != null) {
            n.put("via", e.via());
        }
        if (e.endpoint() != null) {
            n.put("endpoint", endpoint(e.endpoint()));
        }
        if (e.reason() != null) {
            n.put(e.kind() == PunchEvent.Kind.NAT_DISCOVERED ? "natClass" : "reason", e.reason());
        }
        if (e.kind() == PunchEvent.Kind.ESTABLISHED || e.kind() == PunchEvent.Kind.PATH_LOST
                || e.kind() == PunchEvent.Kind.PATH_MOVED || e.kind() == PunchEvent.Kind.RELAYED) {
            ObjectNode b = n.putObject("beliefs");
            if (Double.isNaN(e.successProbability())) {
                b.putNull("successProbability");
            } else {
                b.put("successProbability", e.successProbability());
            }
            b.put("rttMillis", e.rttNanos() / 1e6);
            b.put("attempts", e.attempts());
            b.put("keepaliveMillis", e.keepaliveNanos() / 1_000_000L);
        }
        return n;
    }
}

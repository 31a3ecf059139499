package org.netbelief.punch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on 127.0.0.1, each command in-process on its own thread. */
@Timeout(60)
class MainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One command's run: exit code, JSON lines and diagnostics. */
    record Run(int code, List<JsonNode> lines, String err) {
        List<JsonNode> events(String event) {
            return lines.stream().filter(n -> n.path("event").asText().equals(event)).toList();
        }
    }

    static CompletableFuture<Run> start(String... args) {
        return start(new ByteArrayOutputStream(), args);
    }

    /** Polls a running command's output until it printed an event (a liveness wait, not a timing check). */
    static void awaitEvent(ByteArrayOutputStream out, String event) throws InterruptedException {
        for (int i = 0; i < 300 && !out.toString(StandardCharsets.UTF_8).contains("\"event\":\"" + event + "\""); i++) {
            Thread.sleep(50);
        }
    }

    static CompletableFuture<Run> start(ByteArrayOutputStream out, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (Exception e) {
                        throw new AssertionError("not a JSON line: " + line, e);
                    }
                }
            }
            return new Run(code, lines, err.toString(StandardCharsets.UTF_8));
        });
    }

    static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void rendezvousAndTwoPeers_connectByName_directPathAndTextBothWays(@TempDir Path dir) throws Exception {
        String rv = "127.0.0.1:" + freePort();
        CompletableFuture<Run> rendezvous = start("rendezvous", "--listen", rv, "--duration", "6");
        Thread.sleep(300);
        ByteArrayOutputStream bobOut = new ByteArrayOutputStream();
        CompletableFuture<Run> bob = start(bobOut, "peer", "--rendezvous", rv, "--bind", "127.0.0.1:0", "--name", "bob",
                "--id-file", dir.resolve("bob.id").toString(), "--send", "hi alice", "--duration", "4");
        awaitEvent(bobOut, "registered");
        CompletableFuture<Run> alice = start("peer", "--rendezvous", rv, "--bind", "127.0.0.1:0", "--name", "alice",
                "--connect", "bob", "--send", "hello bob", "--duration", "3");
        Run a = alice.get();
        Run b = bob.get();
        Run r = rendezvous.get();
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(a.lines()).allSatisfy(n -> assertThat(n.has("timeMillis")).isTrue());
        JsonNode est = a.events("established").get(0);
        assertThat(est.path("via").asText()).isEqualTo("direct");
        assertThat(est.path("name").asText()).isEqualTo("bob");
        assertThat(est.path("endpoint").asText()).startsWith("127.0.0.1:");
        // The default policy is the belief policy: a planned keepalive within its floor and
        // ceiling (5 s .. 10 min) and the success probability behind the choice of path.
        assertThat(est.path("beliefs").path("keepaliveMillis").asLong()).isBetween(5_000L, 600_000L);
        assertThat(est.path("beliefs").path("successProbability").isNumber()).isTrue();
        assertThat(est.path("beliefs").path("successProbability").asDouble()).isStrictlyBetween(0.0, 1.0);
        assertThat(b.events("data")).singleElement().satisfies(n -> assertThat(n.path("text").asText()).isEqualTo("hello bob"));
        assertThat(a.events("data")).singleElement().satisfies(n -> assertThat(n.path("text").asText()).isEqualTo("hi alice"));
        assertThat(r.events("registered")).hasSize(2);
        assertThat(dir.resolve("bob.id")).exists();
    }

    @Test
    void peer_rendezvousUnreachable_exitsWithClearMessage() throws Exception {
        String rv = "127.0.0.1:" + freePort();
        Run run = start("peer", "--rendezvous", rv, "--bind", "127.0.0.1:0", "--name", "x", "--duration", "20").get();
        assertThat(run.code()).isEqualTo(Main.EXIT_UNREACHABLE);
        assertThat(run.err()).contains("cannot reach the rendezvous at " + rv);
        assertThat(run.events("registration-failed")).hasSize(1);
    }

    @Test
    void peer_nameTakenByAnotherKey_exitsWithClearMessage() throws Exception {
        String rv = "127.0.0.1:" + freePort();
        CompletableFuture<Run> rendezvous = start("rendezvous", "--listen", rv, "--duration", "4");
        Thread.sleep(300);
        ByteArrayOutputStream firstOut = new ByteArrayOutputStream();
        CompletableFuture<Run> first = start(firstOut, "peer", "--rendezvous", rv, "--bind", "127.0.0.1:0", "--name", "carol", "--duration", "3");
        awaitEvent(firstOut, "registered");
        Run second = start("peer", "--rendezvous", rv, "--bind", "127.0.0.1:0", "--name", "carol", "--duration", "3").get();
        assertThat(second.code()).isEqualTo(Main.EXIT_NAME_TAKEN);
        assertThat(second.err()).contains("'carol' is taken");
        assertThat(first.get().code()).isZero();
        rendezvous.get();
    }

    @Test
    void usage_badEndpoint_exitCodeTwo() throws Exception {
        Run run = start("peer", "--rendezvous", "nonsense").get();
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("HOST:PORT");
    }
}

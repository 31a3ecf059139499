package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Linux NATs: two private hosts behind nftables masquerade routers, and a "public" segment
 * (203.0.113.0/24, a documentation range) holding the rendezvous. The CLI runs in each namespace.
 * Plain {@code masquerade} keeps the source port (endpoint-independent mapping) and must give a
 * direct path; {@code masquerade fully-random} (endpoint-dependent mapping, the nft spelling of
 * random-fully) on both sides must fall back to the relay.
 *
 * <pre>
 *   [host A 10.0.1.2] -- [router A 10.0.1.1 | 203.0.113.10] --+
 *                                                              +-- bridge in "pub": rendezvous 203.0.113.1
 *   [host B 10.0.2.2] -- [router B 10.0.2.1 | 203.0.113.20] --+
 * </pre>
 *
 * Needs root, {@code ip} and {@code nft}; otherwise skipped with the reason. Every namespace it
 * creates carries a random suffix and is deleted afterwards, also on failure.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NatSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
    private final String pub = "nb" + id + "pub";
    private final String ra = "nb" + id + "ra";
    private final String rb = "nb" + id + "rb";
    private final String ha = "nb" + id + "ha";
    private final String hb = "nb" + id + "hb";
    private final List<Process> processes = new ArrayList<>();
    private boolean topologyStarted;

    @TempDir
    Path dir;

    @BeforeEach
    void requireRootAndTools() throws Exception {
        boolean root = "0".equals(run(false, "id", "-u").trim());
        Assumptions.assumeTrue(root, "NAT system test skipped: needs root to create network namespaces");
        Assumptions.assumeTrue(onPath("ip"), "NAT system test skipped: 'ip' (iproute2) is not installed");
        Assumptions.assumeTrue(onPath("nft"), "NAT system test skipped: 'nft' (nftables) is not installed");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (!topologyStarted) {
            return; // skipped, or failed before creating anything
        }
        for (String ns : new String[] {ha, hb, ra, rb, pub}) {
            run(false, "ip", "netns", "delete", ns); // deleting a namespace deletes its veths
        }
    }

    @Test
    void endpointIndependentNatsOnBothSides_directPath() throws Exception {
        topology(false);
        List<JsonNode> alice = scenario();
        JsonNode est = first(alice, "established");
        assertThat(est.path("via").asText()).isEqualTo("direct");
        assertThat(est.path("endpoint").asText()).startsWith("203.0.113.20:");
        assertThat(first(alice, "registered").path("endpoint").asText()).startsWith("203.0.113.10:");
        assertThat(first(alice, "data").path("text").asText()).isEqualTo("hi alice");
    }

    @Test
    void endpointDependentMappingOnBothSides_relay() throws Exception {
        topology(true);
        List<JsonNode> alice = scenario();
        JsonNode est = first(alice, "established");
        assertThat(est.path("via").asText()).isEqualTo("relay");
        assertThat(first(alice, "data").path("text").asText()).isEqualTo("hi alice");
        assertThat(first(alice, "data").path("via").asText()).isEqualTo("relay");
    }

    /**
     * Binding lifetime for real: conntrack's UDP timeouts are 3 s on both routers, alice sends every
     * 4.5 s. Keepalives every 1 s keep both holes open and every message arrives directly.
     */
    @Test
    void shortConntrackTimeout_keepaliveShorterThanTimeout_holeStaysOpen() throws Exception {
        topology(false);
        shortConntrackTimeouts();
        scenario("1000", "--send-every", "4500");
        List<JsonNode> bob = lines("bob");
        assertThat(bob.stream().filter(n -> n.path("event").asText().equals("data"))).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(n -> assertThat(n.path("via").asText()).isEqualTo("direct"));
        assertThat(bob.stream().filter(n -> n.path("event").asText().equals("path-lost"))).isEmpty();
    }

    /**
     * The contrast: with keepalives every 20 s, 3 s conntrack timeouts close both holes during each
     * 4.5 s silence, and the later messages die at bob's router (no keepalive has noticed yet).
     * (Both scenarios keep the rendezvous link alive with 1 s keepalives: its hole has the same
     * 3 s lifetime, and an expired one would lose the introduction instead.)
     */
    @Test
    void shortConntrackTimeout_keepaliveLongerThanTimeout_holeCloses() throws Exception {
        topology(false);
        shortConntrackTimeouts();
        scenario("20000", "--send-every", "4500");
        List<JsonNode> bob = lines("bob");
        assertThat(bob.stream().filter(n -> n.path("event").asText().equals("data"))).hasSize(1);
    }

    /**
     * The learned keepalive for real: conntrack's UDP timeouts are 12 s on both routers, the peers
     * run the default belief policy (keepalives planned from the learnt NAT lifetime, a sacrificial
     * socket probing it) and alice sends every 18 s, longer than the timeout. Every message must
     * arrive directly and no path may be lost: the planned keepalive stayed inside the real
     * binding lifetime while the prober explored beyond it.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shortConntrackTimeout_learnedKeepalive_holeStaysOpen() throws Exception {
        topology(false);
        for (String r : new String[] {ra, rb}) {
            ns(r, "sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=12");
            ns(r, "sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout_stream=12");
        }
        Process rv = cli(pub, "rv", "rendezvous", "--listen", "203.0.113.1:7000", "--duration", "120");
        Thread.sleep(1500);
        Process bob = cli(hb, "bob", "peer", "--rendezvous", "203.0.113.1:7000", "--name", "bob",
                "--duration", "115");
        for (int i = 0; i < 200 && !Files.readString(dir.resolve("bob.out")).contains("\"registered\""); i++) {
            Thread.sleep(50);
        }
        Process alice = cli(ha, "alice", "peer", "--rendezvous", "203.0.113.1:7000", "--name", "alice",
                "--connect", "bob", "--send", "ping", "--send-every", "18000", "--duration", "110");
        assertThat(alice.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(bob.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(rv.waitFor(180, TimeUnit.SECONDS)).isTrue();
        for (String name : new String[] {"rv", "bob", "alice"}) {
            System.out.println("--- " + name + "\n" + Files.readString(dir.resolve(name + ".out"))
                    + Files.readString(dir.resolve(name + ".err")));
        }
        assertThat(alice.exitValue()).isZero();
        assertThat(bob.exitValue()).isZero();
        JsonNode est = first(lines("alice"), "established");
        assertThat(est.path("via").asText()).isEqualTo("direct");
        assertThat(est.path("beliefs").path("keepaliveMillis").asLong()).isLessThan(12_000);
        List<JsonNode> bobLines = lines("bob");
        // About 110 s / 18 s = 6 sends; at least 5 must have arrived, all directly.
        assertThat(bobLines.stream().filter(n -> n.path("event").asText().equals("data")))
                .hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(n -> assertThat(n.path("via").asText()).isEqualTo("direct"));
        assertThat(bobLines.stream().filter(n -> n.path("event").asText().equals("path-lost"))).isEmpty();
        assertThat(lines("alice").stream().filter(n -> n.path("event").asText().equals("path-lost"))).isEmpty();
    }

    private void shortConntrackTimeouts() throws Exception {
        for (String r : new String[] {ra, rb}) {
            ns(r, "sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=3");
            ns(r, "sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout_stream=3");
        }
    }

    private List<JsonNode> scenario() throws Exception {
        return scenario("15000");
    }

    /** Runs rendezvous, bob (accepting) and alice (connecting); returns alice's JSON lines. */
    private List<JsonNode> scenario(String keepaliveMillis, String... aliceExtra) throws Exception {
        Process rv = cli(pub, "rv", "rendezvous", "--listen", "203.0.113.1:7000", "--duration", "20");
        Thread.sleep(1500);
        Process bob = cli(hb, "bob", "peer", "--rendezvous", "203.0.113.1:7000", "--name", "bob", "--send", "hi alice",
                "--policy", "fixed", "--keepalive-millis", keepaliveMillis, "--rendezvous-keepalive-millis", "1000", "--duration", "18");
        // Liveness wait: alice connects only once bob is registered (else the rendezvous rightly declines).
        for (int i = 0; i < 200 && !Files.readString(dir.resolve("bob.out")).contains("\"registered\""); i++) {
            Thread.sleep(50);
        }
        List<String> aliceArgs = new ArrayList<>(List.of("peer", "--rendezvous", "203.0.113.1:7000", "--name", "alice",
                "--connect", "bob", "--send", "hello bob", "--policy", "fixed", "--keepalive-millis", keepaliveMillis,
                "--rendezvous-keepalive-millis", "1000", "--duration", "15"));
        aliceArgs.addAll(List.of(aliceExtra));
        Process alice = cli(ha, "alice", aliceArgs.toArray(new String[0]));
        assertThat(alice.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bob.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(rv.waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (String name : new String[] {"rv", "bob", "alice"}) {
            System.out.println("--- " + name + "\n" + Files.readString(dir.resolve(name + ".out")) + Files.readString(dir.resolve(name + ".err")));
        }
        List<JsonNode> b = lines("bob");
        assertThat(alice.exitValue()).as(Files.readString(dir.resolve("alice.err"))).isZero();
        assertThat(bob.exitValue()).as(Files.readString(dir.resolve("bob.err"))).isZero();
        assertThat(first(b, "data").path("text").asText()).isEqualTo("hello bob");
        assertThat(rv.exitValue()).isZero();
        return lines("alice");
    }

    private void topology(boolean randomFully) throws Exception {
        topologyStarted = true;
        for (String ns : new String[] {pub, ra, rb, ha, hb}) {
            run(true, "ip", "netns", "add", ns);
            ns(ns, "ip", "link", "set", "lo", "up");
        }
        ns(pub, "ip", "link", "add", "br0", "type", "bridge");
        ns(pub, "ip", "addr", "add", "203.0.113.1/24", "dev", "br0");
        ns(pub, "ip", "link", "set", "br0", "up");
        router(ra, ha, "a", "203.0.113.10", "10.0.1", randomFully);
        router(rb, hb, "b", "203.0.113.20", "10.0.2", randomFully);
    }

    private void router(String router, String host, String tag, String wanIp, String lanPrefix, boolean randomFully) throws Exception {
        String wan = "w" + id + tag;
        String wanPeer = "p" + id + tag;
        String lan = "l" + id + tag;
        String lanPeer = "h" + id + tag;
        run(true, "ip", "link", "add", wan, "netns", router, "type", "veth", "peer", "name", wanPeer, "netns", pub);
        ns(pub, "ip", "link", "set", wanPeer, "master", "br0");
        ns(pub, "ip", "link", "set", wanPeer, "up");
        ns(router, "ip", "addr", "add", wanIp + "/24", "dev", wan);
        ns(router, "ip", "link", "set", wan, "up");
        run(true, "ip", "link", "add", lan, "netns", router, "type", "veth", "peer", "name", lanPeer, "netns", host);
        ns(router, "ip", "addr", "add", lanPrefix + ".1/24", "dev", lan);
        ns(router, "ip", "link", "set", lan, "up");
        ns(host, "ip", "addr", "add", lanPrefix + ".2/24", "dev", lanPeer);
        ns(host, "ip", "link", "set", lanPeer, "up");
        ns(host, "ip", "route", "add", "default", "via", lanPrefix + ".1");
        ns(router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        Path rules = dir.resolve(router + ".nft");
        // The input filter is what every home router has: unsolicited packets to the router itself
        // are dropped. It matters for punching on Linux: conntrack confirms an entry only for a
        // packet that survives, so a dropped early INTRO leaves no entry behind. Without the drop,
        // the peer's early INTRO leaves an UNREPLIED entry (30 s) whose reply tuple collides with
        // our own outgoing mapping, masquerade then picks another port, and an endpoint-independent
        // NAT behaves as an endpoint-dependent one for exactly this pair of peers.
        Files.writeString(rules, "table ip nat {\n  chain postrouting {\n    type nat hook postrouting priority 100;\n"
                + "    oifname \"" + wan + "\" masquerade" + (randomFully ? " fully-random" : "") + "\n  }\n}\n"
                + "table ip filter {\n  chain input {\n    type filter hook input priority 0;\n"
                + "    iifname \"" + wan + "\" ct state new drop\n  }\n}\n");
        ns(router, "nft", "-f", rules.toString());
    }

    private Process cli(String ns, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.netbelief.punch.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private List<JsonNode> lines(String name) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(name + ".out"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static JsonNode first(List<JsonNode> lines, String event) {
        return lines.stream().filter(n -> n.path("event").asText().equals(event)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + event + "' event in " + lines));
    }

    private void ns(String ns, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        run(true, full.toArray(new String[0]));
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private static String run(boolean check, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        if (check && p.exitValue() != 0) {
            throw new IllegalStateException("failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + out);
        }
        return out;
    }
}

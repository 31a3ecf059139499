package org.netbelief.punch.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.netbelief.punch.DefaultPunchPolicy;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.LifetimeProbePolicy;
import org.netbelief.punch.LifetimeProbing;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.PeerEngine;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.PunchPolicy;
import org.netbelief.punch.UdpDriver;
import org.netbelief.punch.crypto.Identity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code netbelief peer}: registers, connects or accepts, punches, and prints events as JSON lines. */
@Command(name = "peer", mixinStandardHelpOptions = true,
        description = "Run a peer: register at the rendezvous, connect to or accept peers, print events as JSON lines.")
final class PeerCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--rendezvous", required = true, paramLabel = "HOST:PORT", description = "The rendezvous to register at.")
    InetSocketAddress rendezvous;

    @Option(names = "--name", defaultValue = "", description = "Name to register (bound to the first key that registers it).")
    String name;

    @Option(names = "--id-file", paramLabel = "F", description = "Ed25519 identity file; created when missing (default: a fresh identity).")
    Path idFile;

    @Option(names = "--connect", paramLabel = "NAME_OR_ID", description = "Peer to connect to (without it, the peer accepts introductions).")
    String connect;

    @Option(names = "--send", paramLabel = "TEXT", description = "Text to send to each peer once a path is established.")
    String send;

    @Option(names = "--send-every", paramLabel = "MS", description = "Repeat --send to every established peer this often (default: once).")
    long sendEveryMillis;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until killed).")
    double duration;

    @Option(names = "--bind", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:0", description = "Local UDP address (default: ${DEFAULT-VALUE}).")
    InetSocketAddress bind;

    @Option(names = "--policy", defaultValue = "beliefs", paramLabel = "beliefs|fixed",
            description = "beliefs: netbelief's model decides candidates, pacing, give-up and keepalives;"
                    + " fixed: the fixed timers of --give-up-millis and --keepalive-millis (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Model configuration (priors, half-lives) for --policy beliefs, e.g. from './netbelief fit'.")
    Path modelFile;

    @Option(names = "--give-up-millis", defaultValue = "" + DefaultPunchPolicy.GIVE_UP_MILLIS,
            description = "With --policy fixed: punching time before falling back to the relay (default: ${DEFAULT-VALUE}).")
    long giveUpMillis;

    @Option(names = "--keepalive-millis", defaultValue = "" + DefaultPunchPolicy.KEEPALIVE_MILLIS,
            description = "With --policy fixed: keepalive interval of an established path (default: ${DEFAULT-VALUE}).")
    long keepaliveMillis;

    /** The engine's policy and the observer that learns from its packet events. */
    private record PolicyChoice(PunchPolicy policy, PathObserver observer) {}

    /** The policy and observer chosen by --policy and --model. */
    private PolicyChoice policyAndObserver() throws java.io.IOException {
        switch (policy) {
            case "fixed":
                if (modelFile != null) {
                    throw new IllegalArgumentException("--model applies to --policy beliefs only");
                }
                return new PolicyChoice(new DefaultPunchPolicy(giveUpMillis, keepaliveMillis,
                        rendezvousKeepaliveMillis != null ? rendezvousKeepaliveMillis : keepaliveMillis), PathObserver.NONE);
            case "beliefs":
                org.netbelief.punch.belief.BeliefPolicy.Builder b = org.netbelief.punch.belief.BeliefPolicy.builder();
                if (modelFile != null) {
                    b.model(org.netbelief.punch.config.ModelConfigFiles.load(modelFile));
                }
                org.netbelief.punch.belief.BeliefPolicy beliefs = b.build();
                return new PolicyChoice(beliefs, beliefs);
            default:
                throw new IllegalArgumentException("--policy must be 'beliefs' or 'fixed', got '" + policy + "'");
        }
    }

    @Option(names = "--rendezvous-keepalive-millis", paramLabel = "MS",
            description = "Keepalive interval of the link to the rendezvous (default: --keepalive-millis).")
    Long rendezvousKeepaliveMillis;

    @Option(names = "--probe-lifetime", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Learn how long the NAT keeps a silent binding with a second, sacrificial UDP socket"
                    + " (lifetime discovery, docs/protocol.md); on by default when the policy learns lifetimes.")
    boolean probeLifetime;

    @Override
    public Integer call() throws Exception {
        JsonLines json = new JsonLines(main.out);
        SecureRandom rnd = new SecureRandom();
        Identity identity = idFile != null ? Identity.loadOrCreate(idFile, rnd) : Identity.generate(rnd);
        PolicyChoice chosen;
        try {
            chosen = policyAndObserver();
        } catch (IllegalArgumentException | java.io.IOException e) {
            main.err.println("netbelief: " + e.getMessage());
            return 2;
        }
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Set<String> sentTo = ConcurrentHashMap.newKeySet();
        try (UdpDriver driver = UdpDriver.open(bind)) {
            PeerEngine[] holder = new PeerEngine[1];
            EngineSink app = new EngineSink() {
                @Override
                public void send(ByteBuffer d, InetSocketAddress to) {}

                @Override
                public void event(PunchEvent e) {
                    json.print(json.of(e));
                    switch (e.kind()) {
                        case REGISTRATION_FAILED:
                            main.err.println("netbelief: cannot reach the rendezvous at " + JsonLines.endpoint(rendezvous)
                                    + ": no answer within " + PeerEngine.REGISTER_TIMEOUT_NANOS / 1_000_000_000L + " s");
                            exit.complete(Main.EXIT_UNREACHABLE);
                            break;
                        case REJECTED:
                            main.err.println("netbelief: the name '" + name + "' is taken by another key at the rendezvous");
                            exit.complete(Main.EXIT_NAME_TAKEN);
                            break;
                        case DECLINED:
                            main.err.println("netbelief: connect to '" + e.peerName() + "' failed: " + e.reason());
                            exit.complete(Main.EXIT_DECLINED);
                            break;
                        case ESTABLISHED:
                            if (send != null && sentTo.add(e.peerId())) {
                                String peer = e.peerId();
                                // Deferred to the next loop cycle: the engine is still inside its own call.
                                driver.execute(now -> holder[0].send(peer, ByteBuffer.wrap(send.getBytes(StandardCharsets.UTF_8)), now));
                            }
                            break;
                        default:
                            break;
                    }
                }

                @Override
                public void data(String peerId, ByteBuffer payload, boolean relayed, long nowNanos) {
                    byte[] b = new byte[payload.remaining()];
                    payload.get(payload.position(), b);
                    json.print(json.object("data").put("peer", peerId).put("via", relayed ? "relay" : "direct")
                            .put("text", new String(b, StandardCharsets.UTF_8)));
                }
            };
            PunchPolicy punchPolicy = chosen.policy();
            PeerEngine engine = new PeerEngine(identity, name, rendezvous, localCandidates(driver.localAddress()), connect == null,
                    punchPolicy, chosen.observer(), driver.sink(app), rnd);
            holder[0] = engine;
            json.print(json.object("started").put("peer", identity.peerIdHex()).put("name", name)
                    .put("local", JsonLines.endpoint(driver.localAddress())));
            driver.start(engine, "peer");
            driver.execute(engine::start);
            LifetimeProbing probing = probeLifetime && punchPolicy instanceof LifetimeProbePolicy lp
                    ? LifetimeProbing.start(driver, lp, rendezvous, rnd) : null;
            if (probing != null) {
                json.print(json.object("probing").put("local", JsonLines.endpoint(probing.localAddress())));
            }
            if (connect != null) {
                String target = connect;
                driver.execute(now -> engine.connect(target, now));
            }
            int code = waitForExit(exit, driver, engine, sentTo);
            if (probing != null) {
                probing.close();
            }
            json.print(json.drops(engine, json.object("stopped").put("errors", driver.errors())));
            return code;
        } catch (IllegalArgumentException e) {
            main.err.println("netbelief: " + e.getMessage());
            return 2;
        }
    }

    /** Waits for an exit code or the duration, repeating {@code --send} every {@code --send-every} ms. */
    private int waitForExit(CompletableFuture<Integer> exit, UdpDriver driver, PeerEngine engine, Set<String> peers) throws Exception {
        long end = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : Long.MAX_VALUE;
        while (true) {
            long left = end == Long.MAX_VALUE ? Long.MAX_VALUE : (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return 0;
            }
            long wait = send != null && sendEveryMillis > 0 ? Math.min(left, sendEveryMillis) : left;
            try {
                return wait == Long.MAX_VALUE ? exit.get() : exit.get(wait, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (send != null && sendEveryMillis > 0) {
                    for (String peer : peers) {
                        driver.execute(now -> engine.send(peer, ByteBuffer.wrap(send.getBytes(StandardCharsets.UTF_8)), now));
                    }
                }
            }
        }
    }

    /** The socket's own address, or every up IPv4 interface address when bound to the wildcard. */
    static List<InetSocketAddress> localCandidates(InetSocketAddress bound) throws java.net.SocketException {
        if (!bound.getAddress().isAnyLocalAddress()) {
            return List.of(bound);
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    out.add(new InetSocketAddress(a, bound.getPort()));
                }
            }
        }
        if (out.isEmpty()) {
            out.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort()));
        }
        return out;
    }
}

package org.netbelief.punch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The peer's lifetime-probing switch: on by default, off with --no-probe-lifetime. */
class PeerProbeOptionTest {

    private static PeerCommand parse(String... args) {
        PeerCommand peer = new PeerCommand();
        new CommandLine(peer).registerConverter(java.net.InetSocketAddress.class, Main::endpoint).parseArgs(args);
        return peer;
    }

    @Test
    void probeLifetime_default_on() {
        assertThat(parse("--rendezvous", "127.0.0.1:7000").probeLifetime).isTrue();
    }

    @Test
    void probeLifetime_negated_off() {
        assertThat(parse("--rendezvous", "127.0.0.1:7000", "--no-probe-lifetime").probeLifetime).isFalse();
        assertThat(parse("--rendezvous", "127.0.0.1:7000", "--probe-lifetime").probeLifetime).isTrue();
    }

    @Test
    void help_namesTheSwitch() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.execute(new String[] {"peer", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--[no-]probe-lifetime");
    }
}

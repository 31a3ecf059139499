package org.netbelief.punch.cli;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.RendezvousEngine;
import org.netbelief.punch.UdpDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netbelief rendezvous --listen HOST:PORT [--alternate HOST2:PORT2]}: registers, introduces
 * and relays; with an alternate endpoint it also answers NAT behaviour discovery.
 */
@Command(name = "rendezvous", mixinStandardHelpOptions = true,
        description = "Run a rendezvous: registers peers, binds names to keys, introduces and relays.")
final class RendezvousCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "UDP address to listen on.")
    InetSocketAddress listen;

    @Option(names = "--alternate", paramLabel = "HOST:PORT",
            description = "Also answer NAT behaviour discovery (RFC 5780): listen on HOST:PORT (another address of this"
                    + " machine) and on the --listen address at PORT. --listen must then name a concrete address.")
    InetSocketAddress alternate;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until killed).")
    double duration;

    @Override
    public Integer call() throws Exception {
        JsonLines json = new JsonLines(main.out);
        if (alternate != null && (listen.getAddress() == null || listen.getAddress().isAnyLocalAddress()
                || alternate.getAddress() == null || alternate.getAddress().isAnyLocalAddress()
                || alternate.getAddress().equals(listen.getAddress()) || alternate.getPort() == listen.getPort()
                || alternate.getPort() == 0)) {
            main.err.println("netbelief: --alternate " + JsonLines.endpoint(alternate) + " needs a concrete --listen address"
                    + " and must differ from " + JsonLines.endpoint(listen) + " in both address and port");
            return 2;
        }
        try (UdpDriver driver = UdpDriver.open(listen)) {
            InetSocketAddress altPort = null;
            if (alternate != null) {
                altPort = new InetSocketAddress(listen.getAddress(), alternate.getPort());
                driver.openAlternates(altPort, alternate);
            }
            EngineSink app = new EngineSink() {
                @Override
                public void send(java.nio.ByteBuffer d, InetSocketAddress to) {}

                @Override
                public void event(PunchEvent e) {
                    json.print(json.of(e));
                }
            };
            RendezvousEngine engine = new RendezvousEngine(driver.sink(app), new SecureRandom(), altPort, alternate);
            driver.start(engine, "rendezvous");
            var listening = json.object("listening").put("endpoint", JsonLines.endpoint(driver.localAddress()));
            if (alternate != null) {
                listening.put("alternatePort", JsonLines.endpoint(altPort)).put("alternateAddress", JsonLines.endpoint(alternate));
            }
            json.print(listening);
            if (duration > 0) {
                Thread.sleep((long) (duration * 1000));
            } else {
                Thread.sleep(Long.MAX_VALUE);
            }
            json.print(json.drops(engine, json.object("stopped").put("errors", driver.errors())));
            return 0;
        } catch (java.net.BindException e) {
            main.err.println("netbelief: cannot listen on " + JsonLines.endpoint(listen) + ": " + e.getMessage());
            return 1;
        }
    }
}

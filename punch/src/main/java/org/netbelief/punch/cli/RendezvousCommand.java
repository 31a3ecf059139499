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

/** {@code netbelief rendezvous --listen HOST:PORT}: registers, introduces and relays. */
@Command(name = "rendezvous", mixinStandardHelpOptions = true,
        description = "Run a rendezvous: registers peers, binds names to keys, introduces and relays.")
final class RendezvousCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "UDP address to listen on.")
    InetSocketAddress listen;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until killed).")
    double duration;

    @Override
    public Integer call() throws Exception {
        JsonLines json = new JsonLines(main.out);
        try (UdpDriver driver = UdpDriver.open(listen)) {
            EngineSink app = new EngineSink() {
                @Override
                public void send(java.nio.ByteBuffer d, InetSocketAddress to) {}

                @Override
                public void event(PunchEvent e) {
                    json.print(json.of(e));
                }
            };
            RendezvousEngine engine = new RendezvousEngine(driver.sink(app), new SecureRandom());
            driver.start(engine, "rendezvous");
            json.print(json.object("listening").put("endpoint", JsonLines.endpoint(driver.localAddress())));
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

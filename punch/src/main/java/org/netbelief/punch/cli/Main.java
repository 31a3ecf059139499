package org.netbelief.punch.cli;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code netbelief} command line: {@code rendezvous} and {@code peer} over real UDP. Each
 * prints one JSON object per line per event, each with {@code event} and {@code timeMillis}.
 *
 * <pre>
 * ./netbelief rendezvous --listen 127.0.0.1:7000
 * ./netbelief peer --rendezvous 127.0.0.1:7000 --name bob
 * ./netbelief peer --rendezvous 127.0.0.1:7000 --name alice --connect bob --send hello
 * </pre>
 *
 * <p>Exit codes: 0 done, 1 runtime error, 2 usage error, {@value #EXIT_UNREACHABLE} rendezvous
 * unreachable, {@value #EXIT_NAME_TAKEN} name taken by another key, {@value #EXIT_DECLINED}
 * connect declined or unanswered.
 */
@Command(name = "netbelief", mixinStandardHelpOptions = true, version = "netbelief 0.1.0",
        description = "Hole punching with honest beliefs about the network.",
        subcommands = {SimulateCommand.class, ReplayCommand.class, RendezvousCommand.class,
            PeerCommand.class, FitCommand.class, EvaluateCommand.class})
public final class Main implements Runnable {
    /** Exit code: the rendezvous did not answer. */
    public static final int EXIT_UNREACHABLE = 3;
    /** Exit code: the name is bound to another key. */
    public static final int EXIT_NAME_TAKEN = 4;
    /** Exit code: the connect request was declined or unanswered. */
    public static final int EXIT_DECLINED = 5;

    final PrintStream out;
    final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /**
     * Runs the command line without exiting (tests, embedding).
     *
     * @param args arguments
     * @param out where JSON lines go
     * @param err where diagnostics go
     * @return the exit code
     */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        Main main = new Main(out, err);
        CommandLine cl = new CommandLine(main);
        cl.registerConverter(InetSocketAddress.class, Main::endpoint);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl.execute(args);
    }

    @Override
    public void run() {
        err.println("netbelief: choose a subcommand: simulate, replay, rendezvous, peer, fit or evaluate (see --help)");
    }

    /**
     * Parses {@code HOST:PORT} or {@code [V6]:PORT}.
     *
     * @param text the text
     * @return a resolved endpoint
     * @throws CommandLine.TypeConversionException naming the text when malformed or unresolvable
     */
    static InetSocketAddress endpoint(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("port in '" + text + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.TypeConversionException("port " + port + " in '" + text + "' is outside 0..65535");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new CommandLine.TypeConversionException("host '" + host + "' does not resolve");
        }
        return a;
    }
}

package org.netbelief.punch.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.netbelief.punch.config.ModelConfigFiles;
import org.netbelief.punch.sim.Replay;
import org.netbelief.punch.trace.TraceFormatException;
import org.netbelief.punch.trace.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netbelief replay TRACE}: feeds a trace to a fresh netbelief policy per host and prints
 * each path's belief at the trace's end, one JSON line per path.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Feed a trace to a fresh BeliefPolicy per host and print every path's belief at the trace's end (JSON lines).")
final class ReplayCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "TRACE", description = "A trace written by simulate --trace.")
    Path trace;

    @Option(names = "--strict", description = "Fail on the first malformed line (default: skip and count).")
    boolean strict;

    @Option(names = "--model", paramLabel = "FILE", description = "Model configuration JSON for the policies.")
    Path model;

    @Override
    public Integer call() throws Exception {
        Replay.Result r;
        try {
            r = Replay.run(trace, strict ? TraceReader.Mode.STRICT : TraceReader.Mode.LENIENT,
                    model == null ? null : ModelConfigFiles.load(model));
        } catch (TraceFormatException e) {
            main.err.println("netbelief replay: " + e.getMessage());
            return SimulateCommand.EXIT_BAD_INPUT;
        }
        for (Replay.PathBelief b : r.beliefs()) {
            main.out.printf(Locale.ROOT,
                    "{\"host\":\"%s\",\"path\":\"%016x\",\"peer\":\"%s\",\"remote\":\"%s\",\"pSuccess\":%.6f,\"keepaliveSeconds\":%.3f,\"atSeconds\":%.3f}%n",
                    b.host(), b.pathKey(), b.peerId(), b.remote(), b.successProbability(), b.keepaliveNanos() / 1e9,
                    b.atNanos() / 1e9);
        }
        main.err.printf(Locale.ROOT, "replay: %d events from %d hosts, %d lines skipped%n",
                r.trace().events(), r.policies().size(), r.trace().skipped());
        for (String p : r.trace().problems()) {
            main.err.println("replay: skipped " + p);
        }
        return 0;
    }
}

package org.netbelief.punch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.netbelief.punch.config.ModelConfigException;
import org.netbelief.punch.config.ModelConfigFiles;
import org.netbelief.punch.sim.EnginePolicy;
import org.netbelief.punch.sim.Scenario;
import org.netbelief.punch.sim.ScenarioException;
import org.netbelief.punch.sim.ScenarioLoader;
import org.netbelief.punch.sim.Simulate;
import org.netbelief.punch.trace.TraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netbelief simulate}: runs a scenario (the built-in default without {@code --scenario})
 * under netbelief, ice-like, mesh-like and the oracle, prints the report table and writes
 * {@code report.json}, CSVs and PNG plots under {@code --out}.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate a population of peers behind NATs under netbelief and the baselines; print and write the report.")
final class SimulateCommand implements Callable<Integer> {
    /** Exit code for bad input (scenario, existing report). */
    static final int EXIT_BAD_INPUT = 2;
    /** Peers of the built-in default run (sized to finish in well under 30 s on 2 cores). */
    static final int DEFAULT_PEERS = 300;
    /** Virtual hours of the built-in default run. */
    static final double DEFAULT_HOURS = 1.0;

    @ParentCommand
    Main main;

    @Option(names = "--scenario", paramLabel = "FILE", description = "Scenario file (JSON, or YAML by .yaml/.yml); default: the built-in default scenario.")
    Path scenarioFile;

    @Option(names = "--seed", paramLabel = "N", description = "Override the scenario's seed.")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "netbelief-out", description = "Output folder (default: ${DEFAULT-VALUE}); created when missing.")
    Path out;

    @Option(names = "--force", description = "Replace an existing report in --out.")
    boolean force;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write every path event the netbelief policy saw as JSON lines.")
    Path trace;

    @Option(names = "--model", paramLabel = "FILE", description = "Model configuration JSON for the netbelief policy.")
    Path model;

    @Option(names = "--peers", paramLabel = "N", description = "Override the number of peers.")
    Integer peers;

    @Option(names = "--hours", paramLabel = "H", description = "Override the virtual duration in hours.")
    Double hours;

    @Override
    public Integer call() throws Exception {
        Scenario s;
        try {
            s = scenario();
        } catch (ScenarioException e) {
            main.err.println("netbelief simulate: invalid scenario: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (!force && Files.exists(out.resolve("report.json"))) {
            main.err.println("netbelief simulate: " + out.resolve("report.json")
                    + " exists; pass --force to replace it, or choose another --out folder");
            return EXIT_BAD_INPUT;
        }
        EnginePolicy.Factory netbelief;
        try {
            netbelief = Simulate.netbelief(model == null ? null : ModelConfigFiles.load(model));
        } catch (ModelConfigException e) {
            main.err.println("netbelief simulate: invalid model configuration: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        Simulate.Result r;
        Writer tw = trace == null ? null : Files.newBufferedWriter(trace, StandardCharsets.UTF_8);
        try (TraceWriter t = tw == null ? null : TraceWriter.open(tw, "simulate", s.seed())) {
            r = Simulate.run(s, netbelief, out, force, t, (policy, f, st) -> {
                if (Math.round(f * 20) % 4 == 0) {
                    main.err.printf(Locale.ROOT, "simulate: %-9s %3.0f%% of %.0f virtual s, %d events, %.1f s wall%n",
                            policy, 100 * f, s.durationSeconds(), st.events(), (System.nanoTime() - t0) / 1e9);
                }
            });
        }
        r.runTimes().forEach((policy, t) -> main.err.printf(Locale.ROOT,
                "simulate: %-9s ran in %.1f s wall, %.1f s CPU%n", policy, t.wallSeconds(), t.cpuSeconds()));
        main.out.printf(Locale.ROOT, "scenario %s: %d peers, %.0f virtual s, seed %d, %d requests per policy%n",
                s.name(), s.peers(), s.durationSeconds(), s.seed(), r.log().records("netbelief").size());
        main.out.print(r.table());
        main.out.printf(Locale.ROOT, "report: %s (and summary.csv, connections.csv, %s, %s, %s); %.1f s wall%n",
                out.resolve("report.json"), Simulate.RELIABILITY_PNG, Simulate.BELIEF_PNG, Simulate.KEEPALIVE_PNG,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private Scenario scenario() throws IOException {
        Scenario base;
        if (scenarioFile != null) {
            base = ScenarioLoader.load(scenarioFile);
        } else {
            base = ScenarioLoader.parse("{\"peers\": " + DEFAULT_PEERS + ", \"durationSeconds\": "
                    + DEFAULT_HOURS * 3600 + "}", "built-in default", false);
        }
        if (seed == null && peers == null && hours == null) {
            return base;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = (ObjectNode) json.readTree(ScenarioLoader.toJson(base));
        if (seed != null) {
            o.put("seed", seed);
        }
        if (peers != null) {
            o.put("peers", peers);
        }
        if (hours != null) {
            o.put("durationSeconds", hours * 3600);
        }
        return ScenarioLoader.parse(json.writeValueAsString(o), "command line", false);
    }
}

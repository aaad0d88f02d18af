package nfcpay.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.bench.BenchException;
import nfcpay.bench.BenchOptions;
import nfcpay.bench.BenchReport;
import nfcpay.bench.BenchmarkRunner;
import nfcpay.bench.ProgressBar;
import nfcpay.bench.air.BitRate;
import nfcpay.bench.measure.StrategyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nfcpay bench}: the benchmarks of docs/benchmarks.md, one call into the bench module. */
@Command(name = "bench", subcommands = {HostBenchCommand.class, PrivacyBenchCommand.class},
        description = {"Measure the invention: first-tap success, exchange cost and selection scaling.",
            "",
            "Replays one seeded workload (holders with 1 to 6 cards, top-ups, log-normal purchases over simulated"
                + " days) once per strategy - DEFAULT_CARD, TERMINAL_RETRY and smart selection with each policy -"
                + " through this terminal's kernel and the real applets on simulated SIMs, then measures smart"
                + " selection against 1 to 16 cards. Prints the tables and writes results.json, results.csv,"
                + " selection_scaling.csv, results.md and PNG charts into --out. A full run takes a few minutes,"
                + " --quick about half a minute. The SIMs carry the test keys and the journals live in a temporary directory,"
                + " so --reader, --data-dir, --key-file and --trace do not apply. See docs/benchmarks.md."})
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "About half a minute (25 to 28 s of CPU): three simulated weeks, at least"
            + " 5,000 purchases.")
    boolean quick;

    @Option(names = "--smoke", description = "A few seconds and a handful of purchases, to check the tool works;"
            + " the figures mean nothing.")
    boolean smoke;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_SEED,
            description = "The workload's seed (default: ${DEFAULT-VALUE}); the same seed gives the same counts.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = BenchOptions.DEFAULT_OUT_NAME,
            description = "Where the results go, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        if (quick && smoke) {
            throw new ParameterException(spec.commandLine(), "--quick or --smoke, not both");
        }
        if (root.trace) {
            throw new ParameterException(spec.commandLine(), "--trace does not apply to bench (it would print every"
                    + " APDU of hundreds of thousands of taps)");
        }
        if (root.typed("--key-file")) { // a key-file in the config is the till's, not a request to bench with it
            throw new ParameterException(spec.commandLine(), "--key-file does not apply to bench: its simulated SIMs"
                    + " are issued under the test keys");
        }
        BenchOptions options = smoke ? BenchOptions.smoke(seed, out) : new BenchOptions(quick, seed, out);
        BenchReport report;
        try {
            report = BenchmarkRunner.run(options, ProgressBar.barOrNothing());
        } catch (BenchException e) {
            spec.commandLine().getErr().println(Main.ERROR_PREFIX + Main.oneLine(e.getMessage()));
            spec.commandLine().getErr().flush();
            JsonErrors.print(spec.commandLine(), root.json, root, Main.oneLine(e.getMessage()), Main.ERROR);
            return Main.ERROR;
        }
        List<Object> files = new ArrayList<>();
        report.files().forEach(f -> files.add(f.getFileName().toString()));
        root.print(json(report, files), text -> {
            text.print(report.markdown());
            text.println();
            text.println("Written to " + out + ": " + String.join(", ", files.stream().map(Object::toString).toList()));
        }, true);
        return Main.OK;
    }

    /** The headline figures as decimal strings (the command line writes no floating point); results.json has all. */
    private Map<String, Object> json(BenchReport report, List<Object> files) {
        Map<String, Object> o = Json.object();
        o.put("status", "done");
        o.put("scale", report.options().scale().name());
        o.put("seed", seed);
        o.put("out", out.toString());
        o.put("files", files);
        o.put("seconds", Math.round(report.seconds()));
        o.put("holders", report.results().workload().holders().size());
        o.put("purchases", report.results().workload().purchases());
        Map<String, Object> strategies = Json.object();
        for (StrategyResult r : report.results().strategies()) {
            Map<String, Object> s = Json.object();
            s.put("first_tap_success", decimal(r.firstTapSuccess(), 4));
            s.put("long_run_success", decimal(r.longRunSuccess(), 4));
            s.put("coverable_declined", r.coverableDeclined());
            s.put("apdus_per_purchase", decimal(r.cost().apdusPerTap(), 2));
            s.put("bytes_per_purchase", decimal(r.cost().bytesPerTap(), 1));
            s.put("air_time_ms_106k", decimal(r.cost().airMillisPerTap(BitRate.KBPS_106), 2));
            s.put("balances_disclosed", decimal(r.balancesDisclosed(), 3));
            strategies.put(r.strategy().name(), s);
        }
        o.put("strategies", strategies);
        return o;
    }

    private static String decimal(double value, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }
}

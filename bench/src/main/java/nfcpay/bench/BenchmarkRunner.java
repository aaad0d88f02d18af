package nfcpay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import nfcpay.bench.air.AirTimeModel;
import nfcpay.bench.measure.JournalCost;
import nfcpay.bench.measure.SelectionScaling;
import nfcpay.bench.measure.Strategy;
import nfcpay.bench.measure.StrategyResult;
import nfcpay.bench.measure.StrategyRun;
import nfcpay.bench.output.Charts;
import nfcpay.bench.output.ResultFiles;
import nfcpay.bench.output.Results;
import nfcpay.bench.workload.Holder;
import nfcpay.bench.workload.Workload;
import nfcpay.bench.workload.WorkloadGenerator;
import nfcpay.bench.workload.WorkloadParameters;
import nfcpay.terminal.TerminalException;

/**
 * {@code nfcpay bench}: draws the seeded workload, replays it once per strategy through the real
 * kernel and applets, measures smart-selection cost for 1..16 cards and the journal's fsync cost,
 * and writes results.json, results.csv, selection_scaling.csv, results.md and the PNG charts.
 *
 * <pre>{@code
 * BenchReport report = BenchmarkRunner.run(new BenchOptions(quick, seed, outDir), ProgressBar.auto());
 * System.out.print(report.markdown());
 * }</pre>
 *
 * Single-threaded: the wall-time figures are those of one core. Journals live in a temporary
 * directory (tmpfs when the machine has one) that is deleted afterwards.
 */
public final class BenchmarkRunner {

    private static final Path TMPFS = Path.of("/dev/shm");

    private final BenchOptions options;
    private final ProgressListener progress;
    private final AirTimeModel model = AirTimeModel.standard();
    private String phase = "workload";
    private long done;
    private long total = 1;

    private BenchmarkRunner(BenchOptions options, ProgressListener progress) {
        this.options = options;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    /**
     * Runs the whole benchmark and writes its files into {@code options.outDir()}.
     *
     * @throws BenchException when a purchase or load fails, the bench's ledger disagrees with a
     *     card, or the files cannot be written (one-line message)
     */
    public static BenchReport run(BenchOptions options, ProgressListener progress) throws BenchException {
        BenchmarkRunner runner = new BenchmarkRunner(options, progress);
        try {
            return runner.execute();
        } catch (TerminalException | IllegalStateException e) {
            throw new BenchException("benchmark aborted in " + runner.phase + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BenchException("cannot write the results to " + options.outDir() + ": "
                    + nfcpay.terminal.IoErrors.describe(e, options.outDir()), e);
        } finally {
            runner.progress.finished();
        }
    }

    private BenchReport execute() throws TerminalException, IOException {
        long startNanos = System.nanoTime();
        Instant started = Instant.now();
        String loadAtStart = loadAverage();
        BenchScale scale = options.scale();
        Files.createDirectories(options.outDir());
        Workload workload = new WorkloadGenerator(WorkloadParameters.defaults(scale.days(), scale.minPurchases()))
                .generate(options.seed());

        Path memory = tmpfs();
        Path work = Files.createTempDirectory(memory != null ? memory : Path.of(System.getProperty("java.io.tmpdir")),
                "nfcpay-bench-");
        Path disk = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "nfcpay-bench-disk-");
        try {
            SelectionScaling scaling = new SelectionScaling(model, work, scale.scalingMaxCards(), scale.scalingPurchases(),
                    scale.walkPurchases(), scale.rawRounds(), this::tick);
            total = Strategy.values().length * workload.events() + scaling.units()
                    + (long) scale.journalCostPurchases() * (memory != null ? 2 : 1) + 1;

            List<StrategyResult> strategies = runStrategies(workload, work);
            phase = "selection scaling";
            tick(0);
            List<SelectionScaling.Point> points = scaling.run(options.seed());
            phase = "journal cost";
            tick(0);
            JournalCost.Result journalCost = JournalCost.measure(disk, memory != null ? work : null,
                    scale.journalCostPurchases(), options.seed(), this::tick);

            phase = "writing results";
            tick(0);
            Map<String, Object> info = runInfo(started, startNanos, work);
            info.put("load_average_start", loadAtStart);
            info.put("load_average_end", loadAverage());
            Results results = new Results(info, workload, model, strategies, points, journalCost);
            List<Path> files = new ArrayList<>(ResultFiles.write(results, options.outDir()));
            files.addAll(Charts.write(results, options.outDir()));
            tick(1);
            return new BenchReport(options, results, files, (System.nanoTime() - startNanos) / 1e9);
        } finally {
            deleteQuietly(work);
            deleteQuietly(disk);
        }
    }

    /** Every strategy on every holder, holder by holder, so that warm-up and noise fall on all strategies alike. */
    private List<StrategyResult> runStrategies(Workload workload, Path journalDir) throws TerminalException {
        List<StrategyRun> runs = new ArrayList<>();
        try {
            for (Strategy s : Strategy.values()) {
                runs.add(new StrategyRun(s, workload, model, journalDir));
            }
            int n = workload.holders().size();
            for (Holder holder : workload.holders()) {
                phase = String.format(Locale.ROOT, "six strategies: holder %d of %d", holder.index() + 1, n);
                for (StrategyRun run : runs) {
                    run.runHolder(holder, this::tick);
                }
            }
            List<StrategyResult> results = new ArrayList<>();
            for (StrategyRun run : runs) {
                results.add(run.result());
            }
            return results;
        } finally {
            for (StrategyRun run : runs) {
                run.close();
            }
        }
    }

    private Map<String, Object> runInfo(Instant started, long startNanos, Path journalDir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "nfcpay bench");
        m.put("results_version", 1);
        m.put("seed", options.seed());
        m.put("quick", options.quick());
        m.put("scale_name", options.scale().name());
        m.put("command", options.command());
        m.put("test_keys", true);
        m.put("started_at", started.toString());
        m.put("measure_seconds", (System.nanoTime() - startNanos) / 1e9);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("arch", System.getProperty("os.arch"));
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("machine", machine);
        m.put("machine_summary", String.format(Locale.ROOT, "%s, %d CPUs, Java %s", System.getProperty("os.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        m.put("threads", 1);
        m.put("cpu_time", nfcpay.bench.measure.CpuClock.supported() ? "thread CPU time (ThreadMXBean)" : "not supported: wall time");
        m.put("journal_file_store", JournalCost.store(journalDir));
        Map<String, Object> s = new LinkedHashMap<>();
        BenchScale scale = options.scale();
        s.put("days", scale.days());
        s.put("min_purchases", scale.minPurchases());
        s.put("scaling_max_cards", scale.scalingMaxCards());
        s.put("scaling_purchases", scale.scalingPurchases());
        s.put("walk_purchases", scale.walkPurchases());
        s.put("raw_rounds", scale.rawRounds());
        s.put("journal_cost_purchases", scale.journalCostPurchases());
        m.put("scale", s);
        return m;
    }

    private void tick() {
        tick(1);
    }

    private void tick(int units) {
        done += units;
        progress.progress(phase, Math.min(done, total), total);
    }

    /** The 1-minute load average (other processes sharing the cores), or "unknown". */
    static String loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
    }

    /** /dev/shm when it is a writable tmpfs; null otherwise. */
    private static Path tmpfs() {
        if (Files.isDirectory(TMPFS) && Files.isWritable(TMPFS) && "tmpfs".equals(JournalCost.store(TMPFS))) {
            return TMPFS;
        }
        return null;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the run
        }
    }
}

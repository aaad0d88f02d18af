package nfcpay.bench;

import java.nio.file.Path;
import java.util.List;
import nfcpay.bench.measure.Strategy;
import nfcpay.bench.measure.StrategyResult;
import nfcpay.bench.output.Markdown;
import nfcpay.bench.output.ResultFiles;
import nfcpay.bench.output.Results;

/**
 * The outcome of a run: the figures, and the files written.
 *
 * @param options what was asked
 * @param results every figure
 * @param files the files written into the output directory (results.json first)
 * @param seconds wall time of the whole run
 */
public record BenchReport(BenchOptions options, Results results, List<Path> files, double seconds) {

    public BenchReport {
        files = List.copyOf(files);
    }

    public StrategyResult strategy(Strategy strategy) {
        return results.strategies().stream().filter(r -> r.strategy() == strategy).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + strategy));
    }

    /** The results as Markdown tables, as in results.md (what the command line prints). */
    public String markdown() {
        return Markdown.of(results);
    }

    public Path json() {
        return options.outDir().resolve(ResultFiles.JSON);
    }
}

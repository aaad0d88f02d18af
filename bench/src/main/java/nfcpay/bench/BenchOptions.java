package nfcpay.bench;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code nfcpay bench [--quick] [--seed N] [--out DIR]} asks for.
 *
 * @param quick about half a minute instead of the full run
 * @param seed the workload seed (the same seed gives the same workload and the same counts)
 * @param outDir where results.json, the CSVs, results.md and the PNG charts go (created if missing)
 * @param scale how long the run is; null means {@link BenchScale#QUICK} or {@link BenchScale#FULL} after {@code quick}
 */
public record BenchOptions(boolean quick, long seed, Path outDir, BenchScale scale) {

    public static final long DEFAULT_SEED = 20260301L;
    public static final String DEFAULT_OUT_NAME = "bench-results";
    public static final Path DEFAULT_OUT = Path.of(DEFAULT_OUT_NAME);

    public BenchOptions {
        Objects.requireNonNull(outDir, "an output directory");
        if (scale == null) {
            scale = quick ? BenchScale.QUICK : BenchScale.FULL;
        }
    }

    /** The command line's options: full or quick. */
    public BenchOptions(boolean quick, long seed, Path outDir) {
        this(quick, seed, outDir, null);
    }

    /** A run of a few seconds that checks the tool and its outputs ({@link BenchScale#SMOKE}); its figures mean nothing. */
    public static BenchOptions smoke(long seed, Path outDir) {
        return new BenchOptions(true, seed, outDir, BenchScale.SMOKE);
    }

    /** The command that reproduces this run. */
    public String command() {
        String size = switch (scale.name()) {
            case "full" -> "";
            case "quick" -> " --quick";
            case "smoke" -> " --smoke";
            default -> " (custom scale " + scale + ")";
        };
        return "nfcpay bench" + size + " --seed " + seed + " --out " + outDir;
    }
}

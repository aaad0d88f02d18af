package nfcpay.bench;

import java.nio.file.Path;

/**
 * Runs the benchmark without the command line module:
 * {@code java -cp ... nfcpay.bench.Main [--quick | --smoke] [--seed N] [--out DIR]}.
 * Prints the Markdown tables on stdout; exit status 0 when done, 1 when the run failed, 2 on bad arguments.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        boolean quick = false;
        boolean smoke = false;
        long seed = BenchOptions.DEFAULT_SEED;
        Path out = BenchOptions.DEFAULT_OUT;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--smoke" -> smoke = true;
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
                    case "--out" -> out = Path.of(value(args, ++i, "--out"));
                    case "-h", "--help" -> {
                        System.out.println("usage: nfcpay.bench.Main [--quick | --smoke] [--seed N] [--out DIR]");
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (quick && smoke) {
                throw new IllegalArgumentException("--quick or --smoke, not both");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("nfcpay bench: " + e.getMessage());
            System.err.println("usage: nfcpay.bench.Main [--quick | --smoke] [--seed N] [--out DIR]");
            return 2;
        }
        try {
            BenchOptions options = smoke ? BenchOptions.smoke(seed, out) : new BenchOptions(quick, seed, out);
            BenchReport report = BenchmarkRunner.run(options, ProgressBar.auto());
            System.out.print(report.markdown());
            System.out.printf("%nwritten in %.0f s: %s%n", report.seconds(), report.files());
            return 0;
        } catch (BenchException e) {
            System.err.println("nfcpay bench: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}

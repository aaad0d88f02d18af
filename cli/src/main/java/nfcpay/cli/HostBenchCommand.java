package nfcpay.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import nfcpay.host.bench.HostBench;
import nfcpay.host.db.HostStartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nfcpay bench host}: the issuer host's throughput and latency (docs/host.md). */
@Command(name = "host",
        description = {"Measure the issuer host on loopback: cleared purchases per second for batches of 1, 100, 1,000 and"
            + " 10,000, and load authorizations per second with p50/p99, each beside a plain INSERT of the same rows"
            + " into the same embedded PostgreSQL (fsync on). Test keys. Takes about a minute; --scale N divides the"
            + " counts by N."})
final class HostBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "1", description = "Divide every count by N (default 1).")
    int scale;

    @Override
    public Integer call() throws HostStartException, IOException, SQLException, InterruptedException {
        if (scale < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--scale must be at least 1");
        }
        Path dir = Files.createTempDirectory("nfcpay-bench-host");
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        try {
            new HostBench(out, scale).run(dir);
        } finally {
            out.flush();
            deleteTree(dir);
        }
        return Main.OK;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** picocli's out is a PrintWriter; the bench prints to a PrintStream. */
    private static final class WriterOutputStream extends java.io.OutputStream {
        private final java.io.PrintWriter w;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterOutputStream(java.io.PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            w.print(line.toString(StandardCharsets.UTF_8));
            w.flush();
            line.reset();
        }
    }
}

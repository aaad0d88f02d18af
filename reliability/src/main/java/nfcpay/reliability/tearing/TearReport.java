package nfcpay.reliability.tearing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Collects campaign results, prints them and writes {@code target/tearing-report.txt}. */
public final class TearReport {

    private final List<TearCampaign.Result> results = new ArrayList<>();
    private final List<TearCampaign.Result> controls = new ArrayList<>();

    /**
     * @param control a deliberately broken scenario that must fail (shown apart, not in the totals)
     */
    public synchronized void add(TearCampaign.Result result, boolean control) {
        (control ? controls : results).add(result);
        System.out.println("[tearing] " + (control ? "control: " : "") + result.summary());
        List<String> violations = result.allViolations();
        for (String v : violations.subList(0, Math.min(violations.size(), control ? 3 : 50))) {
            System.out.println("[tearing]     " + v);
        }
    }

    public synchronized String render() {
        StringBuilder out = new StringBuilder();
        out.append("nfcpay tearing report, ").append(Instant.now()).append('\n');
        out.append("Every persistence event of each command is a tear point (see docs/reliability.md).\n\n");
        long tried = 0;
        long failed = 0;
        for (TearCampaign.Result r : results) {
            out.append(r.summary()).append('\n');
            tried += r.tried();
            failed += r.failed();
        }
        out.append(String.format("%nTOTAL tear points tried %d, failed %d%n", tried, failed));
        if (!controls.isEmpty()) {
            out.append("\nControls (deliberately non-atomic, must fail; not in the total):\n");
            for (TearCampaign.Result r : controls) {
                out.append(r.summary()).append('\n');
            }
        }
        for (TearCampaign.Result r : results) {
            List<String> violations = r.allViolations();
            if (!violations.isEmpty()) {
                out.append('\n').append(r.scenario()).append(":\n");
                violations.forEach(v -> out.append("  ").append(v).append('\n'));
            }
        }
        return out.toString();
    }

    public synchronized void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, render());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("[tearing] " + render().lines().filter(l -> l.startsWith("TOTAL")).findFirst().orElse(""));
    }
}

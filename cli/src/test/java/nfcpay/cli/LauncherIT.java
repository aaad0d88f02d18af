package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./nfcpay} launcher as a child process, from the repository root and from
 * elsewhere. Runs after package (failsafe), so the jar is normally fresh; if it is not, the
 * launcher builds it, hence the generous timeout.
 */
class LauncherIT {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {}

    Result run(Path cwd, String... args) throws IOException, InterruptedException {
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(List.of(args)).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().remove(Environment.NFCPAY_HOME);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("./nfcpay finished").isTrue();
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void demoTellsTheThreeOutcomes() throws IOException, InterruptedException {
        assertThat(ROOT.resolve("nfcpay")).isExecutable();

        Result r = run(ROOT, "./nfcpay", "demo");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "approved: Daily Wallet paid CNY 12.00, balance after CNY 3.00",
                "approved: Salary Card paid CNY 25.00, balance after CNY 295.00",
                "declined: insufficient funds on every card",
                "3 cleared, 0 already cleared, 0 rejected",
                "ledger check: balanced",
                "(test keys)");
    }

    @Test
    void worksFromAnyDirectoryAndExitsWithTheCommandsCode() throws IOException, InterruptedException {
        String launcher = ROOT.resolve("nfcpay").toString();

        Result version = run(tmp, launcher, "--version");
        Result declined = run(tmp, launcher, "pay", "--amount", "5000", "--data-dir", tmp.resolve("data").toString());
        Result bad = run(tmp, launcher, "pay", "--amount", "-1");

        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("nfcpay ");
        assertThat(declined.exit()).isEqualTo(2);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).endsWith("nfcpay: error: --amount: amount must be above zero: -1 (see 'nfcpay pay --help')\n");
    }

    /** Issue 16 through the real launcher: refusals, a JSON error, a receipt, totals, completion and man. */
    @Test
    void theCashiersCommandsThroughTheLauncher() throws IOException, InterruptedException {
        String launcher = ROOT.resolve("nfcpay").toString();
        String data = tmp.resolve("till").toString();

        Result emptyDir = run(tmp, launcher, "journal", "--data-dir", "");
        Result jsonError = run(tmp, launcher, "pay", "--amount", ".5", "--json", "--data-dir", data);
        Result misspelt = run(tmp, launcher, "pay", "--amout", "5");
        Result pay = run(tmp, launcher, "pay", "--amount", "5.", "--data-dir", data);
        Result show = run(tmp, launcher, "journal", "show", "1", "--data-dir", data);
        Result totals = run(tmp, launcher, "journal", "totals", "--json", "--data-dir", data);
        Result completion = run(tmp, launcher, "completion");
        Result man = run(tmp, launcher, "man", "pay");

        assertThat(emptyDir.exit()).isEqualTo(1);
        assertThat(emptyDir.err()).contains("an empty path").hasLineCount(1);
        assertThat(tmp.resolve(NfcpayCommand.JOURNAL_FILE)).doesNotExist();
        assertThat(jsonError.exit()).isEqualTo(1);
        assertThat(jsonError.out()).startsWith("{\"status\":\"error\",\"error\":\"--amount: write 0.5, not .5\"");
        assertThat(misspelt.err()).contains("did you mean --amount?");
        assertThat(pay.exit()).as(pay.err()).isZero();
        assertThat(pay.out()).contains("approved: CNY 5.00", "card serial    ****************", "terminal       ");
        assertThat(show.out()).startsWith("receipt: purchase #1, approved").contains("amount         CNY 5.00");
        assertThat(totals.out()).contains("\"sales\":1,\"sales_total\":\"5.00\"");
        assertThat(completion.out()).contains("complete -F _complete_nfcpay");
        assertThat(man.out()).startsWith(".TH \"NFCPAY-PAY\" 1");
    }
}

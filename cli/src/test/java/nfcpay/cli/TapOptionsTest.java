package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --wait and --card-timeout out of range: one line, exit 1, nothing created or sent. */
class TapOptionsTest {

    @TempDir
    Path home;

    @Test
    void waitsOutOfRangeAreBadInputAndTouchNothing() {
        Path data = home.resolve("data");
        Cli cli = new Cli(home);

        String negative = cli.run("pay", "--amount", "1", "--reader", "nowhere", "--test-keys", "--wait", "-1",
                "--data-dir", data.toString()).singleError();
        String tooLong = cli.run("pay", "--amount", "1", "--reader", "nowhere", "--test-keys", "--wait", "3601",
                "--data-dir", data.toString()).singleError();
        String noTimeout = cli.run("load", "--amount", "1", "--reader", "nowhere", "--test-keys", "--card-timeout", "0",
                "--host", "http://127.0.0.1:9", "--token", "t", "--data-dir", data.toString()).singleError();
        String notANumber = cli.run("pay", "--amount", "1", "--wait", "soon", "--data-dir", data.toString()).singleError();

        assertThat(negative).isEqualTo("nfcpay: error: --wait: seconds from 0 to 3600, not -1 (see 'nfcpay pay --help')");
        assertThat(tooLong).contains("--wait: seconds from 0 to 3600, not 3601");
        assertThat(noTimeout).isEqualTo("nfcpay: error: --card-timeout: seconds from 1 to 600, not 0 (see 'nfcpay load --help')");
        assertThat(notANumber).contains("--wait").contains("soon");
        assertThat(Files.exists(data)).as("no journal created").isFalse();
    }

    @Test
    void aSimulatedSimNeedsNoWait() {
        Cli.Run r = new Cli(home).run("pay", "--amount", "1", "--wait", "0", "--data-dir", home.resolve("data").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
    }
}

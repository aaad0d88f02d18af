package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nfcpay demo --platform cref}: the same story on Oracle's Java Card 3.0.5 reference VM, from the CAP files
 * Oracle's converter made, and no reference VM left running afterwards. Needs NFCPAY_CREF and the CAP files of a
 * build with JC_HOME; skips in one line without them, fails instead under NFCPAY_REQUIRE_JCSDK=1.
 */
class DemoOnReferenceVmIT {

    @TempDir
    Path home;

    private static String cref;

    @BeforeAll
    static void needsTheSdk() {
        cref = System.getenv("NFCPAY_CREF");
        Path caps = SimPlatform.capDirectory(System.getenv());
        boolean present = cref != null && Files.isRegularFile(Path.of(cref)) && Files.isDirectory(caps);
        if (!present && "1".equals(System.getenv("NFCPAY_REQUIRE_JCSDK"))) {
            fail("NFCPAY_REQUIRE_JCSDK=1 but no reference VM (NFCPAY_CREF) or no CAP files under " + caps);
        }
        assumeTrue(present, "no Java Card SDK (NFCPAY_CREF unset or no CAP files): the reference-VM demo is skipped");
    }

    @Test
    void theDemoTellsTheSameStoryOnTheReferenceVm() {
        long before = crefProcesses();
        Cli.Run r = new Cli(home).variable("NFCPAY_CREF", cref).run("demo", "--platform", "cref");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsSubsequence(
                "nfcpay demo: a simulated SIM with three cards, on Oracle's Java Card reference VM.",
                "Daily Wallet  F000000824010101  CNY 15.00",
                "approved: Daily Wallet paid CNY 12.00, balance after CNY 3.00, TAC ",
                "approved: Salary Card paid CNY 25.00, balance after CNY 295.00, TAC ",
                "declined: insufficient funds on every card",
                "Salary Card   F000000824010102  CNY 295.00",
                "4. CNY 25.00 on a legacy SIM",
                "approved: Salary Card paid CNY 25.00, balance after CNY 295.00");
        assertThat(crefProcesses()).as("every reference VM the demo started has stopped").isEqualTo(before);
    }

    private static long crefProcesses() {
        return ProcessHandle.current().descendants().filter(SimProcess::isCref).count();
    }

}

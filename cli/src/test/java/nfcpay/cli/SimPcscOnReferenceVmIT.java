package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import nfcpay.sim.pcsc.PcscStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nfcpay sim --pcsc --platform cref}: the SIM on Oracle's Java Card 3.0.5 reference VM behind the real pcscd,
 * reached by {@code nfcpay pay --reader} in this process and by OpenSC's {@code opensc-tool}, and no reference VM left
 * running after the sim stops. Needs pcscd with vpcd and the Java Card SDK; skips in one line without either (fails
 * instead under NFCPAY_REQUIRE_PCSC=1 or NFCPAY_REQUIRE_JCSDK=1).
 */
class SimPcscOnReferenceVmIT {

    private static final String SELECT_PPSE = "00A404000E325041592E5359532E444446303100";
    /** cref under Wine: start, load four CAP files, install and personalize the SIM. */
    private static final Duration READY = Duration.ofSeconds(90);

    private static PcscStack pcsc;

    @TempDir
    Path home;

    @TempDir
    Path data;

    private SimProcess sim;

    @BeforeAll
    static void needsPcscAndTheSdk() throws Exception {
        String cref = System.getenv("NFCPAY_CREF");
        Path caps = SimPlatform.capDirectory(System.getenv());
        boolean sdk = cref != null && Files.isRegularFile(Path.of(cref)) && Files.isDirectory(caps);
        if (!sdk && "1".equals(System.getenv("NFCPAY_REQUIRE_JCSDK"))) {
            fail("NFCPAY_REQUIRE_JCSDK=1 but no reference VM (NFCPAY_CREF) or no CAP files under " + caps);
        }
        assumeTrue(sdk, "no Java Card SDK (NFCPAY_CREF unset or no CAP files): the reference VM behind pcscd is skipped");
        pcsc = PcscStack.freeSlotOrSkip();
    }

    @AfterEach
    void stopTheSim() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void pcscClientsTalkToTheReferenceVm() throws Exception {
        sim = SimProcess.start(pcsc, home, READY, "--platform", "cref", "--card", "Lunch=20", "--card", "Rent=900.00");
        List<ProcessHandle> crefs = sim.crefs();
        assertThat(crefs).as("the sim runs the reference VM").isNotEmpty();

        Cli.Run rent = new Cli(home).run("pay", "--reader", pcsc.readerName, "--amount", "25", "--test-keys", "--data-dir",
                data.toString());
        List<String> directory = pcsc.opensc(SELECT_PPSE);

        assertThat(rent.exit()).as(rent.err()).isZero();
        assertThat(rent.out()).as("more than Lunch has: the reference VM's selector picks Rent")
                .startsWith("approved: CNY 25.00 paid by Rent").contains("balance after  CNY 875.00");
        assertThat(PcscStack.statusWords(directory)).containsExactly("9000");
        assertThat(PcscStack.responseData(directory).get(0)).startsWith("6F").endsWith("9F380B9F02065F2A029C019F3704");

        assertThat(sim.quit()).as("quit").isZero();
        assertThat(sim.out()).contains("stopped");
        for (ProcessHandle cref : crefs) {
            assertThat(cref.onExit().toCompletableFuture().completeOnTimeout(cref, 10, java.util.concurrent.TimeUnit.SECONDS)
                    .get().isAlive()).as("cref %d stopped with the sim", cref.pid()).isFalse();
        }
    }
}

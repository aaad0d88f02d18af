package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --platform: what it refuses, in one line each, before anything is started (the reference VM itself: DemoOnReferenceVmIT). */
class PlatformOptionTest {

    @TempDir
    Path home;

    @Test
    void theReferenceVmNeedsNfcpayCref() {
        Cli.Run r = new Cli(home).run("demo", "--platform", "cref");
        assertThat(r.exit()).isEqualTo(Main.ERROR);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("nfcpay: error: --platform cref needs NFCPAY_CREF set to the Java Card 3.0.5 kit's bin/cref_tdual.exe");
    }

    @Test
    void aCrefThatIsNotThereOrNoCapFilesAreOneLineEach(@TempDir Path empty) throws IOException {
        Cli.Run missing = new Cli(home).variable("NFCPAY_CREF", empty.resolve("cref_tdual.exe").toString())
                .run("pay", "--amount", "1", "--platform", "cref");
        assertThat(missing.exit()).isEqualTo(Main.ERROR);
        assertThat(missing.err().lines()).singleElement().asString().contains("is not a file");

        Path exe = Files.createFile(empty.resolve("cref_tdual.exe"));
        Cli.Run noCaps = new Cli(home).variable("NFCPAY_CREF", exe.toString()).variable("NFCPAY_CAP_DIR", empty.toString())
                .run("sim", "--pcsc", "--platform", "cref");
        assertThat(noCaps.exit()).isEqualTo(Main.ERROR);
        assertThat(noCaps.err().lines()).singleElement().asString()
                .startsWith("nfcpay: error: no CAP files under " + empty + ": build them with JC_HOME");
    }

    @Test
    void anUnknownPlatformOrOneWithAReaderIsBadInput() {
        Cli.Run unknown = new Cli(home).run("demo", "--platform", "javacard");
        assertThat(unknown.exit()).isEqualTo(Main.ERROR);
        assertThat(unknown.err()).contains("unknown platform 'javacard' (jcardsim or cref)");

        Cli.Run withReader = new Cli(home).run("cards", "--reader", "ACR122", "--platform", "cref");
        assertThat(withReader.exit()).isEqualTo(Main.ERROR);
        assertThat(withReader.err()).contains("--platform describes the simulated SIM: not with --reader");
    }

    @Test
    void jcardsimIsTheDefaultAndCanBeNamed() {
        Cli.Run r = new Cli(home).run("pay", "--amount", "1", "--platform", "jcardsim");
        assertThat(r.exit()).as(r.err()).isZero();
    }
}

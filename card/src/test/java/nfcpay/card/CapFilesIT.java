package nfcpay.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CAP files the package phase made with Oracle's converter and verifier (card/cap.xml): one per
 * card package, each carrying the package AID, version and applet AID of card/pom.xml, which hands
 * them to this test as system properties.
 *
 * <p>Without a Java Card SDK (no -Djc.home, no JC_HOME) the build makes no CAP and this test skips,
 * saying why, unless {@value #REQUIRE_VARIABLE}=1 is set (as {@code .ci/run} does where it finds the
 * SDK): then a missing SDK fails it, so that CI cannot pass by skipping.
 */
class CapFilesIT {

    static final String REQUIRE_VARIABLE = "NFCPAY_REQUIRE_JCSDK";

    /** A card package: its folder, as the converter lays it out, and its pom properties' stem. */
    record CardPackage(String dir, String aidProperty, boolean hasApplet) {
        String name() {
            return dir.replace('/', '.');
        }

        Path cap(Path capDir) {
            return capDir.resolve(dir).resolve("javacard").resolve(dir.substring(dir.lastIndexOf('/') + 1) + ".cap");
        }

        Path sibling(Path capDir, String extension) {
            String cap = cap(capDir).toString();
            return Path.of(cap.substring(0, cap.length() - ".cap".length()) + "." + extension);
        }
    }

    static Stream<CardPackage> packages() {
        return Stream.of(
            new CardPackage("nfcpay/card", "cap.aid.card", false),
            new CardPackage("nfcpay/card/link", "cap.aid.link", false),
            new CardPackage("nfcpay/card/selector", "cap.aid.selector", true),
            new CardPackage("nfcpay/card/purse", "cap.aid.purse", true));
    }

    @BeforeAll
    static void sdkOrSkip() {
        String sdk = nonBlank(System.getProperty("jc.home"));
        if (sdk == null) {
            sdk = nonBlank(System.getenv("JC_HOME"));
        }
        if (sdk == null) {
            String what = "no Java Card SDK (JC_HOME and -Djc.home unset), so the build made no CAP file";
            if ("1".equals(System.getenv(REQUIRE_VARIABLE))) {
                fail("CAP files cannot be checked: " + what + " (" + REQUIRE_VARIABLE + "=1: the SDK is required here)");
            }
            String reason = "CAP file checks skipped: " + what;
            System.out.println(reason); // the console shows only a count of skipped tests
            assumeTrue(false, reason);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void everyPackageHasItsCapExportAndJcaFile(CardPackage p) throws IOException {
        Path capDir = Path.of(property("cap.dir"));
        for (Path file : new Path[] {p.cap(capDir), p.sibling(capDir, "exp"), p.sibling(capDir, "jca")}) {
            assertThat(file).as("made by the package phase (card/cap.xml)").isRegularFile();
            assertThat(Files.size(file)).as("size of %s", file).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void theCapCarriesThePackageAndAppletAidsOfThePom(CardPackage p) throws IOException {
        Path cap = p.cap(Path.of(property("cap.dir")));
        String[] version = property("cap.version").split("\\.");
        try (ZipFile zip = new ZipFile(cap.toFile())) {
            // Header component (JCVM 3.0.5, 6.4): tag 1, u2 size, u4 DECAFFED, u1 minor, u1 major, u1 flags,
            // then package_info: u1 minor, u1 major, u1 AID_length, AID.
            byte[] header = component(zip, p, "Header");
            assertThat(header[0]).as("Header tag").isEqualTo((byte) 1);
            assertThat(HexFormat.of().formatHex(header, 3, 7)).as("CAP magic").isEqualTo("decaffed");
            assertThat(header[10]).as("package minor version").isEqualTo(Byte.parseByte(version[1]));
            assertThat(header[11]).as("package major version").isEqualTo(Byte.parseByte(version[0]));
            assertThat(HexFormat.of().withUpperCase().formatHex(header, 13, 13 + header[12]))
                .as("package AID of %s", p.name()).isEqualTo(property(p.aidProperty()));

            ZipEntry applet = zip.getEntry(p.dir() + "/javacard/Applet.cap");
            if (!p.hasApplet()) {
                assertThat(applet).as("%s is a library package: no Applet component", p.name()).isNull();
                return;
            }
            // Applet component (6.5): tag 3, u2 size, u1 count, then per applet u1 AID_length, AID, u2 install offset.
            byte[] applets = component(zip, p, "Applet");
            assertThat(applets[0]).as("Applet tag").isEqualTo((byte) 3);
            assertThat(applets[3]).as("applets in %s", p.name()).isEqualTo((byte) 1);
            assertThat(HexFormat.of().withUpperCase().formatHex(applets, 5, 5 + applets[4]))
                .as("applet AID of %s", p.name()).isEqualTo(property(p.aidProperty() + ".applet"));
        }
    }

    private static byte[] component(ZipFile zip, CardPackage p, String component) throws IOException {
        ZipEntry entry = zip.getEntry(p.dir() + "/javacard/" + component + ".cap");
        assertThat(entry).as("%s component of %s", component, p.name()).isNotNull();
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    private static String property(String name) {
        String value = nonBlank(System.getProperty(name));
        assertThat(value).as("system property %s (set by card/pom.xml for failsafe)", name).isNotNull();
        return value;
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

package nfcpay.sim.cref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.CardPlatform;
import nfcpay.sim.cref.probe.ProbeApplet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference VM platform itself, with a test-only applet that hands back what its {@code install} was given:
 * cref starts and is stopped, a CAP loads through the installer, the instance AID and install parameters reach the
 * applet as on jcardsim, chained blocks go both ways, a reset keeps the EEPROM, a dead cref is one clear error.
 */
class CrefProbeIT {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PACKAGE_AID = "F00000082499 02".replace(" ", "");
    private static final String CLASS_AID = PACKAGE_AID + "01";
    /** 2PAY.SYS.DDF01: an instance AID with another RID than its package's, as the selector's. */
    private static final byte[] PPSE = HEX.parseHex("325041592E5359532E4444463031");

    @TempDir
    static Path work;
    private static CrefPlatform cref;

    @BeforeAll
    static void start() throws Exception {
        Path exe = JavaCardSdk.crefOrSkip();
        Path jcHome = JavaCardSdk.jcHomeOrSkip();
        Path caps = JavaCardSdk.convert(jcHome, work, ProbeApplet.class.getPackageName(), PACKAGE_AID,
                ProbeApplet.class.getName(), CLASS_AID);
        cref = CrefPlatform.start(exe, List.of(caps));
        System.out.printf("cref accepted its connection %d ms after start%n", cref.startupTime().toMillis());
    }

    @AfterAll
    static void stop() {
        if (cref != null) {
            cref.close();
        }
    }

    private static ResponseAPDU send(String hex) {
        return cref.transmit(new CommandAPDU(HEX.parseHex(hex)));
    }

    @Test
    void theInstanceGetsItsAidAndTheGlobalPlatformInstallDataAtTheParametersOffset() {
        byte[] parameters = {0x01, 0x02, 0x03};
        cref.install(PPSE, ProbeApplet.class, parameters);

        assertThat(send("00A404000E" + HEX.formatHex(PPSE)).getSW()).isEqualTo(0x9000);
        ResponseAPDU probe = send("8030000000");
        assertThat(probe.getSW()).isEqualTo(0x9000);
        byte[] seen = probe.getData(); // bOffset (2) | bLength | bArray[0 .. bOffset + bLength)
        int offset = ((seen[0] & 0xFF) << 8) | (seen[1] & 0xFF);
        int length = seen[2] & 0xFF;
        byte[] bArray = Arrays.copyOfRange(seen, 3, seen.length);
        System.out.printf("cref install(): bOffset %d, bLength %d, bArray[0..bOffset+bLength) %s%n", offset, length,
                HEX.formatHex(bArray));

        byte[] installData = CardPlatform.installData(PPSE, parameters);
        byte[] classAid = HEX.parseHex(CLASS_AID);
        // bArray is the installer's APDU buffer: the create-applet command, its parameters being the GP install data.
        assertThat(Arrays.copyOfRange(bArray, 0, 5)).containsExactly(0x80, 0xB8, 0, 0, 1 + classAid.length + 1 + installData.length);
        assertThat(bArray[5]).isEqualTo((byte) classAid.length);
        assertThat(Arrays.copyOfRange(bArray, 6, 6 + classAid.length)).isEqualTo(classAid);
        assertThat(bArray[6 + classAid.length]).isEqualTo((byte) installData.length);
        assertThat(offset).isEqualTo(7 + classAid.length);
        assertThat(length).isEqualTo(installData.length);
        assertThat(Arrays.copyOfRange(bArray, offset, offset + length)).isEqualTo(installData);
    }

    @Test
    void aSecondInstanceOfTheSameClassAndAResetThatKeepsTheEepromButNotTheSelection() {
        byte[] second = HEX.parseHex(CLASS_AID + "02");
        cref.install(second, ProbeApplet.class, new byte[0]);
        assertThat(send("00A4040009" + HEX.formatHex(second)).getSW()).isEqualTo(0x9000);
        assertThat(send("8010000002").getData()).containsExactly(0, 1);
        assertThat(send("8010000002").getData()).containsExactly(0, 2);

        cref.reset();

        assertThat(send("8010000002").getSW()).as("nothing selected after a reset").isNotEqualTo(0x9000);
        assertThat(send("00A4040009" + HEX.formatHex(second)).getSW()).isEqualTo(0x9000);
        assertThat(send("8010000002").getData()).as("the persistent counter survived").containsExactly(0, 3);
        System.out.printf("cref restarted on its EEPROM in %d ms; %s%n", cref.startupTime().toMillis(), cref.resources());
    }

    @Test
    void anInstallerRefusalNamesTheStepAndStatusWord() {
        byte[] aid = HEX.parseHex(CLASS_AID + "03");
        cref.install(aid, ProbeApplet.class, new byte[0]);
        assertThatThrownBy(() -> cref.install(aid, ProbeApplet.class, new byte[0]))
                .isInstanceOf(CrefException.class).hasMessageContaining("creating applet " + CLASS_AID)
                .hasMessageContaining("SW 6444");
    }

    @Test
    void aDeletedInstanceIsGoneItsAidFreeAndItsPackageStays() {
        byte[] aid = HEX.parseHex(CLASS_AID + "04");
        cref.install(aid, ProbeApplet.class, new byte[0]);
        assertThat(send("00A4040009" + HEX.formatHex(aid)).getSW()).isEqualTo(0x9000);
        assertThat(send("8010000002").getData()).containsExactly(0, 1);

        cref.delete(aid);

        ResponseAPDU gone = send("00A4040009" + HEX.formatHex(aid));
        System.out.printf("SELECT of a deleted instance: %04X%n", gone.getSW());
        assertThat(gone.getSW()).isNotEqualTo(0x9000);
        assertThatThrownBy(() -> cref.delete(aid)).isInstanceOf(CrefException.class)
                .hasMessageContaining("deleting applet " + CLASS_AID + "04");
        cref.install(aid, ProbeApplet.class, new byte[0]); // the same AID again, from the package still loaded
        assertThat(send("00A4040009" + HEX.formatHex(aid)).getSW()).isEqualTo(0x9000);
        assertThat(send("8010000002").getData()).as("a new instance, a new counter").containsExactly(0, 1);
    }

    @Test
    void aJvmThatEndsWithoutClosingTakesItsCrefAlong() throws Exception {
        Path exe = JavaCardSdk.crefOrSkip();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                ForgetfulMain.class.getName(), exe.toString()).redirectErrorStream(true).start();
        try {
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out).as("child output").contains("cref pid ");
            long pid = Long.parseLong(out.substring(out.indexOf("cref pid ") + 9).strip().split("\\s+")[0]);
            Optional<ProcessHandle> cref = ProcessHandle.of(pid);
            if (cref.isPresent()) {
                cref.get().onExit().get(10, TimeUnit.SECONDS);
            }
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("cref %d after its JVM ended", pid)
                    .isNotEqualTo(Optional.of(true));
        } finally {
            child.destroyForcibly();
        }
    }

    /** Starts cref, says its process id, and exits without closing it. */
    static final class ForgetfulMain {
        public static void main(String[] args) {
            CrefPlatform cref = CrefPlatform.start(Path.of(args[0]), List.of());
            System.out.println("cref pid " + cref.pid());
            System.out.flush();
            System.exit(0);
        }
    }

    @Test
    void aCrefThatDiesIsOneClearErrorAndNoHang() throws Exception {
        Path exe = JavaCardSdk.crefOrSkip();
        try (CrefPlatform doomed = CrefPlatform.start(exe, List.of())) {
            ProcessHandle handle = ProcessHandle.of(doomed.pid()).orElseThrow();
            handle.destroyForcibly();
            handle.onExit().get();
            assertThatThrownBy(() -> doomed.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, PPSE, 256)))
                    .isInstanceOf(CrefException.class).hasMessageContaining("reference VM");
        }
    }
}

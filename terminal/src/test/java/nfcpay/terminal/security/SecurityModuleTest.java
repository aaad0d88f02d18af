package nfcpay.terminal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.terminal.apdu.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityModuleTest {

    private static final byte[] SERIAL = Bytes.fromHex("86240000000000000001");
    private static final byte[] RANDOM = Bytes.fromHex("11223344");
    private static final byte[] TID = Bytes.fromHex("001122334455");
    private static final String TEST_MPK = "0123456789ABCDEFFEDCBA9876543210";
    private static final String TEST_MLK = "00112233445566778899AABBCCDDEEFF";

    @TempDir
    Path dir;

    private static PurchaseData purchase() {
        return new PurchaseData(SERIAL, RANDOM, 7, 0x10001, 1234, TID, Bytes.fromHex("20260301"), Bytes.fromHex("123456"));
    }

    /** MAC1 and MAC2 as PROTOCOL.md 3.3 computes them, straight from nfcpay.crypto. */
    @Test
    void macsFollowTheContractWithTheDiversifiedCardKey() {
        byte[] session = PbocCrypto.purchaseSessionKey(IssuerMasterKeys.TEST.purchaseKey(SERIAL), RANDOM, Bytes.fromHex("0007"),
                Bytes.fromHex("00010001"));
        byte[] mac1 = PbocCrypto.mac(session, Bytes.fromHex("000004D2 06 001122334455 20260301 123456"));
        byte[] mac2 = PbocCrypto.mac(session, Bytes.fromHex("000004D2"));
        SoftwareSecurityModule psam = SoftwareSecurityModule.withTestKeys();

        assertThat(psam.computeMac1(purchase())).isEqualTo(mac1);
        assertThat(psam.verifyMac2(purchase(), mac2)).isTrue();
        mac2[3] ^= 1;
        assertThat(psam.verifyMac2(purchase(), mac2)).isFalse();
        assertThat(psam.verifyMac2(purchase(), new byte[3])).isFalse();
        assertThat(psam.usesTestKeys()).isTrue();
    }

    @Test
    void aTerminalKeyFileRefusesTheLoadKey() throws Exception {
        Path file = write("mpk = " + TEST_MPK + "\nmlk=" + TEST_MLK + "\n");

        assertThatThrownBy(() -> SoftwareSecurityModule.fromKeyFile(file)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("a terminal holds no 'mlk'").hasMessageNotContaining(TEST_MLK);
    }

    @Test
    void aKeyFileGivesTheSameMacsAsTheSameKeysBuiltIn() throws Exception {
        Path file = write("# test keys, as published\nmpk = " + TEST_MPK + "\n");

        SoftwareSecurityModule psam = SoftwareSecurityModule.fromKeyFile(file);

        assertThat(psam.computeMac1(purchase())).isEqualTo(SoftwareSecurityModule.withTestKeys().computeMac1(purchase()));
        assertThat(psam.usesTestKeys()).as("a key file holding the published key is still test keys").isTrue();
    }

    @Test
    void anotherKeyIsNotTestKeysAndGivesOtherMacs() throws Exception {
        Path file = write("mpk=00000000000000001111111111111111\n");

        SoftwareSecurityModule psam = SoftwareSecurityModule.fromKeyFile(file);

        assertThat(psam.usesTestKeys()).isFalse();
        assertThat(psam.computeMac1(purchase())).isNotEqualTo(SoftwareSecurityModule.withTestKeys().computeMac1(purchase()));
        assertThat(psam.toString()).doesNotContain("0000000000000000");
    }

    @Test
    void badKeyFilesAreRefusedWithoutEchoingTheKey() throws IOException {
        String secretish = "0123456789ABCDEFFEDCBA98765432";
        Path shortKey = write("mpk=" + secretish + "\n");
        assertThatThrownBy(() -> SoftwareSecurityModule.fromKeyFile(shortKey)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("'mpk' must be 32 hex digits").hasMessageNotContaining(secretish);
        Path unknown = write("mpk=" + TEST_MPK + "\nmtk=" + TEST_MPK + "\n");
        assertThatThrownBy(() -> SoftwareSecurityModule.fromKeyFile(unknown)).hasMessageContaining("unknown entry 'mtk'")
                .hasMessageNotContaining(TEST_MPK);
        assertThatThrownBy(() -> SoftwareSecurityModule.fromKeyFile(dir.resolve("absent.properties")))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("cannot read key file");
    }

    @Test
    void nothingPrintsAKeyOrASerial() {
        assertThat(SoftwareSecurityModule.withTestKeys().toString()).isEqualTo("SoftwareSecurityModule[test keys]");
        assertThat(purchase().toString()).doesNotContain(Bytes.hex(SERIAL)).contains("****************0001");
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "keys", ".properties");
        Files.writeString(f, text);
        return f;
    }
}

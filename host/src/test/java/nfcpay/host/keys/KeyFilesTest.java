package nfcpay.host.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's key file: mlk and mtk required, mamk optional, and without mamk no script is MAC'd. */
class KeyFilesTest {

    private static final String MLK = "00112233445566778899AABBCCDDEEFF";
    private static final String MTK = "8899AABBCCDDEEFF0011223344556677";
    private static final String MAMK = "13579BDF02468ACEFDB97531ECA86420";
    private static final byte[] SERIAL = HexFormat.of().parseHex("86000000000000012345");
    private static final byte[] CHALLENGE = HexFormat.of().parseHex("01020304");
    private static final byte[] HEADER = HexFormat.of().parseHex("8418000004");

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "keys", ".properties");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aKeyFileWithMamkMacsScriptsUnderTheCardsDamk() throws IOException {
        SoftwareKeyService keys = KeyFiles.load(write("mlk=" + MLK + "\nmtk=" + MTK + "\nmamk=" + MAMK + "\n"));
        assertThat(keys.hasMaintenanceKey()).isTrue();
        byte[] damk = PbocCrypto.diversify(HexFormat.of().parseHex(MAMK), SERIAL);
        assertThat(keys.issuerScriptMac(SERIAL, CHALLENGE, HEADER))
                .isEqualTo(PbocCrypto.issuerScriptMac(damk, CHALLENGE, HEADER));
    }

    @Test
    void withoutMamkNoScriptIsMacd() throws IOException {
        SoftwareKeyService keys = KeyFiles.load(write("mlk=" + MLK + "\nmtk=" + MTK + "\n"));
        assertThat(keys.hasMaintenanceKey()).isFalse();
        assertThatThrownBy(() -> keys.issuerScriptMac(SERIAL, CHALLENGE, HEADER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mamk");
    }

    @Test
    void aBadMamkIsRefusedWithoutEchoingIt() throws IOException {
        Path f = write("mlk=" + MLK + "\nmtk=" + MTK + "\nmamk=" + MAMK.substring(2) + "\n");
        assertThatThrownBy(() -> KeyFiles.load(f)).hasMessageContaining("'mamk' must be 32 hex digits")
                .hasMessageNotContaining(MAMK.substring(2));
        Path typo = write("mlk=" + MLK + "\nmtk=" + MTK + "\nmamc=" + MAMK + "\n");
        assertThatThrownBy(() -> KeyFiles.load(typo)).hasMessageContaining("unknown entry 'mamc'");
    }

    @Test
    void theTestKeysHoldNfcpaysTestMamk() {
        byte[] damk = IssuerMasterKeys.TEST.maintenanceKey(SERIAL);
        assertThat(SoftwareKeyService.withTestKeys().issuerScriptMac(SERIAL, CHALLENGE, HEADER))
                .isEqualTo(PbocCrypto.issuerScriptMac(damk, CHALLENGE, HEADER));
    }
}

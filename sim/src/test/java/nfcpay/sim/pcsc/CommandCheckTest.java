package nfcpay.sim.pcsc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ISO/IEC 7816-4 5.1 decoding: the seven well-formed cases pass, everything else gets its SW. */
class CommandCheckTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "case 1,  00A40400",
        "case 2S, 00B2010C00",
        "case 3S, 00A4040002AABB",
        "case 4S, 00A4040002AABB00",
        "case 2E, 00B20104000100",
        "case 3E, 00DA000000000211AA",
        "case 4E, 00DA000000000211AA0000",
        "case 3S with 255 bytes, 80E20000FF",
    })
    void wellFormedCommandsPass(String name, String apdu) {
        String command = name.endsWith("255 bytes") ? apdu + "AB".repeat(255) : apdu;
        assertThat(CommandCheck.statusFor(TestCards.hex(command))).isEqualTo(CommandCheck.WELL_FORMED);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'', 6700",
        "00A404, 6700",
        "00A4040000, 0000",          // a 5-byte command is case 2S whatever its last byte
        "00A404000000, 6700",        // 6 bytes: neither short nor extended
        "00A4040002AA, 6700",
        "00A4040002AABB0000, 6700",
        "00DA00000000, 6700",        // extended, Lc cut short
        "00DA00000000021122, 0000",
        "00DA0000000002112200, 6700", // extended Le must be two bytes
        "FF00000000, 6E00",
        "006A0000, 6D00",
        "00900000, 6D00",
        "00A00000, 0000",
    })
    void answersWithTheStatusWordOfTheFirstDefect(String apdu, String sw) {
        assertThat(String.format("%04X", CommandCheck.statusFor(TestCards.hex(apdu)))).isEqualTo(sw);
    }
}

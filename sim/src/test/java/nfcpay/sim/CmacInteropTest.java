package nfcpay.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.crypto.IssuerMasterKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The selector and the purses choose their AES-CMAC at install, each on its own: a SIM may mix a selector
 * that builds the tag from the block cipher with purses that use the platform's, and the other way round.
 * Smart selection must work in all four combinations: both constructions give the same tag, or every
 * record would fail authentication and every GPO would answer 9401.
 */
class CmacInteropTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @ParameterizedTest(name = "selector from block cipher: {0}, purses from block cipher: {1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void smartSelectionAuthenticatesRecordsWhicheverSideBuildsTheCmac(boolean selectorSoftware, boolean pursesSoftware) {
        CardSimulator simulator = new CardSimulator();
        CardPlatform card = CardPlatform.of(simulator);
        SimAssembly.installSelector(card, false, SelectionPolicy.PRIORITY, "1234".getBytes(StandardCharsets.US_ASCII),
                selectorSoftware);
        new SimAssembly(IssuerMasterKeys.TEST, Clock.systemDefaultZone(), pursesSoftware).installPurses(card, 7L, List.of(
                new SimAssembly.Purse("Low", 1_000, SimulatedSim.CNY, SimulatedSim.DEFAULT_MAX_BALANCE),
                new SimAssembly.Purse("High", 90_000, SimulatedSim.CNY, SimulatedSim.DEFAULT_MAX_BALANCE)));

        assertThat(chosen(simulator, "000000000900")).isEqualTo("F000000824010101");
        assertThat(chosen(simulator, "000000005000")).isEqualTo("F000000824010102");
        assertThat(gpo(simulator, "000000090001").getSW()).isEqualTo(0x9401);
    }

    private static String chosen(CardSimulator simulator, String amountN12) {
        ResponseAPDU r = gpo(simulator, amountN12);
        assertThat(r.getSW()).as("GPO for %s", amountN12).isEqualTo(0x9000);
        String data = HEX.formatHex(r.getData());
        int at = data.indexOf("4F08");
        return data.substring(at + 4, at + 20);
    }

    private static ResponseAPDU gpo(CardSimulator simulator, String amountN12) {
        assertThat(simulator.transmitCommand(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256)).getSW())
                .isEqualTo(0x9000);
        byte[] data = HEX.parseHex("830D" + amountN12 + "0156" + "00" + "01020304");
        return simulator.transmitCommand(new CommandAPDU(0x80, 0xA8, 0x00, 0x00, data, 256));
    }
}

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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The purse computes its account record with its own AES in bytecode (no engine behind the Shareable Interface
 * Object); the selector checks it with the card's AES and either the platform's AES-CMAC or the one it builds from
 * the block cipher, chosen at its install. Smart selection must work both ways: the three constructions give the
 * same bytes, or every record would fail authentication and every GPO would answer 9401.
 */
class CmacInteropTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @ParameterizedTest(name = "selector's CMAC from the block cipher: {0}")
    @ValueSource(booleans = {false, true})
    void smartSelectionAuthenticatesThePursesRecords(boolean selectorSoftware) {
        CardSimulator simulator = new CardSimulator();
        CardPlatform card = CardPlatform.of(simulator);
        SimAssembly.installSelector(card, false, SelectionPolicy.PRIORITY, "1234".getBytes(StandardCharsets.US_ASCII),
                selectorSoftware);
        SimAssembly assembly = new SimAssembly(IssuerMasterKeys.TEST, Clock.systemDefaultZone());
        assembly.activateAsHolder(card, "1234".getBytes(StandardCharsets.US_ASCII), assembly.installPurses(card, 7L, List.of(
                new SimAssembly.Purse("Low", 1_000, SimulatedSim.CNY, SimulatedSim.DEFAULT_MAX_BALANCE),
                new SimAssembly.Purse("High", 90_000, SimulatedSim.CNY, SimulatedSim.DEFAULT_MAX_BALANCE))));

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

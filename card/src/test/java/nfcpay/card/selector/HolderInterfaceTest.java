package nfcpay.card.selector;

import static nfcpay.card.selector.SelectorFixture.HEX;
import static nfcpay.card.selector.SelectorFixture.PIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.base.SimulatorRuntime;
import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import java.util.List;
import java.util.function.Function;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Holder commands come over the contact interface only (docs/protocol.md 5.1). jcardsim reports 0 (contact)
 * unless told otherwise; the tests make it say contactless both ways it can: {@code changeProtocol} on the
 * simulator, and a {@code CardTerminalSimulator} connection with protocol {@code T=CL}; the HCI APDU gate
 * (a SIM's contactless path), which jcardsim has no protocol name for, through its runtime directly.
 */
class HolderInterfaceTest {

    private static final String A = "F000000824010101";
    private static final String B = "F000000824010102";

    /** Every holder command, as the wallet would send it with the right PIN. */
    private static final List<String> HOLDER_COMMANDS = List.of(
            "80F24000024F00",
            "0020008008" + HEX.formatHex(SelectorFixture.pinBlock(PIN)),
            "00200080",
            "0024008010" + HEX.formatHex(SelectorFixture.pinBlock(PIN)) + HEX.formatHex(SelectorFixture.pinBlock("1357")),
            "80F001000A4F08" + A,
            "80F400000A4F08" + B,
            "80F60200",
            "80CA00A500");

    private static SelectorFixture wallet(CardSimulator sim) {
        SelectorFixture card = new SelectorFixture(sim, SelectorFixture.withPin(Wire.POLICY_PRIORITY, PIN));
        card.registeredApp(A, "A", 1, 1_000);
        card.registeredApp(B, "B", 2, 5_000);
        return card;
    }

    private static void assertAllRefused(Function<String, Integer> transmit) {
        for (String command : HOLDER_COMMANDS) {
            assertThat(transmit.apply(command)).as(command).isEqualTo(0x6982);
        }
    }

    /** Back on the contact interface: nothing changed, no PIN try was spent. */
    private static void assertUntouched(SelectorFixture card) {
        card.sim.changeProtocol("T=0");
        card.selectForHolder();
        assertThat(card.settings().value()).containsExactly(HEX.parseHex("C40100C50103C60100"));
        assertThat(card.directory()).containsExactly(A, B);
        card.selectForHolder();
        assertThat(card.verify(PIN).getSW()).as("the PIN is unchanged").isEqualTo(0x9000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"T=CL,TYPE_A,T1", "T=CL,TYPE_B,T1", "T=CL,TYPE_A,T0", "T=CL"})
    void everyHolderCommandIsRefusedOverContactlessEvenInAVerifiedSession(String protocol) {
        SelectorFixture card = wallet(new CardSimulator());
        card.holderSession();
        card.sim.changeProtocol(protocol);
        assertAllRefused(command -> card.transmit(command).getSW());
        // A POS in the field pays as before.
        assertThat(SelectorFixture.bytes(card.chosen(500))).containsExactly(HEX.parseHex(A));
        assertUntouched(card);
    }

    @Test
    void theSameCommandsWorkOverContactAndT1() {
        for (String protocol : new String[] {"T=0", "T=1"}) {
            SelectorFixture card = wallet(new CardSimulator());
            card.sim.changeProtocol(protocol);
            card.selectForHolder();
            for (String command : HOLDER_COMMANDS) {
                int sw = card.transmit(command).getSW();
                assertThat(sw == 0x9000 || sw == 0x63C3 && command.equals("00200080")).as(protocol + " " + command).isTrue();
            }
            assertThat(card.directory()).containsExactly(B);
        }
    }

    @Test
    void aTerminalConnectedWithTClIsRefusedAndOneConnectedWithT1IsServed() throws Exception {
        SelectorFixture card = wallet(new CardSimulator());
        var terminal = CardTerminalSimulator.terminal(card.sim);
        Card contactless = terminal.connect("T=CL");
        CardChannel field = contactless.getBasicChannel();
        assertThat(field.transmit(new CommandAPDU(HEX.parseHex("00A404000E325041592E5359532E444446303100"))).getSW())
                .isEqualTo(0x9000);
        assertAllRefused(command -> transmit(field, command).getSW());
        contactless.disconnect(false);

        Card contact = terminal.connect("T=1");
        CardChannel wallet = contact.getBasicChannel();
        assertThat(wallet.transmit(new CommandAPDU(HEX.parseHex("00A404000E325041592E5359532E444446303100"))).getSW())
                .isEqualTo(0x9000);
        assertThat(transmit(wallet, HOLDER_COMMANDS.get(1)).getSW()).isEqualTo(0x9000);
        assertThat(transmit(wallet, "80F60200").getSW()).isEqualTo(0x9000);
        contact.disconnect(false);
    }

    @Test
    void theHciApduGateIsContactlessAndUsbIsNot() {
        SimulatorRuntime runtime = new SimulatorRuntime();
        SelectorFixture card = wallet(new CardSimulator(runtime));
        runtime.changeProtocol(javacard.framework.APDU.PROTOCOL_MEDIA_HCI_APDU_GATE);
        card.selectForHolder();
        assertAllRefused(command -> card.transmit(command).getSW());

        runtime.changeProtocol(javacard.framework.APDU.PROTOCOL_MEDIA_USB);
        card.holderSession();
        assertThat(card.setPolicy(Wire.POLICY_ANY).getSW()).isEqualTo(0x9000);
    }

    private static ResponseAPDU transmit(CardChannel channel, String hex) {
        try {
            return channel.transmit(new CommandAPDU(HEX.parseHex(hex)));
        } catch (javax.smartcardio.CardException e) {
            throw new IllegalStateException(e);
        }
    }
}

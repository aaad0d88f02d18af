package nfcpay.card.selector;

import static nfcpay.card.selector.SelectorFixture.PIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import javacard.framework.SystemException;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The holder PIN (docs/protocol.md 5.2): VERIFY, CHANGE REFERENCE DATA, tries, blocking, transport PIN. */
class HolderPinTest {

    private static final String A = "F000000824010101";
    private static final String B = "F000000824010102";

    private static SelectorFixture card() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "A", 1, 1_000);
        card.registeredApp(B, "B", 2, 2_000);
        card.selectForHolder();
        return card;
    }

    private static int tries(SelectorFixture card) {
        return card.settings().child(0xC5).value()[0];
    }

    private static int flags(SelectorFixture card) {
        return card.settings().child(0xC6).value()[0];
    }

    @Test
    void theRightPinVerifiesAndVerifyWithoutDataThenSays9000() {
        SelectorFixture card = card();
        assertThat(card.pinState().getSW()).isEqualTo(0x63C3);
        assertThat(flags(card)).isZero();
        assertThat(card.verify(PIN).getSW()).isEqualTo(0x9000);
        assertThat(card.pinState().getSW()).isEqualTo(0x9000);
        assertThat(flags(card)).isEqualTo(Wire.PIN_FLAG_VERIFIED);
        assertThat(card.setPolicy(Wire.POLICY_MOST_FUNDS).getSW()).isEqualTo(0x9000);
    }

    @Test
    void wrongPinsCountDownThenTheRightOneIsRefusedToo() {
        SelectorFixture card = card();
        assertThat(card.verify("0000").getSW()).isEqualTo(0x63C2);
        assertThat(card.pinState().getSW()).isEqualTo(0x63C2);
        assertThat(card.verify("12345678").getSW()).isEqualTo(0x63C1);
        assertThat(tries(card)).isEqualTo(1);
        assertThat(card.verify("246").getSW()).as("a malformed block costs no try").isEqualTo(0x6A80);
        assertThat(card.verify("2469").getSW()).isEqualTo(0x63C0);
        assertThat(card.verify(PIN).getSW()).isEqualTo(0x6983);
        assertThat(card.pinState().getSW()).isEqualTo(0x6983);
        assertThat(card.changePin(PIN, "1357").getSW()).isEqualTo(0x6983);
        assertThat(tries(card)).isZero();
        // Blocked for good: a new session, a reset, nothing brings it back; holder changes stay impossible.
        card.sim.reset();
        card.selectForHolder();
        assertThat(card.verify(PIN).getSW()).isEqualTo(0x6983);
        assertThat(card.setStatus(A, false).getSW()).isEqualTo(0x6982);
        // Paying does not need the holder PIN.
        assertThat(SelectorFixture.bytes(card.chosen(500))).containsExactly(SelectorFixture.HEX.parseHex(A));
    }

    @Test
    void theRightPinResetsTheCountdown() {
        SelectorFixture card = card();
        assertThat(card.verify("1111").getSW()).isEqualTo(0x63C2);
        assertThat(card.verify("2222").getSW()).isEqualTo(0x63C1);
        assertThat(card.verify(PIN).getSW()).isEqualTo(0x9000);
        assertThat(tries(card)).isEqualTo(3);
        assertThat(card.verify("3333").getSW()).as("a wrong VERIFY also ends the verified state").isEqualTo(0x63C2);
        assertThat(card.setPolicy(Wire.POLICY_ANY).getSW()).isEqualTo(0x6982);
    }

    @Test
    void theVerifiedStateLastsUntilThePpseIsSelectedAgainDeselectedOrTheCardReset() {
        SelectorFixture card = card();
        card.holderSession();
        assertThat(card.setPolicy(Wire.POLICY_BEST_FIT).getSW()).isEqualTo(0x9000);
        card.selectForHolder();
        assertThat(card.setPolicy(Wire.POLICY_BEST_FIT).getSW()).isEqualTo(0x6982);

        card.holderSession();
        card.sim.reset();
        card.selectForHolder();
        assertThat(card.pinState().getSW()).isEqualTo(0x63C3);

        card.holderSession();
        card.balance(SelectorFixture.aid(A), 5); // selects another applet
        card.selectForHolder();
        assertThat(card.pinState().getSW()).isEqualTo(0x63C3);
    }

    @Test
    void changeReferenceDataReplacesThePinAndKeepsTheSessionVerified() {
        SelectorFixture card = card();
        assertThat(card.changePin(PIN, "13579").getSW()).isEqualTo(0x9000);
        assertThat(card.pinState().getSW()).isEqualTo(0x9000);
        assertThat(card.setPolicy(Wire.POLICY_ANY).getSW()).isEqualTo(0x9000);

        card.selectForHolder();
        assertThat(card.verify(PIN).getSW()).isEqualTo(0x63C2);
        assertThat(card.verify("13579").getSW()).isEqualTo(0x9000);
        assertThat(tries(card)).isEqualTo(3);
    }

    @Test
    void changeReferenceDataWithAWrongOldPinCountsATryAndChangesNothing() {
        SelectorFixture card = card();
        assertThat(card.changePin("9999", "1357").getSW()).isEqualTo(0x63C2);
        assertThat(card.changePin("1357", "1357").getSW()).isEqualTo(0x63C1);
        assertThat(card.verify(PIN).getSW()).isEqualTo(0x9000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"313233FFFFFFFFFF", "31326134FFFFFFFF", "FFFFFFFFFFFFFFFF", "2032343638FFFFFF",
        "3234363800FFFFFF", "323436383132333A", "32343638FF31FFFF", "0000000000000000"})
    void malformedPinBlocksAnswer6A80AndCostNoTry(String blockHex) {
        SelectorFixture card = card();
        byte[] block = SelectorFixture.HEX.parseHex(blockHex);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0x20, 0x00, 0x80, block)).getSW()).isEqualTo(0x6A80);
        byte[] change = new byte[16];
        System.arraycopy(SelectorFixture.pinBlock(PIN), 0, change, 0, 8);
        System.arraycopy(block, 0, change, 8, 8);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0x24, 0x00, 0x80, change)).getSW()).isEqualTo(0x6A80);
        assertThat(tries(card)).isEqualTo(3);
    }

    @Test
    void headerAndLengthChecks() {
        SelectorFixture card = card();
        byte[] block = SelectorFixture.pinBlock(PIN);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0x20, 0x00, 0x81, block)).getSW()).isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0x20, 0x01, 0x80, block)).getSW()).isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0x20, 0x00, 0x80, block)).getSW()).isEqualTo(0x6D00);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0x20, 0x00, 0x80, new byte[7])).getSW()).isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0x20, 0x00, 0x80, new byte[9])).getSW()).isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0x24, 0x01, 0x80, block)).getSW()).isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0x24, 0x00, 0x80, block)).getSW()).isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0x24, 0x00, 0x80, new byte[16])).getSW()).isEqualTo(0x6D00);
        assertThat(tries(card)).isEqualTo(3);
    }

    @Test
    void aSelectorInstalledWithoutAPinStartsWithTheTransportPinThatMustBeChanged() {
        SelectorFixture card = new SelectorFixture((byte) 0, Wire.POLICY_PRIORITY);
        assertThat(card.register(card.app(A), "A", 1).getSW()).isEqualTo(0x9000);
        assertThat(card.register(card.app(B), "B", 2).getSW()).isEqualTo(0x9000);
        card.selectForHolder();
        assertThat(flags(card)).isEqualTo(Wire.PIN_FLAG_TRANSPORT);
        assertThat(card.verify("1234").getSW()).isEqualTo(0x9000);
        assertThat(flags(card)).isEqualTo(Wire.PIN_FLAG_TRANSPORT | Wire.PIN_FLAG_VERIFIED);
        assertThat(card.setPolicy(Wire.POLICY_ANY).getSW()).isEqualTo(0x6984);
        assertThat(card.setOrder(B, A).getSW()).isEqualTo(0x6984);
        assertThat(card.setStatus(A, false).getSW()).isEqualTo(0x6984);
        // Nor can a card be activated: a SIM with the transport PIN pays with none until the holder chooses a PIN.
        assertThat(card.setStatus(A, true).getSW()).isEqualTo(0x6984);
        // Listing is not a change: it works, with balances since the PIN is verified.
        assertThat(card.listing()).hasSize(2).allSatisfy(e -> assertThat(e.childTags()).contains(0xC2));

        assertThat(card.changePin("1234", "8642").getSW()).isEqualTo(0x9000);
        assertThat(flags(card)).isEqualTo(Wire.PIN_FLAG_VERIFIED);
        assertThat(card.setOrder(B, A).getSW()).isEqualTo(0x9000);
        card.selectForHolder();
        assertThat(card.verify("1234").getSW()).isEqualTo(0x63C2);
    }

    @Test
    void theInstallPinMustBeFourToEightDigits() {
        for (String pin : new String[] {"0000", "12345678", "20261126"}) {
            SelectorFixture card = new SelectorFixture(SelectorFixture.withPin(Wire.POLICY_PRIORITY, pin));
            card.selectForHolder();
            assertThat(card.verify(pin).getSW()).as(pin).isEqualTo(0x9000);
            assertThat(flags(card)).isEqualTo(Wire.PIN_FLAG_VERIFIED);
        }
        for (String pin : new String[] {"1", "123", "123456789", "12a4", "1234 "}) {
            byte[] data = SelectorFixture.installData(SelectorFixture.PPSE, SelectorFixture.withPin(Wire.POLICY_PRIORITY, pin));
            CardSimulator sim = new CardSimulator();
            boolean installed;
            try {
                sim.installApplet(SelectorFixture.PPSE, SelectorApplet.class, data, (short) 0, (byte) data.length);
                installed = true;
            } catch (SystemException e) {
                installed = false;
            }
            assertThat(installed).as("PIN '%s'", pin).isFalse();
        }
    }
}

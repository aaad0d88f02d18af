package nfcpay.terminal.apdu;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import nfcpay.terminal.apdu.TerminalWire.Command;
import org.junit.jupiter.api.Test;

/** The terminal's wire constants equal the card's, name by name (STYLE.md: one place each side, a test holds them equal). */
class TerminalWireTest {

    /** Constants only the terminal needs; every other name must exist on the card side too. */
    private static final Set<String> TERMINAL_ONLY = Set.of(
            "PPSE_AID", "SMART_SELECTION_PDOL", "P1_SELECT_BY_NAME", "P2_SELECT_FIRST", "SW_CORRECT_LENGTH", "APPLICATION_SERIAL_LENGTH",
            "TERMINAL_ID_LENGTH", "INITIALIZE_FOR_PURCHASE_RESPONSE_LENGTH", "DEBIT_FOR_PURCHASE_RESPONSE_LENGTH",
            "INITIALIZE_FOR_LOAD_RESPONSE_LENGTH", "CREDIT_FOR_LOAD_RESPONSE_LENGTH", "GET_BALANCE_RESPONSE_LENGTH",
            "TRANSACTION_PROVE_RESPONSE_LENGTH", "LOG_RECORD_LENGTH", "LOG_RECORDS");

    /**
     * The holder interface (docs/protocol.md 5): the wallet speaks it over the contact interface and
     * the selector refuses it contactless, so a POS terminal never sends these commands nor sees
     * their status words. The holder's client (nfcpay.sim.wallet) uses the card's constants.
     */
    private static final Set<String> HOLDER_INTERFACE_ONLY = Set.of(
            "INS_VERIFY", "INS_CHANGE_REFERENCE_DATA", "INS_SET_STATUS", "INS_GET_STATUS", "INS_SET_ORDER",
            "INS_SET_POLICY", "INS_GET_DATA", "SW_MORE_DATA", "SW_PIN_TRIES_LEFT", "SW_SECURITY_STATUS_NOT_SATISFIED",
            "SW_PIN_BLOCKED", "SW_REFERENCE_DATA_NOT_USABLE");

    @Test
    void everySharedNameHasTheSameValueOnBothSides() throws ReflectiveOperationException {
        List<String> compared = new ArrayList<>();
        for (Field t : constants(TerminalWire.class)) {
            Field c;
            try {
                c = Wire.class.getField(t.getName());
            } catch (NoSuchFieldException e) {
                assertThat(TERMINAL_ONLY).as("%s is on the terminal side only; add it to the card's Wire or to TERMINAL_ONLY",
                        t.getName()).contains(t.getName());
                continue;
            }
            assertThat(unsigned(t.get(null))).as(t.getName()).isEqualTo(unsigned(c.get(null)));
            compared.add(t.getName());
        }
        assertThat(compared).contains("SW_INSUFFICIENT_FUNDS", "INS_DEBIT_FOR_PURCHASE",
                "TAG_ISSUER_DATA", "P2_READ_RECORD_LOG").hasSizeGreaterThan(50);
    }

    /** The card writes its byte strings with code (no static arrays in a library package): compare what it writes. */
    @Test
    void theByteStringsAreWhatTheCardWrites() {
        byte[] pdol = new byte[Wire.SMART_SELECTION_PDOL_LENGTH];
        assertThat(Wire.writeSmartSelectionPdol(pdol, (short) 0)).isEqualTo((short) pdol.length);
        assertThat(pdol).containsExactly(TerminalWire.SMART_SELECTION_PDOL);
        byte[] ppse = new byte[Link.PPSE_AID_LENGTH];
        assertThat(Link.writePpseAid(ppse, (short) 0)).isEqualTo((short) ppse.length);
        assertThat(ppse).containsExactly(TerminalWire.PPSE_AID);
    }

    @Test
    void theCardsStatusWordsAndInstructionsAreAllKnownToTheTerminal() {
        for (Field c : constants(Wire.class)) {
            if ((c.getName().startsWith("SW_") || c.getName().startsWith("INS_"))
                    && !HOLDER_INTERFACE_ONLY.contains(c.getName())) {
                assertThat(fieldNames(TerminalWire.class)).as("terminal side of %s", c.getName()).contains(c.getName());
            }
        }
    }

    @Test
    void theHolderOnlyListNamesRealCardConstants() {
        assertThat(fieldNames(Wire.class)).containsAll(HOLDER_INTERFACE_ONLY);
    }

    @Test
    void commandHeadersAreTheCardsBytes() {
        assertHeader(Command.INITIALIZE_FOR_PURCHASE, Wire.CLA_PROPRIETARY, Wire.INS_INITIALIZE, Wire.P1_INITIALIZE_PURCHASE,
                Wire.P2_ELECTRONIC_PURSE);
        assertHeader(Command.INITIALIZE_FOR_LOAD, Wire.CLA_PROPRIETARY, Wire.INS_INITIALIZE, Wire.P1_INITIALIZE_LOAD,
                Wire.P2_ELECTRONIC_PURSE);
        assertHeader(Command.DEBIT_FOR_PURCHASE, Wire.CLA_PROPRIETARY, Wire.INS_DEBIT_FOR_PURCHASE, Wire.P1_DEBIT, (byte) 0);
        assertHeader(Command.GET_BALANCE, Wire.CLA_PROPRIETARY, Wire.INS_GET_BALANCE, (byte) 0, Wire.P2_ELECTRONIC_PURSE);
        assertThat(Command.READ_RECORD.p2()).isEqualTo(Wire.P2_READ_RECORD_LOG & 0xFF);
        assertThat(Command.GET_RESPONSE.ins()).isEqualTo(Wire.INS_GET_RESPONSE & 0xFF);
    }

    @Test
    void aRawApduIsRecognizedByItsHeader() {
        assertThat(Command.of(Bytes.fromHex("8054010000"))).isEqualTo(Command.DEBIT_FOR_PURCHASE);
        assertThat(Command.of(Bytes.fromHex("00B203C400"))).isEqualTo(Command.READ_RECORD);
        assertThat(Command.of(Bytes.fromHex("805A00060200 01"))).isEqualTo(Command.GET_TRANSACTION_PROVE);
        assertThat(Command.of(Bytes.fromHex("80500002"))).isEqualTo(Command.INITIALIZE_FOR_LOAD);
        assertThat(Command.of(Bytes.fromHex("84540100"))).isNull();
        assertThat(Command.of(Bytes.fromHex("80"))).isNull();
    }

    private static void assertHeader(Command c, byte cla, byte ins, byte p1, byte p2) {
        assertThat(new int[] {c.cla(), c.ins(), c.p1(), c.p2()}).containsExactly(cla & 0xFF, ins & 0xFF, p1 & 0xFF, p2 & 0xFF);
    }

    private static Object unsigned(Object v) {
        if (v instanceof Byte b) {
            return b & 0xFF;
        }
        if (v instanceof Short s) {
            return s & 0xFFFF;
        }
        if (v instanceof byte[] a) {
            return Bytes.hex(a);
        }
        return v;
    }

    private static List<Field> constants(Class<?> c) {
        List<Field> out = new ArrayList<>();
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())) {
                out.add(f);
            }
        }
        return out;
    }

    private static List<String> fieldNames(Class<?> c) {
        return constants(c).stream().map(Field::getName).toList();
    }
}

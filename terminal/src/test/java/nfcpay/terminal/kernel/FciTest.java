package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.apdu.CardDataException;
import org.junit.jupiter.api.Test;

/** The BER-TLV answers, and what the terminal makes of odd ones. */
class FciTest {

    private static final String ENTRY_1 = "611B4F08F000000824010101500C4461696C792057616C6C6574870101";
    private static final String ENTRY_2 = "611A4F08F000000824010102500B53616C61727920436172648701" + "02";

    private static String tlv(String tag, String value) {
        return tag + String.format("%02X", value.length() / 2) + value;
    }

    private static byte[] ppse(String a5Content) {
        return Bytes.fromHex(tlv("6F", tlv("84", "325041592E5359532E4444463031") + tlv("A5", a5Content)));
    }

    @Test
    void readsTheDirectoryAndTheSmartSelectionPdol() throws CardDataException {
        Directory d = Fci.ppse(ppse(tlv("BF0C", ENTRY_1 + ENTRY_2) + "9F380B9F02065F2A029C019F3704"));

        assertThat(d.smartSelection()).isTrue();
        assertThat(d.applications()).extracting(CardApplication::label).containsExactly("Daily Wallet", "Salary Card");
    }

    @Test
    void aPdolThisTerminalCannotFillMeansChooseByPriority() throws CardDataException {
        assertThat(Fci.ppse(ppse(tlv("BF0C", ENTRY_1) + "9F3803" + "9F0206")).smartSelection()).isFalse();
        assertThat(Fci.ppse(ppse(tlv("BF0C", ENTRY_1))).smartSelection()).isFalse();
    }

    @Test
    void candidatesAreOrderedByPriorityWithUnprioritizedLast() throws CardDataException {
        String noPriority = "610D4F08F0000008240101035001" + "4E";
        Directory d = Fci.ppse(ppse(tlv("BF0C", noPriority + ENTRY_2 + ENTRY_1)));

        assertThat(d.candidates()).extracting(CardApplication::priority).containsExactly(1, 2, 0);
        assertThat(d.candidates().get(2).label()).isEqualTo("N");
    }

    @Test
    void malformedAnswersAreCardDataNotCrashes() {
        assertThatThrownBy(() -> Fci.ppse(Bytes.fromHex("6F0584"))).isInstanceOf(CardDataException.class);
        assertThatThrownBy(() -> Fci.ppse(Bytes.fromHex("7703500141"))).isInstanceOf(CardDataException.class)
                .hasMessageContaining("expected template 6F");
        assertThatThrownBy(() -> Fci.ppse(new byte[0])).isInstanceOf(CardDataException.class);
        assertThatThrownBy(() -> Fci.ppse(Bytes.fromHex(tlv("6F", tlv("84", "3250"))))).hasMessageContaining("no tag A5");
        assertThatThrownBy(() -> Fci.ppse(ppse(tlv("BF0C", "6103500141")))).hasMessageContaining("no tag 4F");
        assertThatThrownBy(() -> Fci.selection(Bytes.fromHex("770A4F03F00000500141870101")))
                .hasMessageContaining("5 to 16 bytes");
    }

    @Test
    void anApplicationFciMustBeThePurseAskedFor() throws CardDataException {
        String issuerData = "0102030405060708" + "0201" + "86240000000000000001" + "20200101" + "20491231" + "0156";
        String a5 = tlv("A5", tlv("50", "4461696C79") + "870101" + tlv("9F0C", issuerData));

        ApplicationFci fci = Fci.application(Bytes.fromHex(tlv("6F", tlv("84", "F000000824010101") + a5)), "F000000824010101");

        assertThat(fci.application()).isEqualTo(new CardApplication("F000000824010101", "Daily", 1));
        assertThat(fci.issuerData().serial()).isEqualTo(Bytes.fromHex("86240000000000000001"));
        assertThat(fci.issuerData().currency().getCurrencyCode()).isEqualTo("CNY");
        assertThat(fci.issuerData().toString()).doesNotContain("86240000000000000001");
        assertThatThrownBy(() -> Fci.application(Bytes.fromHex(tlv("6F", tlv("84", "F000000824010101") + a5)), "F000000824010102"))
                .hasMessageContaining("answered for application F000000824010101");
        assertThatThrownBy(() -> Fci.application(Bytes.fromHex(tlv("6F", tlv("84", "F000000824010101"))), "F000000824010101"))
                .hasMessageContaining("not a personalized electronic purse");
        String notEp = issuerData.replace("0201862400", "0101862400");
        assertThatThrownBy(() -> Fci.application(Bytes.fromHex(tlv("6F", tlv("84", "F000000824010101")
                + tlv("A5", tlv("9F0C", notEp)))), "F000000824010101")).hasMessageContaining("application type 01");
        String badDate = issuerData.replace("20491231", "20491331");
        assertThatThrownBy(() -> Fci.application(Bytes.fromHex(tlv("6F", tlv("84", "F000000824010101")
                + tlv("A5", tlv("9F0C", badDate)))), "F000000824010101")).hasMessageContaining("9F0C");
    }
}

package nfcpay.terminal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import nfcpay.terminal.apdu.Bytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The javax.smartcardio adapter, through jcardsim's CardTerminalSimulator (the real API in process). */
class SmartcardioTransportTest {

    private static final String AID = "F00000000101";

    CardSimulator card;
    CardTerminal reader;

    @BeforeEach
    void insertCard() {
        card = new CardSimulator();
        card.installApplet(AIDUtil.create(AID), EchoApplet.class);
        reader = CardTerminalSimulator.terminal(card, "Simulated Reader 0");
    }

    @Test
    void exchangesApdusWithTheCardInTheField() throws TransportException {
        try (Transport t = Readers.connect(reader)) {
            assertThat(Bytes.hex(t.transceive(Bytes.fromHex("00A4040006" + AID)))).isEqualTo("9000");
            assertThat(Bytes.hex(t.transceive(Bytes.fromHex("8001000003AABBCC00")))).isEqualTo("AABBCC9000");
            assertThat(Bytes.hex(t.transceive(Bytes.fromHex("80020000")))).isEqualTo("6D00");
        }
    }

    @Test
    void aCardTakenOutOfTheFieldIsCardRemoved() throws TransportException {
        Transport t = Readers.connect(reader);
        t.transceive(Bytes.fromHex("00A4040006" + AID));

        // jcardsim's way to take the card away mid-session: move it into another reader's field
        card.assignToTerminal(CardTerminalSimulator.terminals("another reader").getTerminal("another reader"));

        assertThatThrownBy(() -> t.transceive(Bytes.fromHex("8001000001AA00"))).isInstanceOf(CardRemovedException.class);
        t.close();
        t.close(); // twice is harmless
    }

    @Test
    void aReaderWithoutACardSaysSo() {
        card.assignToTerminal(null);

        assertThatThrownBy(() -> Readers.connect(reader)).isInstanceOf(TransportException.class)
                .isNotInstanceOf(CardRemovedException.class).hasMessage("no card on reader 'Simulated Reader 0'");
    }

    @Test
    void aMalformedCommandIsRefusedBeforeTheReader() throws TransportException {
        try (Transport t = Readers.connect(reader)) {
            assertThatThrownBy(() -> t.transceive(Bytes.fromHex("0001"))).isInstanceOf(TransportException.class)
                    .hasMessageStartingWith("malformed command APDU");
        }
    }

    @Test
    void readersAreFoundByExactOrUniquePartialName() throws TransportException {
        CardTerminals readers = CardTerminalSimulator.terminals("ACS ACR122U PICC Interface 00 00", "Gemalto USB SmartCard 01");

        assertThat(Readers.find(readers, "ACR122U").getName()).isEqualTo("ACS ACR122U PICC Interface 00 00");
        assertThat(Readers.find(readers, "Gemalto USB SmartCard 01").getName()).isEqualTo("Gemalto USB SmartCard 01");
        assertThatThrownBy(() -> Readers.find(readers, "Omnikey")).isInstanceOf(TransportException.class)
                .hasMessage("no reader named 'Omnikey' (readers: ACS ACR122U PICC Interface 00 00, Gemalto USB SmartCard 01)");
        assertThatThrownBy(() -> Readers.find(readers, " 0")).hasMessageStartingWith("more than one reader matches");
    }

    @Test
    void pcscConditionsOfAGoneCardAreCardRemoved() {
        assertThat(SmartcardioTransport.classify(new javax.smartcardio.CardException("SCardTransmit",
                new RuntimeException("SCARD_W_REMOVED_CARD")))).isInstanceOf(CardRemovedException.class);
        assertThat(SmartcardioTransport.classify(new javax.smartcardio.CardException("SCARD_E_READER_UNAVAILABLE")))
                .isNotInstanceOf(CardRemovedException.class).hasMessageStartingWith("reader error");
    }
}

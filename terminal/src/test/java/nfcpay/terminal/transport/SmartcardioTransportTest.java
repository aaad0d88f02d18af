package nfcpay.terminal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import java.nio.ByteBuffer;
import javax.smartcardio.ATR;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
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

    /**
     * How pcscd with the vsmartcard reader reports a card that vanished under a command (measured,
     * docs/pcsc.md): first an empty answer "with success", which ResponseAPDU refuses, then
     * SCARD_E_NOT_TRANSACTED; later SCARD_W_REMOVED_CARD or, after a reset, SCARD_W_RESET_CARD. Each
     * may follow a command the card ran, so each is a tear for the kernel.
     */
    @Test
    void theWaysPcscdReportsACardThatVanishedMidCommandAreCardRemoved() {
        FakeCard emptyAnswer = new FakeCard(command -> new ResponseAPDU(new byte[0]));
        assertThatThrownBy(() -> new SmartcardioTransport(emptyAnswer).transceive(Bytes.fromHex("0084000008")))
                .isInstanceOf(CardRemovedException.class).hasRootCauseMessage("apdu must be at least 2 bytes long");

        for (String condition : new String[] {"SCARD_E_NOT_TRANSACTED", "SCARD_W_REMOVED_CARD", "SCARD_W_RESET_CARD"}) {
            FakeCard gone = new FakeCard(command -> {
                // SunPCSC's shape: CardException("transmit() failed") caused by PCSCException(condition)
                throw new CardException("transmit() failed", new Exception(condition));
            });
            assertThatThrownBy(() -> new SmartcardioTransport(gone).transceive(Bytes.fromHex("0084000008")))
                    .as(condition).isInstanceOf(CardRemovedException.class).hasMessage("the card left the field");
        }
    }

    @Test
    void otherReaderFailuresAreNotTears() {
        FakeCard unavailable = new FakeCard(command -> {
            throw new CardException("transmit() failed", new Exception("SCARD_E_READER_UNAVAILABLE"));
        });
        FakeCard refusesTheCommand = new FakeCard(command -> {
            throw new IllegalArgumentException("Manage channel command not allowed, use openLogicalChannel()");
        });

        assertThatThrownBy(() -> new SmartcardioTransport(unavailable).transceive(Bytes.fromHex("0084000008")))
                .isInstanceOf(TransportException.class).isNotInstanceOf(CardRemovedException.class)
                .hasMessageStartingWith("reader error");
        assertThatThrownBy(() -> new SmartcardioTransport(refusesTheCommand).transceive(Bytes.fromHex("0070000001")))
                .isInstanceOf(TransportException.class).isNotInstanceOf(CardRemovedException.class)
                .hasMessageStartingWith("the reader refused the command");
    }

    @Test
    void closingAfterTheCardLeftIsNotAnErrorButAReaderFailureIs() throws TransportException {
        FakeCard left = new FakeCard(command -> new ResponseAPDU(new byte[] {(byte) 0x90, 0}));
        left.disconnectFailure = new CardException("SCardDisconnect", new Exception("SCARD_W_REMOVED_CARD"));
        FakeCard broken = new FakeCard(command -> new ResponseAPDU(new byte[] {(byte) 0x90, 0}));
        broken.disconnectFailure = new CardException("SCardDisconnect", new Exception("SCARD_E_READER_UNAVAILABLE"));

        new SmartcardioTransport(left).close();
        assertThat(left.disconnects).isEqualTo(1);
        assertThatThrownBy(() -> new SmartcardioTransport(broken).close()).isInstanceOf(TransportException.class)
                .hasMessageStartingWith("reader error on disconnect");
    }

    @Test
    void pcscConditionsOfAGoneCardAreCardRemoved() {
        assertThat(SmartcardioTransport.classify(new javax.smartcardio.CardException("SCardTransmit",
                new RuntimeException("SCARD_W_REMOVED_CARD")))).isInstanceOf(CardRemovedException.class);
        assertThat(SmartcardioTransport.classify(new javax.smartcardio.CardException("SCARD_E_READER_UNAVAILABLE")))
                .isNotInstanceOf(CardRemovedException.class).hasMessageStartingWith("reader error");
    }

    /** A card whose channel answers (or fails) as the test says. */
    private static final class FakeCard extends Card {

        interface Answer {
            ResponseAPDU transmit(CommandAPDU command) throws CardException;
        }

        private final Answer answer;
        CardException disconnectFailure;
        int disconnects;

        FakeCard(Answer answer) {
            this.answer = answer;
        }

        @Override
        public ATR getATR() {
            return new ATR(new byte[] {0x3B, 0x00});
        }

        @Override
        public String getProtocol() {
            return "T=1";
        }

        @Override
        public CardChannel getBasicChannel() {
            FakeCard card = this;
            return new CardChannel() {
                @Override
                public Card getCard() {
                    return card;
                }

                @Override
                public int getChannelNumber() {
                    return 0;
                }

                @Override
                public ResponseAPDU transmit(CommandAPDU command) throws CardException {
                    return answer.transmit(command);
                }

                @Override
                public int transmit(ByteBuffer command, ByteBuffer response) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {
                    throw new IllegalStateException("the basic channel cannot be closed");
                }
            };
        }

        @Override
        public CardChannel openLogicalChannel() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void beginExclusive() {}

        @Override
        public void endExclusive() {}

        @Override
        public byte[] transmitControlCommand(int controlCode, byte[] command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void disconnect(boolean reset) throws CardException {
            disconnects++;
            if (disconnectFailure != null) {
                throw disconnectFailure;
            }
        }
    }
}

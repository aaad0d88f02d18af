package nfcpay.terminal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import nfcpay.terminal.apdu.Bytes;
import org.junit.jupiter.api.Test;

/** GET RESPONSE chaining, the 6Cxx retry and their bounds. */
class WrapperTransportsTest {

    /** Answers from a script and remembers what it was sent. */
    static final class Scripted implements Transport {
        final Deque<String> answers = new ArrayDeque<>();
        final List<String> sent = new ArrayList<>();

        Scripted(String... answers) {
            this.answers.addAll(List.of(answers));
        }

        @Override
        public byte[] transceive(byte[] command) {
            sent.add(Bytes.hex(command));
            return Bytes.fromHex(answers.isEmpty() ? "6F00" : answers.pop());
        }

        @Override
        public void close() {}
    }

    @Test
    void getResponseCollectsEveryPieceOfALongAnswer() throws TransportException {
        Scripted card = new Scripted("AABB 6102", "CCDD 6100", "EE 9000");

        byte[] r = new GetResponseTransport(card).transceive(Bytes.fromHex("00A404000E325041592E5359532E444446303100"));

        assertThat(Bytes.hex(r)).isEqualTo("AABBCCDDEE9000");
        assertThat(card.sent).containsExactly("00A404000E325041592E5359532E444446303100", "00C0000002", "00C0000000");
    }

    @Test
    void getResponseLeavesOtherAnswersAlone() throws TransportException {
        Scripted card = new Scripted("9401");

        assertThat(Bytes.hex(new GetResponseTransport(card).transceive(Bytes.fromHex("8050010200")))).isEqualTo("9401");
        assertThat(card.sent).hasSize(1);
    }

    @Test
    void getResponseGivesUpOnACardThatNeverStops() {
        Transport endless = new Transport() {
            int n;

            @Override
            public byte[] transceive(byte[] command) {
                n++;
                return Bytes.fromHex("00 61FF");
            }

            @Override
            public void close() {}
        };

        assertThatThrownBy(() -> new GetResponseTransport(endless).transceive(Bytes.fromHex("00A4040000")))
                .isInstanceOf(TransportException.class).hasMessageContaining("32");
    }

    @Test
    void wrongLengthIsRetriedOnceWithTheLeTheCardAsked() throws TransportException {
        Scripted card = new Scripted("6C04", "000003E8 9000");

        byte[] r = new WrongLengthRetryTransport(card).transceive(Bytes.fromHex("805C000200"));

        assertThat(Bytes.hex(r)).isEqualTo("000003E89000");
        assertThat(card.sent).containsExactly("805C000200", "805C000204");
    }

    @Test
    void wrongLengthTwiceIsPassedUpNotLoopedOn() throws TransportException {
        Scripted card = new Scripted("6C04", "6C08", "9000");

        byte[] r = new WrongLengthRetryTransport(card).transceive(Bytes.fromHex("805C0002"));

        assertThat(Bytes.hex(r)).isEqualTo("6C08");
        assertThat(card.sent).containsExactly("805C0002", "805C000204");
    }

    @Test
    void leIsAddedOrReplacedForEachShortCase() {
        byte le = 0x10;
        assertThat(Bytes.hex(WrongLengthRetryTransport.withLe(Bytes.fromHex("00B201C4"), le))).isEqualTo("00B201C410");
        assertThat(Bytes.hex(WrongLengthRetryTransport.withLe(Bytes.fromHex("00B201C400"), le))).isEqualTo("00B201C410");
        assertThat(Bytes.hex(WrongLengthRetryTransport.withLe(Bytes.fromHex("805A0006020001"), le))).isEqualTo("805A000602000110");
        assertThat(Bytes.hex(WrongLengthRetryTransport.withLe(Bytes.fromHex("805A000602000108"), le))).isEqualTo("805A000602000110");
        assertThat(WrongLengthRetryTransport.withLe(Bytes.fromHex("805A0006000002"), le)).isNull(); // extended: not guessed
    }

    @Test
    void theStandardStackChainsAfterARetry() throws TransportException {
        Scripted card = new Scripted("6C00", "AA 6101", "BB 9000");
        List<String> trace = new ArrayList<>();

        byte[] r = Transports.stack(card, trace::add).transceive(Bytes.fromHex("00A404000E325041592E5359532E4444463031"));

        assertThat(Bytes.hex(r)).isEqualTo("AABB9000");
        assertThat(trace).containsExactly(
                ">> 00A404000E325041592E5359532E4444463031", "<< 6C00",
                ">> 00A404000E325041592E5359532E444446303100", "<< AA 6101",
                ">> 00C0000001", "<< BB 9000");
    }
}

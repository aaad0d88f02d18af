package nfcpay.terminal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.transport.WrapperTransportsTest.Scripted;
import org.junit.jupiter.api.Test;

/** The APDU trace: the right format, and no serial, MAC or TAC in it. */
class TracingTransportTest {

    private static final String SERIAL = "86240011223344556601";
    private static final String ISSUER_DATA = "0102030405060708" + "0201" + SERIAL + "20200101" + "20491231" + "0156";

    private final List<String> trace = new ArrayList<>();

    private String exchange(String command, String response) throws TransportException {
        new TracingTransport(new Scripted(response), trace::add).transceive(Bytes.fromHex(command));
        return String.join("\n", trace);
    }

    @Test
    void writesOneLineEachWayWithTheStatusWordApart() throws TransportException {
        String t = exchange("805C000204", "000003E8 9000");

        assertThat(t).isEqualTo(">> 805C000204\n<< 000003E8 9000");
    }

    @Test
    void masksTheApplicationSerialNumberInSelectAnswers() throws TransportException {
        String fci = "6F2E" + "8408F000000824010101" + "A522" + "9F0C1E" + ISSUER_DATA;

        String t = exchange("00A4040008F00000082401010100", fci + "9000");

        assertThat(t).doesNotContain(SERIAL).doesNotContain("11223344556601")
                .contains("9F0C1E01020304050607080201" + "**".repeat(10) + "20200101204912310156 9000");
    }

    @Test
    void masksMac1InDebitAndTacAndMac2InItsAnswer() throws TransportException {
        String t = exchange("805401000F" + "00000001" + "20260301" + "123456" + "A1B2C3D4" + "08", "11223344" + "55667788" + "9000");

        assertThat(t).doesNotContain("A1B2C3D4").doesNotContain("11223344").doesNotContain("55667788")
                .isEqualTo(">> 805401000F0000000120260301123456********08\n<< **************** 9000");
    }

    @Test
    void masksLoadMacsProofsAndPersonalizationData() throws TransportException {
        assertThat(exchange("805000020B01000027100011223344551" + "0", "000000000000" + "0100" + "CAFEBABE" + "DEADBEEF" + "9000"))
                .contains("<< 0000000000000100CAFEBABE******** 9000");
        trace.clear();
        assertThat(exchange("805200000B" + "20260301" + "123456" + "DEADBEEF" + "04", "FEEDFACE9000"))
                .isEqualTo(">> 805200000B20260301123456********04\n<< ******** 9000");
        trace.clear();
        assertThat(exchange("805A000602000108", "0102030405060708 9000")).endsWith("<< **************** 9000");
        trace.clear();
        assertThat(exchange("80E2000005" + "8101021234", "9000")).startsWith(">> 80E2000005**********");
        trace.clear();
        // The authenticated STORE DATA of docs/protocol.md 3.3: its secret DGIs are encrypted, the rest of it is not.
        assertThat(exchange("84E2280005" + "0103024142", "9000")).startsWith(">> 84E2280005**********");
    }

    @Test
    void masksTheContinuationOfAChainedProof() throws TransportException {
        Scripted card = new Scripted("6108", "0102030405060708 9000");
        TracingTransport t = new TracingTransport(card, trace::add);

        t.transceive(Bytes.fromHex("805A000602000108"));
        t.transceive(Bytes.fromHex("00C0000008"));

        assertThat(trace.get(3)).isEqualTo("<< **************** 9000");
    }

    @Test
    void saysWhenTheCardLeftAndPassesTheExceptionOn() {
        Transport gone = new Transport() {
            @Override
            public byte[] transceive(byte[] command) throws CardRemovedException {
                throw new CardRemovedException("gone");
            }

            @Override
            public void close() {}
        };

        assertThatThrownBy(() -> new TracingTransport(gone, trace::add).transceive(Bytes.fromHex("805C000204")))
                .isInstanceOf(CardRemovedException.class);
        assertThat(trace).containsExactly(">> 805C000204", "<< card removed");
    }
}

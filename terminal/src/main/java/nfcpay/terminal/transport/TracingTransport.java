package nfcpay.terminal.transport;

import java.util.function.Consumer;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.apdu.TerminalWire;
import nfcpay.terminal.apdu.TerminalWire.Command;

/**
 * Writes every APDU to a sink, one line each way: {@code >> 00A40400...} and {@code << <data> 9000}.
 * Secrets are masked as {@code **} per byte: MAC1, MAC2 and TAC fields, STORE DATA contents (keys
 * travel there), and the application serial number inside any 9F0C. A trace is safe to paste
 * into a bug report.
 */
public final class TracingTransport implements Transport {

    /** What the trace writes when the card left the field instead of answering. */
    public static final String CARD_REMOVED = "card removed";

    private static final String MASK = "**";
    private static final byte[] ISSUER_DATA_HEADER = {(byte) 0x9F, 0x0C, (byte) TerminalWire.ISSUER_DATA_LENGTH};
    /** Offset of the application serial number inside 9F0C: issuer ID (8), type (1), version (1). */
    private static final int SERIAL_OFFSET_IN_ISSUER_DATA = 10;

    private final Transport inner;
    private final Consumer<String> sink;
    /** The command a GET RESPONSE continues, so its pieces are masked like the command's own response. */
    private Command answering;

    public TracingTransport(Transport inner, Consumer<String> sink) {
        this.inner = inner;
        this.sink = sink;
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        Command c = Command.of(command);
        if (c != Command.GET_RESPONSE) {
            answering = c;
        }
        sink.accept(">> " + maskCommand(c, command));
        byte[] response;
        try {
            response = inner.transceive(command);
        } catch (CardRemovedException e) {
            sink.accept("<< " + CARD_REMOVED);
            throw e;
        }
        sink.accept("<< " + maskResponse(c == Command.GET_RESPONSE ? answering : c, c == Command.GET_RESPONSE, response));
        return response;
    }

    static String maskCommand(Command c, byte[] apdu) {
        String[] bytes = split(apdu);
        int data = 5;
        if (c == Command.DEBIT_FOR_PURCHASE) {
            mask(bytes, data + 11, 4, bytes.length); // serial (4) date (4) time (3) | MAC1 (4)
        } else if (c == Command.CREDIT_FOR_LOAD) {
            mask(bytes, data + 7, 4, bytes.length); // date (4) time (3) | MAC2 (4)
        } else if ((c == Command.APPLICATION_BLOCK || c == Command.APPLICATION_UNBLOCK) && apdu.length > data) {
            mask(bytes, data, apdu[4] & 0xFF, bytes.length); // the script MAC
        } else if ((c == Command.STORE_DATA || c == Command.STORE_DATA_AUTHENTICATED) && apdu.length > data) {
            mask(bytes, data, apdu[4] & 0xFF, bytes.length);
        }
        return String.join("", bytes);
    }

    static String maskResponse(Command c, boolean continuation, byte[] response) {
        int dataLength = Math.max(0, response.length - 2);
        String[] bytes = split(response);
        maskIssuerSerials(response, dataLength, bytes);
        if (c == Command.DEBIT_FOR_PURCHASE || c == Command.GET_TRANSACTION_PROVE || c == Command.CREDIT_FOR_LOAD
                || (continuation && c == Command.INITIALIZE_FOR_LOAD)) {
            mask(bytes, 0, dataLength, dataLength); // TAC and MAC2, MAC2 and TAC, TAC
        } else if (c == Command.INITIALIZE_FOR_LOAD) {
            mask(bytes, 12, 4, dataLength); // old balance, counter, key version, algorithm, random | MAC1
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < dataLength; i++) {
            line.append(bytes[i]);
        }
        if (dataLength > 0) {
            line.append(' ');
        }
        for (int i = dataLength; i < bytes.length; i++) {
            line.append(bytes[i]);
        }
        return line.toString();
    }

    /** Masks the serial inside every "9F0C 1E" found; a false match only masks more than needed. */
    private static void maskIssuerSerials(byte[] response, int dataLength, String[] bytes) {
        for (int i = 0; i + ISSUER_DATA_HEADER.length <= dataLength; i++) {
            if (response[i] == ISSUER_DATA_HEADER[0] && response[i + 1] == ISSUER_DATA_HEADER[1]
                    && response[i + 2] == ISSUER_DATA_HEADER[2]) {
                mask(bytes, i + ISSUER_DATA_HEADER.length + SERIAL_OFFSET_IN_ISSUER_DATA,
                        TerminalWire.APPLICATION_SERIAL_LENGTH, dataLength);
            }
        }
    }

    private static String[] split(byte[] bytes) {
        String[] out = new String[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = Bytes.hex(new byte[] {bytes[i]});
        }
        return out;
    }

    /** Masks {@code count} bytes from {@code from}, never at or beyond {@code limit} (the status word). */
    private static void mask(String[] bytes, int from, int count, int limit) {
        for (int i = from; i < from + count && i < limit; i++) {
            bytes[i] = MASK;
        }
    }

    @Override
    public void close() throws TransportException {
        inner.close();
    }

    @Override
    public String toString() {
        return "Tracing(" + inner + ")";
    }
}

package nfcpay.cli;

import java.util.Arrays;
import java.util.function.Consumer;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.TracingTransport;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * The --trace of the wallet commands. VERIFY (00 20) and CHANGE REFERENCE DATA (00 24) carry holder
 * PIN blocks, which the terminal's {@link TracingTransport} does not know (a POS never sends them):
 * their data is written as {@code **} per byte here; every other APDU goes through the terminal's
 * trace and its masking.
 */
final class HolderTrace implements Transport {

    private static final int CLA_ISO = 0x00;
    private static final int INS_VERIFY = 0x20;
    private static final int INS_CHANGE_REFERENCE_DATA = 0x24;
    /** CLA INS P1 P2 Lc. */
    private static final int HEADER_AND_LC = 5;

    private final Transport reader;
    private final Consumer<String> sink;
    private final TracingTransport traced;

    HolderTrace(Transport reader, Consumer<String> sink) {
        this.reader = reader;
        this.sink = sink;
        this.traced = new TracingTransport(reader, sink);
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        if (!carriesPin(command)) {
            return traced.transceive(command);
        }
        sink.accept(">> " + masked(command));
        byte[] response;
        try {
            response = reader.transceive(command);
        } catch (CardRemovedException e) {
            sink.accept("<< " + TracingTransport.CARD_REMOVED);
            throw e;
        }
        sink.accept("<< " + Bytes.hex(response)); // a status word only: these commands answer no data
        return response;
    }

    static boolean carriesPin(byte[] command) {
        return command.length > HEADER_AND_LC && (command[0] & 0xFF) == CLA_ISO
                && ((command[1] & 0xFF) == INS_VERIFY || (command[1] & 0xFF) == INS_CHANGE_REFERENCE_DATA);
    }

    /** The header and Lc in hex, then ** for every byte after them. */
    static String masked(byte[] command) {
        StringBuilder line = new StringBuilder(Bytes.hex(Arrays.copyOf(command, HEADER_AND_LC)));
        line.append("**".repeat(command.length - HEADER_AND_LC));
        return line.toString();
    }

    @Override
    public void close() throws TransportException {
        traced.close();
    }

    @Override
    public String toString() {
        return "HolderTrace(" + reader + ")";
    }
}

package nfcpay.bench.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nfcpay.terminal.apdu.TerminalWire;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * Sits next to the reader, below GET RESPONSE and wrong-length retry, so it sees every APDU that
 * really crosses the air: counts them, their bytes (command and response with SW), the time the
 * simulator took, and what kind of command each was.
 */
public final class CountingTransport implements Transport {

    /** What an exchange was for. A GET RESPONSE counts as part of the command it continues. */
    public enum Kind {
        SELECT_PPSE, GET_PROCESSING_OPTIONS, SELECT_APPLICATION, INITIALIZE_FOR_PURCHASE, DEBIT_FOR_PURCHASE,
        INITIALIZE_FOR_LOAD, CREDIT_FOR_LOAD, OTHER;

        /** The part of a purchase that picks the card: SELECT PPSE (with its GET RESPONSEs) and GPO. */
        public boolean selection() {
            return this == SELECT_PPSE || this == GET_PROCESSING_OPTIONS;
        }
    }

    /**
     * One command and its response as exchanged with the card.
     *
     * @param kind what it was for
     * @param getResponse true for a GET RESPONSE continuing {@code kind}
     * @param commandLength command APDU bytes
     * @param responseLength response APDU bytes, SW1 SW2 included
     * @param sw the status word
     * @param nanos wall time inside the reader (the simulator, in process)
     * @param cpuNanos CPU time of this thread inside the reader
     */
    public record Exchange(Kind kind, boolean getResponse, int commandLength, int responseLength, int sw, long nanos,
            long cpuNanos) {}

    private static final int INS_SELECT = 0xA4;
    private static final int INS_GET_RESPONSE = 0xC0;
    private static final int INS_GPO = 0xA8;
    private static final int INS_INITIALIZE = 0x50;
    private static final int INS_DEBIT = 0x54;
    private static final int INS_CREDIT = 0x52;
    private static final int P1_INITIALIZE_FOR_PURCHASE = 0x01;

    private final Transport reader;
    private final List<Exchange> exchanges = new ArrayList<>();
    private Kind last = Kind.OTHER;

    public CountingTransport(Transport reader) {
        this.reader = reader;
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        boolean getResponse = command.length >= 2 && (command[1] & 0xFF) == INS_GET_RESPONSE;
        Kind kind = getResponse ? last : classify(command);
        long cpuStart = CpuClock.now();
        long start = System.nanoTime();
        byte[] response = reader.transceive(command);
        long nanos = System.nanoTime() - start;
        long cpuNanos = CpuClock.now() - cpuStart;
        int sw = response.length >= 2 ? (response[response.length - 2] & 0xFF) << 8 | response[response.length - 1] & 0xFF : -1;
        exchanges.add(new Exchange(kind, getResponse, command.length, response.length, sw, nanos, cpuNanos));
        last = kind;
        return response;
    }

    /** The exchanges since the last call, oldest first. */
    public List<Exchange> take() {
        List<Exchange> out = List.copyOf(exchanges);
        exchanges.clear();
        return out;
    }

    static Kind classify(byte[] c) {
        if (c.length < 4) {
            return Kind.OTHER;
        }
        int ins = c[1] & 0xFF;
        switch (ins) {
            case INS_SELECT:
                return isPpse(c) ? Kind.SELECT_PPSE : Kind.SELECT_APPLICATION;
            case INS_GPO:
                return Kind.GET_PROCESSING_OPTIONS;
            case INS_INITIALIZE:
                return (c[2] & 0xFF) == P1_INITIALIZE_FOR_PURCHASE ? Kind.INITIALIZE_FOR_PURCHASE : Kind.INITIALIZE_FOR_LOAD;
            case INS_DEBIT:
                return Kind.DEBIT_FOR_PURCHASE;
            case INS_CREDIT:
                return Kind.CREDIT_FOR_LOAD;
            default:
                return Kind.OTHER;
        }
    }

    /** SELECT by name of the PPSE: 00 A4 04 00 Lc 2PAY.SYS.DDF01. */
    static boolean isPpse(byte[] c) {
        byte[] aid = TerminalWire.PPSE_AID;
        return c.length >= 5 + aid.length && (c[4] & 0xFF) == aid.length
                && Arrays.equals(c, 5, 5 + aid.length, aid, 0, aid.length);
    }

    @Override
    public void close() throws TransportException {
        reader.close();
    }
}

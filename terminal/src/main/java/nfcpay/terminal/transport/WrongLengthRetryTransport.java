package nfcpay.terminal.transport;

import java.util.Arrays;

/**
 * Re-sends a command once with the Le the card asked for when it answers {@code 6Cxx} (ISO/IEC
 * 7816-4 5.6, "wrong Le field; SW2 encodes the exact number"). Once only: a card that answers
 * 6Cxx again gets its status word passed up.
 */
public final class WrongLengthRetryTransport implements Transport {

    private final Transport inner;

    public WrongLengthRetryTransport(Transport inner) {
        this.inner = inner;
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        byte[] response = inner.transceive(command);
        if (response.length == 2 && (response[0] & 0xFF) == 0x6C) {
            byte[] retry = withLe(command, response[1]);
            if (retry != null) {
                return inner.transceive(retry);
            }
        }
        return response;
    }

    /** The short command with its Le replaced (cases 2, 4) or added (cases 1, 3); null for any other form. */
    static byte[] withLe(byte[] command, byte le) {
        if (command.length < 4) {
            return null;
        }
        if (command.length == 4) {
            return append(command, le);
        }
        if (command.length == 5) {
            return replaceLast(command, le);
        }
        int lc = command[4] & 0xFF;
        if (lc == 0) {
            return null; // extended length: not used by the contract, not guessed at here
        }
        if (command.length == 5 + lc) {
            return append(command, le);
        }
        if (command.length == 6 + lc) {
            return replaceLast(command, le);
        }
        return null;
    }

    private static byte[] append(byte[] command, byte le) {
        byte[] out = Arrays.copyOf(command, command.length + 1);
        out[command.length] = le;
        return out;
    }

    private static byte[] replaceLast(byte[] command, byte le) {
        byte[] out = command.clone();
        out[out.length - 1] = le;
        return out;
    }

    @Override
    public void close() throws TransportException {
        inner.close();
    }

    @Override
    public String toString() {
        return "WrongLengthRetry(" + inner + ")";
    }
}

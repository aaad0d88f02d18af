package nfcpay.terminal.transport;

import java.io.ByteArrayOutputStream;
import nfcpay.terminal.apdu.Apdu;
import nfcpay.terminal.apdu.TerminalWire.Command;

/**
 * Collects a response the card hands out in pieces: while it answers {@code 61xx}, send
 * {@code 00 C0 00 00 xx} and append (ISO/IEC 7816-4 7.6.1; the selector does this for a PPSE
 * directory above 256 bytes, docs/protocol.md 2.2). Bounded, so a card that never stops cannot
 * hang the terminal.
 */
public final class GetResponseTransport implements Transport {

    /** 32 rounds of up to 256 bytes: far above the largest response of the contract. */
    public static final int MAX_ROUNDS = 32;

    private final Transport inner;

    public GetResponseTransport(Transport inner) {
        this.inner = inner;
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        byte[] response = inner.transceive(command);
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        for (int round = 0; isBytesRemaining(response); round++) {
            if (round == MAX_ROUNDS) {
                throw new TransportException("the card still had bytes after " + MAX_ROUNDS + " GET RESPONSE commands");
            }
            collected.write(response, 0, response.length - 2);
            int available = response[response.length - 1] & 0xFF;
            response = inner.transceive(Apdu.of(Command.GET_RESPONSE, null, available == 0 ? Apdu.LE_ANY : available).bytes());
        }
        if (collected.size() == 0) {
            return response;
        }
        collected.writeBytes(response);
        return collected.toByteArray();
    }

    private static boolean isBytesRemaining(byte[] response) {
        return response.length >= 2 && (response[response.length - 2] & 0xFF) == 0x61;
    }

    @Override
    public void close() throws TransportException {
        inner.close();
    }

    @Override
    public String toString() {
        return "GetResponse(" + inner + ")";
    }
}

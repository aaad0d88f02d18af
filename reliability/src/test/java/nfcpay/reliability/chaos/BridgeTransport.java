package nfcpay.reliability.chaos;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * The terminal process's reader: one tap on the SIM that the parent process holds, over the loopback
 * APDU bridge ({@link ApduBridge} has the frames). Opening it is the card entering the field (the
 * parent connects to its reader), closing it is the card leaving (the parent disconnects with a
 * reset).
 */
final class BridgeTransport implements Transport {

    private final DataInputStream in;
    private final DataOutputStream out;
    private boolean closed;

    BridgeTransport(DataInputStream in, DataOutputStream out) throws TransportException {
        this.in = in;
        this.out = out;
        try {
            out.writeByte(ApduBridge.TAP);
            out.flush();
            expectAck();
        } catch (IOException e) {
            throw new CardRemovedException("the bridge is gone: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        try {
            out.writeByte(ApduBridge.APDU);
            out.writeShort(command.length);
            out.write(command);
            out.flush();
            int length = in.readShort();
            if (length < 0) {
                throw new CardRemovedException("the card left the field");
            }
            byte[] response = new byte[length];
            in.readFully(response);
            return response;
        } catch (IOException e) {
            throw new CardRemovedException("the bridge is gone: " + e.getMessage(), e);
        }
    }

    private void expectAck() throws IOException {
        if (in.readByte() != ApduBridge.ACK) {
            throw new IOException("the bridge did not acknowledge");
        }
    }

    @Override
    public void close() throws TransportException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.writeByte(ApduBridge.END);
            out.flush();
            expectAck();
        } catch (IOException e) {
            throw new TransportException("the bridge is gone: " + e.getMessage(), e);
        }
    }
}

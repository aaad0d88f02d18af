package nfcpay.sim.pcsc;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The pcscd side of the vpcd socket, written from the protocol description, for tests that run
 * without pcscd: listens, accepts the card, sends controls and C-APDUs, reads the answers.
 */
final class FakeVpcd implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 5_000;

    private final int port;
    private ServerSocket server;
    private Socket client;
    private DataInputStream in;
    private OutputStream out;

    FakeVpcd() throws IOException {
        server = listen(0);
        port = server.getLocalPort();
    }

    InetSocketAddress address() {
        return VpcdCard.parseAddress("127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    /** Accepts the card's connection, failing the test after 5 s. */
    FakeVpcd accept() throws IOException {
        if (!acceptWithin(Duration.ofMillis(TIMEOUT_MILLIS))) {
            throw new AssertionError("the card did not connect to the fake vpcd");
        }
        return this;
    }

    /** True when the card connected within {@code wait}. */
    boolean acceptWithin(Duration wait) throws IOException {
        server.setSoTimeout((int) wait.toMillis());
        try {
            client = server.accept();
        } catch (SocketTimeoutException e) {
            return false;
        }
        client.setTcpNoDelay(true);
        client.setSoTimeout(TIMEOUT_MILLIS);
        in = new DataInputStream(client.getInputStream());
        out = client.getOutputStream();
        return true;
    }

    void control(int code) throws IOException {
        out.write(new byte[] {0, 1, (byte) code});
        out.flush();
    }

    byte[] atr() throws IOException {
        control(VpcdSession.CTRL_ATR);
        return readFrame();
    }

    byte[] transmit(byte[] apdu) throws IOException {
        out.write(VpcdSession.frame(apdu));
        out.flush();
        return readFrame();
    }

    /** Sends the length and the payload in two writes, as vpcd 3.3 does. */
    byte[] transmitSplit(byte[] apdu) throws IOException, InterruptedException {
        byte[] frame = VpcdSession.frame(apdu);
        out.write(frame, 0, 2);
        out.flush();
        Thread.sleep(20);
        out.write(frame, 2, frame.length - 2);
        out.flush();
        return readFrame();
    }

    /** Polls presence as pcscd does; true when the card hung up instead of answering its ATR. */
    boolean pollFindsTheCardGone() throws IOException {
        control(VpcdSession.CTRL_ATR);
        try {
            readFrame();
            return false;
        } catch (EOFException | SocketException e) {
            return true; // end of stream, or reset by peer
        }
    }

    /** True when the card has closed its end: a read sees end of stream. */
    boolean cardHungUp() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by peer
        }
    }

    /** Closes the card's connection as a dying pcscd would; keeps listening. */
    void dropCard() throws IOException {
        client.close();
    }

    /** Stops listening (connections are refused) and drops the card. */
    void stopListening() throws IOException {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    /** Listens again on the same port, as a restarted pcscd does. */
    void listenAgain() throws IOException {
        server = listen(port);
    }

    private byte[] readFrame() throws IOException {
        int length = in.readUnsignedShort();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port), 1);
        return s;
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
        server.close();
    }
}

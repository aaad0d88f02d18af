package nfcpay.terminal.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * A card that stops answering at APDU number {@code stallAt} (0-based), after it ran that command
 * (its answer never comes), like a SIM whose process was stopped: the call blocks until
 * {@link #release} (or 30 s at most, so that no test thread outlives its test for long).
 */
public final class StallingTransport implements Transport {

    private final Transport inner;
    private final int stallAt;
    private final CountDownLatch released = new CountDownLatch(1);
    private int sent;

    public StallingTransport(Transport inner, int stallAt) {
        this.inner = inner;
        this.stallAt = stallAt;
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        byte[] answer = inner.transceive(command);
        if (sent++ == stallAt) {
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new TransportException("released after the stall");
        }
        return answer;
    }

    /** Lets a stalled command end (with an error): the test's cleanup. */
    public void release() {
        released.countDown();
    }

    @Override
    public void close() throws TransportException {
        inner.close();
    }
}

package nfcpay.terminal.transport;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts a bound on every command: {@code javax.smartcardio}'s transmit has no timeout, so a card
 * (or a virtual reader's process) that stops answering would hang the terminal for ever. Every call
 * of the inner transport runs on one thread of this transport's own, always the same one, because
 * PC/SC exclusive access belongs to the thread that began it; the caller waits for it at most
 * {@code answerTimeout}.
 *
 * <p>On expiry the card is given up: this and every later command fail with
 * {@link CardStalledException}, and {@link #close} leaves the release of the card to that thread
 * (it runs if the card ever answers) instead of waiting for it. The thread is a daemon: a process
 * that gives up ends, and PC/SC frees its reader then.
 */
public final class BoundedTransport implements Transport {

    private final Transport inner;
    private final ExecutorService cardThread;
    private final Duration answerTimeout;
    private volatile boolean stalled;
    private boolean closed;

    /**
     * @param inner the reader, which must only be used from {@code cardThread} from now on
     * @param cardThread a single-thread executor; this transport shuts it down on close
     */
    public BoundedTransport(Transport inner, ExecutorService cardThread, Duration answerTimeout) {
        this.inner = inner;
        this.cardThread = cardThread;
        this.answerTimeout = answerTimeout;
    }

    /** A bound on a transport that any thread may use: it gets a card thread of its own. */
    public static BoundedTransport over(Transport inner, Duration answerTimeout) {
        return new BoundedTransport(inner, cardThread("card"), answerTimeout);
    }

    /** A daemon single-thread executor: the one thread that talks to one card. */
    public static ExecutorService cardThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nfcpay-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        if (stalled) {
            throw new CardStalledException(stalledMessage());
        }
        Future<byte[]> answer = cardThread.submit(() -> inner.transceive(command));
        try {
            return answer.get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stalled = true;
            answer.cancel(true);
            throw new CardStalledException(stalledMessage());
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stalled = true;
            throw new CardStalledException("interrupted while the card was answering: the command may have run");
        }
    }

    private String stalledMessage() {
        return "the card stopped answering: no answer within " + seconds(answerTimeout);
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static TransportException rethrown(Throwable cause) {
        if (cause instanceof TransportException t) {
            return t;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new TransportException("reader error: " + cause, cause);
    }

    /** True once a command went unanswered: the card is given up. */
    public boolean stalled() {
        return stalled;
    }

    @Override
    public void close() throws TransportException {
        if (closed) {
            return;
        }
        closed = true;
        if (stalled) {
            // The card thread is still inside the unanswered command: queue the release behind it and go.
            cardThread.submit(() -> {
                inner.close();
                return null;
            });
            cardThread.shutdown();
            return;
        }
        Future<Void> released = cardThread.submit(() -> {
            inner.close();
            return null;
        });
        cardThread.shutdown();
        try {
            released.get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stalled = true; // the reader hangs on disconnect: nothing more to do from here; the process's end frees it
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Bounded(" + seconds(answerTimeout) + ", " + inner + ")";
    }
}

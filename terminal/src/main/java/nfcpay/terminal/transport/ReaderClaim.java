package nfcpay.terminal.transport;

import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;

/**
 * How one tap takes a PC/SC reader for itself. A shared connection lets another process's commands
 * come between this tap's (a SELECT from one sale between another's INITIALIZE and DEBIT costs it a
 * 6901; the reset one sale's disconnect does "removes" the card from the other), so the tap begins
 * exclusive access ({@code SCardBeginTransaction}) and keeps it until its transport is closed,
 * with a reset.
 *
 * <p>Two waits, each bounded: for a card ({@link TapBounds#cardWait}), and for the reader
 * ({@link TapBounds#readerWait}). pcsc-lite's SCardConnect and SCardBeginTransaction both wait
 * without a limit of their own while another process holds the reader, and SCardConnect also
 * while a stopped card is being powered up after the last holder's reset: from here the two look
 * alike, so "reader busy" names both. The connection and exclusive access are made on the card
 * thread that every later command runs on, because exclusive access belongs to the thread that
 * began it.
 */
final class ReaderClaim {

    private final CardTerminal reader;
    private final TapBounds bounds;

    ReaderClaim(CardTerminal reader, TapBounds bounds) {
        this.reader = reader;
        this.bounds = bounds;
    }

    Transport take() throws TransportException {
        awaitCard();
        ExecutorService cardThread = BoundedTransport.cardThread("reader");
        long busyDeadline = System.nanoTime() + bounds.readerWait().toNanos();
        Future<Card> held = cardThread.submit(() -> connectExclusive(busyDeadline));
        try {
            Card card = held.get(bounds.readerWait().toMillis(), TimeUnit.MILLISECONDS);
            return new BoundedTransport(new SmartcardioTransport(card), cardThread, bounds.answerTimeout());
        } catch (TimeoutException e) {
            throw giveUp(cardThread, held, busy());
        } catch (ExecutionException e) {
            cardThread.shutdown();
            throw BoundedTransport.rethrown(e.getCause());
        } catch (InterruptedException e) {
            cardThread.shutdown();
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for reader '" + reader.getName() + "'", e);
        }
    }

    /** Should the card thread get the reader after all, it gives it back at once; the process ending frees it anyway. */
    private static TransportException giveUp(ExecutorService cardThread, Future<Card> held, TransportException why) {
        cardThread.submit(() -> {
            try {
                held.get().disconnect(false);
            } catch (ExecutionException | CardException | RuntimeException nothingHeld) {
                // it never got the reader
            }
            return null;
        });
        cardThread.shutdown();
        return why;
    }

    private void awaitCard() throws TransportException {
        try {
            if (reader.isCardPresent()) {
                return;
            }
            if (bounds.cardWait().isZero()) {
                throw new TransportException("no card on reader '" + reader.getName() + "'");
            }
            bounds.presentCard().run();
            if (!reader.waitForCardPresent(Math.max(1, bounds.cardWait().toMillis()))) {
                throw new TransportException("no card presented on reader '" + reader.getName() + "' within "
                        + BoundedTransport.seconds(bounds.cardWait()));
            }
        } catch (CardException e) {
            throw new TransportException("cannot watch reader '" + reader.getName() + "' for a card: " + e.getMessage(), e);
        }
    }

    /** Connects and begins exclusive access, again while another holder or its reset is in the way, until the deadline. */
    private Card connectExclusive(long busyDeadline) throws TransportException {
        while (true) {
            Card card;
            try {
                card = reader.connect("*");
            } catch (CardException e) {
                if (!inTheWay(e)) {
                    throw new TransportException("cannot connect to the card on '" + reader.getName() + "': " + e.getMessage(), e);
                }
                pause(busyDeadline);
                continue;
            }
            try {
                card.beginExclusive();
                return card;
            } catch (CardException | IllegalStateException e) {
                if (!heldByAnotherThreadHere(e)) {
                    // our connection saw the previous holder's reset: drop it and connect afresh
                    try {
                        card.disconnect(false);
                    } catch (CardException | IllegalStateException gone) {
                        // nothing to release
                    }
                }
                if (!inTheWay(e)) {
                    throw SmartcardioTransport.classify(e instanceof CardException c ? c : new CardException(e.getMessage(), e));
                }
                pause(busyDeadline);
            }
        }
    }

    /** Another holder, or the reset it left: worth another try (pcsc-lite and WinSCard names, the JDK's and jcardsim's checks). */
    private static boolean inTheWay(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toUpperCase(Locale.ROOT);
            if (m.contains("SHARING_VIOLATION") || m.contains("RESET_CARD") || m.contains("ALREADY BEEN ASSIGNED")
                    || m.contains("HELD EXCLUSIVELY") || m.contains("BY ANOTHER THREAD") || m.contains("HAS BEEN DISCONNECTED")
                    || m.contains("WAS DISCONNECTED")) {
                return true;
            }
        }
        return false;
    }

    /** Two taps of this process on one reader share the JDK's card object; the other tap's hold is not ours to drop. */
    private static boolean heldByAnotherThreadHere(Throwable e) {
        String m = String.valueOf(e.getMessage()).toUpperCase(Locale.ROOT);
        return m.contains("ALREADY BEEN ASSIGNED TO THREAD") || m.contains("HELD EXCLUSIVELY BY THREAD");
    }

    private void pause(long busyDeadline) throws TransportException {
        if (System.nanoTime() - busyDeadline > 0) {
            throw busy();
        }
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for reader '" + reader.getName() + "'", e);
        }
    }

    private ReaderBusyException busy() {
        return new ReaderBusyException("reader busy: '" + reader.getName() + "' was not free within "
                + BoundedTransport.seconds(bounds.readerWait()) + " (another sale holds it, or its card stopped answering);"
                + " nothing was sent to the card");
    }
}

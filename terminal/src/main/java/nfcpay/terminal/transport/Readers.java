package nfcpay.terminal.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import javax.smartcardio.TerminalFactory;

/** Finds PC/SC readers by name and connects to the card in their field. */
public final class Readers {

    private Readers() {}

    /** The names of the readers PC/SC knows; empty when there are none. */
    public static List<String> names() throws TransportException {
        List<String> names = new ArrayList<>();
        for (CardTerminal t : list()) {
            names.add(t.getName());
        }
        return names;
    }

    /**
     * The reader with exactly this name, or else the only one whose name contains it (readers have
     * long names like "ACS ACR122U PICC Interface 00 00").
     */
    public static CardTerminal find(String name) throws TransportException {
        return find(list(), name);
    }

    /** {@link #find(String)} among the given readers. */
    public static CardTerminal find(CardTerminals readers, String name) throws TransportException {
        try {
            return find(readers.list(), name);
        } catch (CardException e) {
            throw new TransportException("cannot list the readers: " + e.getMessage(), e);
        }
    }

    private static CardTerminal find(List<CardTerminal> all, String name) throws TransportException {
        List<CardTerminal> partial = new ArrayList<>();
        for (CardTerminal t : all) {
            if (t.getName().equals(name)) {
                return t;
            }
            if (t.getName().contains(name)) {
                partial.add(t);
            }
        }
        if (partial.size() == 1) {
            return partial.get(0);
        }
        List<String> names = new ArrayList<>();
        all.forEach(t -> names.add(t.getName()));
        if (all.isEmpty()) {
            throw new TransportException("no reader named '" + name + "': PC/SC lists no readers");
        }
        throw new TransportException((partial.isEmpty() ? "no reader named '" : "more than one reader matches '")
                + name + "' (readers: " + String.join(", ", names) + ")");
    }

    /** Connects to the card on the reader (any protocol). */
    public static Transport connect(CardTerminal reader) throws TransportException {
        try {
            if (!reader.isCardPresent()) {
                throw new TransportException("no card on reader '" + reader.getName() + "'");
            }
            return new SmartcardioTransport(reader.connect("*"));
        } catch (CardException e) {
            throw new TransportException("cannot connect to the card on '" + reader.getName() + "': " + e.getMessage(), e);
        }
    }

    /** {@link #find} then {@link #connect}. */
    public static Transport open(String name) throws TransportException {
        return connect(find(name));
    }

    /** {@link #find} then {@link #claim}. */
    public static Transport open(String name, TapBounds bounds) throws TransportException {
        return claim(find(name), bounds);
    }

    /**
     * One sale's hold on the reader: waits (bounded) for a card, connects, and takes PC/SC exclusive
     * access ({@code SCardBeginTransaction}) for the whole tap, so that another process's commands
     * cannot come between this tap's (a shared connection lets them interleave: a SELECT from one
     * sale between another's INITIALIZE and DEBIT costs it a 6901, a reset on its disconnect
     * "removes" the card from the other). The hold ends when the transport is closed, with a
     * reset. Every command is bounded by {@link BoundedTransport}.
     *
     * @throws ReaderBusyException when another process held the reader longer than {@code bounds.readerWait()}
     * @throws TransportException when no card came within {@code bounds.cardWait()}, or the reader failed
     */
    public static Transport claim(CardTerminal reader, TapBounds bounds) throws TransportException {
        awaitCard(reader, bounds);
        ExecutorService cardThread = BoundedTransport.cardThread("reader");
        long deadline = System.nanoTime() + bounds.readerWait().toNanos();
        Future<Card> held = cardThread.submit(() -> connectExclusive(reader, deadline, bounds.readerWait()));
        try {
            Card card = held.get(bounds.readerWait().toMillis(), TimeUnit.MILLISECONDS);
            return new BoundedTransport(new SmartcardioTransport(card), cardThread, bounds.answerTimeout());
        } catch (TimeoutException e) {
            // pcsc-lite's SCardBeginTransaction waits for the other holder without a limit: should it get the
            // reader after all, the thread gives it back at once (and the process ending frees it anyway).
            cardThread.submit(() -> {
                try {
                    held.get().disconnect(false);
                } catch (ExecutionException | CardException | RuntimeException nothingHeld) {
                    // it never got the reader
                }
                return null;
            });
            cardThread.shutdown();
            throw busy(reader, bounds.readerWait());
        } catch (ExecutionException e) {
            cardThread.shutdown();
            throw BoundedTransport.rethrown(e.getCause());
        } catch (InterruptedException e) {
            cardThread.shutdown();
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for reader '" + reader.getName() + "'", e);
        }
    }

    private static void awaitCard(CardTerminal reader, TapBounds bounds) throws TransportException {
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
    private static Card connectExclusive(CardTerminal reader, long deadline, Duration readerWait) throws TransportException {
        while (true) {
            Card card;
            try {
                card = reader.connect("*");
            } catch (CardException e) {
                if (!inTheWay(e)) {
                    throw new TransportException("cannot connect to the card on '" + reader.getName() + "': " + e.getMessage(), e);
                }
                pause(reader, deadline, readerWait);
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
                pause(reader, deadline, readerWait);
            }
        }
    }

    /** Another holder, or the reset it left: worth another try (pcsc-lite and WinSCard names, and the JDK's own check). */
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

    private static void pause(CardTerminal reader, long deadline, Duration readerWait) throws TransportException {
        if (System.nanoTime() >= deadline) {
            throw busy(reader, readerWait);
        }
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for reader '" + reader.getName() + "'", e);
        }
    }

    private static ReaderBusyException busy(CardTerminal reader, Duration waited) {
        return new ReaderBusyException("reader busy: another sale held '" + reader.getName() + "' for more than "
                + BoundedTransport.seconds(waited) + "; nothing was sent to the card");
    }

    private static List<CardTerminal> list() throws TransportException {
        try {
            return TerminalFactory.getDefault().terminals().list();
        } catch (CardException | RuntimeException e) {
            // no PC/SC service (pcscd not running, no library) surfaces here
            throw new TransportException("PC/SC is not available: " + e.getMessage(), e);
        }
    }
}

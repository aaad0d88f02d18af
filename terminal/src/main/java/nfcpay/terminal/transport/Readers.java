package nfcpay.terminal.transport;

import java.util.ArrayList;
import java.util.List;
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
     * access for the whole tap; every command is bounded. See {@link ReaderClaim}.
     *
     * @throws ReaderBusyException when another process held the reader longer than {@code bounds.readerWait()}
     * @throws TransportException when no card came within {@code bounds.cardWait()}, the card or reader did not
     *     answer the connection within {@code bounds.answerTimeout()}, or the reader failed
     */
    public static Transport claim(CardTerminal reader, TapBounds bounds) throws TransportException {
        return new ReaderClaim(reader, bounds).take();
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

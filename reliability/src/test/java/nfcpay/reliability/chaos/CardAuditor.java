package nfcpay.reliability.chaos;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.journal.TransactionKind;

/**
 * Reads one SIM's cards behind the terminal's back, straight through jcardsim with its own APDUs
 * (nothing of the kernel), and keeps what the cards say: each card's balance, its log records as they
 * appear, and the money they moved. {@link #newEvents} is called after every settled intent: the
 * records that appeared since, oldest first, and the balance must have moved by exactly them.
 * The log holds 10 records, so reading it after every intent (at most a few records each) misses
 * none; finding 10 new ones at once is reported as a gap. It only reads (SELECT, READ RECORD, GET
 * BALANCE, GET TRANSACTION PROVE) and never resets the card: every tap begins with SELECT PPSE, and
 * a reset of jcardsim, which zeroes every transient array, is most of the run's time.
 */
final class CardAuditor {

    private static final int LOG_RECORDS = 10;
    private static final int TYPE_LOAD = 0x02;
    private static final int TYPE_PURCHASE = 0x06;

    private final SimulatedSim sim;
    private final String name;
    private final Consumer<String> violation;
    private final Map<String, Book> books = new HashMap<>();

    /** What the auditor knows of one card. */
    private static final class Book {
        final long initial;
        long balance;
        int lastPurchase = -1;
        int lastLoad = -1;
        long loads;
        long debits;
        int debitCount;
        int loadCount;

        Book(long initial) {
            this.initial = initial;
            this.balance = initial;
        }
    }

    /** Reads every card now: its balance and newest counters are the baseline. */
    CardAuditor(SimulatedSim sim, String name, Consumer<String> violation) {
        this.sim = sim;
        this.name = name;
        this.violation = violation;
        synchronized (sim.cardSimulator()) {
            for (SimCard c : sim.cards()) {
                select(c);
                Book b = new Book(balance(c));
                for (int n = 1; n <= LOG_RECORDS; n++) {
                    byte[] r = readRecord(n);
                    if (r == null) {
                        break;
                    }
                    int counter = u16(r, 0);
                    if ((r[9] & 0xFF) == TYPE_PURCHASE) {
                        b.lastPurchase = Math.max(b.lastPurchase, counter);
                    } else {
                        b.lastLoad = Math.max(b.lastLoad, counter);
                    }
                }
                books.put(c.aidHex(), b);
            }
        }
    }

    SimulatedSim sim() {
        return sim;
    }

    String name() {
        return name;
    }

    /**
     * The transactions every card logged since the last call, oldest first, each card's newest
     * purchase and load with the card's proof; checks each card's balance moved by exactly them.
     */
    List<CardEvent> newEvents() {
        List<CardEvent> events = new ArrayList<>();
        synchronized (sim.cardSimulator()) {
            for (SimCard c : sim.cards()) {
                Book b = books.get(c.aidHex());
                select(c);
                List<byte[]> fresh = new ArrayList<>();
                for (int n = 1; n <= LOG_RECORDS; n++) {
                    byte[] r = readRecord(n);
                    if (r == null || !isNew(b, r)) {
                        break;
                    }
                    fresh.add(r);
                }
                if (fresh.size() == LOG_RECORDS) {
                    violation.accept(name + " " + c.label() + ": 10 new log records at once, some may be lost to the audit");
                }
                long moved = 0;
                int newestPurchase = -1;
                int newestLoad = -1;
                List<CardEvent> cardEvents = new ArrayList<>();
                for (int i = fresh.size() - 1; i >= 0; i--) {
                    byte[] r = fresh.get(i);
                    boolean purchase = (r[9] & 0xFF) == TYPE_PURCHASE;
                    int counter = u16(r, 0);
                    long amount = u32(r, 5);
                    cardEvents.add(new CardEvent(c, purchase ? TransactionKind.PURCHASE : TransactionKind.LOAD, counter, amount,
                            hex(r, 10, 16), hex(r, 16, 23), null, null));
                    if (purchase) {
                        moved -= amount;
                        b.debits += amount;
                        b.debitCount++;
                        b.lastPurchase = counter;
                        newestPurchase = counter;
                    } else {
                        moved += amount;
                        b.loads += amount;
                        b.loadCount++;
                        b.lastLoad = counter;
                        newestLoad = counter;
                    }
                }
                for (CardEvent e : cardEvents) {
                    int newest = e.kind() == TransactionKind.PURCHASE ? newestPurchase : newestLoad;
                    events.add(e.counter() == newest ? withProof(e) : e);
                }
                long balance = balance(c);
                if (balance != b.balance + moved) {
                    violation.accept(name + " " + c.label() + ": balance went from " + b.balance + " to " + balance
                            + " but its log shows " + moved);
                }
                b.balance = balance;
            }
        }
        return events;
    }

    /** Whether the card's log (now) holds a transaction of that kind and counter. */
    boolean logged(String aid, TransactionKind kind, int counter) {
        SimCard c = card(aid);
        synchronized (sim.cardSimulator()) {
            select(c);
            int type = kind == TransactionKind.PURCHASE ? TYPE_PURCHASE : TYPE_LOAD;
            for (int n = 1; n <= LOG_RECORDS; n++) {
                byte[] r = readRecord(n);
                if (r == null) {
                    return false;
                }
                if ((r[9] & 0xFF) == type && u16(r, 0) == counter) {
                    return true;
                }
            }
            return false;
        }
    }

    long initial(SimCard c) {
        return books.get(c.aidHex()).initial;
    }

    long loads(SimCard c) {
        return books.get(c.aidHex()).loads;
    }

    long debits(SimCard c) {
        return books.get(c.aidHex()).debits;
    }

    int debitCount(SimCard c) {
        return books.get(c.aidHex()).debitCount;
    }

    int loadCount(SimCard c) {
        return books.get(c.aidHex()).loadCount;
    }

    /** The balance the auditor last read. */
    long lastBalance(SimCard c) {
        return books.get(c.aidHex()).balance;
    }

    /** GET BALANCE now. */
    long balanceNow(SimCard c) {
        synchronized (sim.cardSimulator()) {
            select(c);
            return balance(c);
        }
    }

    /** GET BALANCE now, of the application with this AID. */
    long balanceNow(String aid) {
        return balanceNow(card(aid));
    }

    private SimCard card(String aid) {
        return sim.cards().stream().filter(c -> c.aidHex().equals(aid)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no application " + aid + " on " + name));
    }

    private static boolean isNew(Book b, byte[] r) {
        int counter = u16(r, 0);
        return (r[9] & 0xFF) == TYPE_PURCHASE ? counter > b.lastPurchase : counter > b.lastLoad;
    }

    private CardEvent withProof(CardEvent e) {
        ResponseAPDU r = send(new CommandAPDU(0x80, 0x5A, 0x00, e.kind().type(),
                new byte[] {(byte) (e.counter() >> 8), (byte) e.counter()}, 8));
        if (r.getSW() != 0x9000) {
            violation.accept(name + " " + e + ": the card has no proof for its newest transaction (" + sw(r) + ")");
            return e;
        }
        byte[] d = r.getData();
        return new CardEvent(e.card(), e.kind(), e.counter(), e.amount(), e.terminalId(), e.dateTime(),
                Arrays.copyOfRange(d, 0, 4), Arrays.copyOfRange(d, 4, 8));
    }

    private void select(SimCard c) {
        ResponseAPDU r = send(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, c.aid(), 256));
        if (r.getSW() != 0x9000) {
            throw new IllegalStateException(name + ": SELECT " + c.label() + " answered " + sw(r));
        }
    }

    private long balance(SimCard c) {
        ResponseAPDU r = send(new CommandAPDU(0x80, 0x5C, 0x00, 0x02, 4));
        if (r.getSW() != 0x9000) {
            throw new IllegalStateException(name + ": GET BALANCE of " + c.label() + " answered " + sw(r));
        }
        return u32(r.getData(), 0);
    }

    /** READ RECORD n, or null past the last one (6A83). */
    private byte[] readRecord(int n) {
        ResponseAPDU r = send(new CommandAPDU(0x00, 0xB2, n, 0xC4, 256));
        if (r.getSW() == 0x6A83) {
            return null;
        }
        if (r.getSW() != 0x9000 || r.getData().length != 23) {
            throw new IllegalStateException(name + ": READ RECORD " + n + " answered " + sw(r));
        }
        return r.getData();
    }

    private ResponseAPDU send(CommandAPDU command) {
        CardSimulator card = sim.cardSimulator();
        return card.transmitCommand(command);
    }

    private static String sw(ResponseAPDU r) {
        return String.format("%04X", r.getSW());
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    private static long u32(byte[] b, int off) {
        return (long) (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static String hex(byte[] b, int from, int to) {
        return HexFormat.of().withUpperCase().formatHex(b, from, to);
    }
}

package nfcpay.terminal.kernel;

import static nfcpay.terminal.journal.TransactionState.MAC2_FAILED;
import static nfcpay.terminal.journal.TransactionState.PENDING;
import static nfcpay.terminal.journal.TransactionState.RECOVERED;
import static nfcpay.terminal.journal.TransactionState.VOID;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import nfcpay.crypto.PbocCrypto;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.apdu.StatusWordException;
import nfcpay.terminal.apdu.TerminalWire;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.kernel.CardSession.Proof;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.security.PurchaseSecurityModule;

/**
 * Tearing recovery (PROTOCOL.md 4.4): decides, on a later tap of the same card, whether a PENDING
 * transaction happened. The evidence, strongest first:
 * <ol>
 * <li>INITIALIZE (for 1 minor unit; it changes nothing on the card) tells the card's counter now.
 *     Still the pending record's counter: the card never did it → VOID.</li>
 * <li>GET TRANSACTION PROVE for the pending counter: a proof whose MAC2 verifies under the session
 *     key recomputed from the journal (purchase) or equals the MAC2 the terminal sent (load) → the
 *     card did it → RECOVERED with the TAC.</li>
 * <li>The card's log (READ RECORD 1..10): a record with that counter and this terminal's ID, date,
 *     time and amount → it happened (RECOVERED without TAC when the proof is gone, MAC2_FAILED when a
 *     proof is there but does not verify); a record with that counter from another transaction →
 *     VOID; no such record while the log reaches back past that counter → VOID.</li>
 * <li>Otherwise (the log has rolled over and the proof is gone) nothing is decided: the record stays
 *     PENDING for the issuer to settle, and the next tap tries again.</li>
 * </ol>
 * A decision is written only from evidence the card gave on this tap; a tap torn halfway through
 * leaves the record PENDING.
 */
final class PendingResolver {

    /** The smallest amount INITIALIZE accepts (0 is 6A80): it covers any balance above zero. */
    private static final long PROBE_MINOR = 1;

    private final Journal journal;
    private final PurchaseSecurityModule purchaseModule;
    private final byte[] terminalId;

    PendingResolver(Journal journal, PurchaseSecurityModule purchaseModule, byte[] terminalId) {
        this.journal = journal;
        this.purchaseModule = purchaseModule;
        this.terminalId = terminalId.clone();
    }

    /** Resolves the PENDING records of each of these applications whose serial matches the card's. */
    List<Recovery> resolvePending(CardSession card, Collection<String> aids) throws TerminalException {
        List<Recovery> recoveries = new ArrayList<>();
        for (String aid : aids) {
            ApplicationFci fci;
            try {
                fci = card.selectApplication(aid);
            } catch (StatusWordException e) {
                if (e.sw() == TerminalWire.SW_FILE_NOT_FOUND) {
                    continue; // not on this card
                }
                throw e;
            }
            for (JournalRecord pending : journal.pending(aid, fci.issuerData().serial())) {
                recoveries.add(resolve(card, fci, pending));
            }
        }
        return recoveries;
    }

    private Recovery resolve(CardSession card, ApplicationFci fci, JournalRecord p) throws TerminalException {
        Currency currency = fci.issuerData().currency();
        String did = p.kind() == TransactionKind.PURCHASE ? "debited" : "credited";

        OptionalInt counterNow = readCounter(card, p.kind(), currency);
        if (counterNow.isPresent() && counterNow.getAsInt() == p.counter()) {
            return finish(fci, p, VOID, null, null, "the card's counter is still " + p.counter() + ": it never " + did);
        }

        Optional<Proof> proof = card.getTransactionProve(p.kind().type(), p.counter());
        if (proof.isPresent() && isOurs(p, proof.get())) {
            return finish(fci, p, RECOVERED, proof.get().tac(), proof.get().mac(),
                    "the card " + did + " it: proven by GET TRANSACTION PROVE");
        }

        List<LogRecord> log = card.readLog(currency);
        Optional<LogRecord> entry = log.stream()
                .filter(r -> r.type() == p.kind().type() && r.counter() == p.counter())
                .findFirst();
        if (entry.isPresent()) {
            if (!sameTransaction(p, entry.get())) {
                return finish(fci, p, VOID, null, null, "counter " + p.counter() + " went to another transaction"
                        + " (terminal " + entry.get().terminalId() + ", " + entry.get().date() + "): the card never " + did + " this one");
            }
            if (proof.isPresent()) {
                return finish(fci, p, MAC2_FAILED, proof.get().tac(), proof.get().mac(),
                        "the card's log shows it " + did + " this, but its proof does not verify");
            }
            return finish(fci, p, RECOVERED, null, null,
                    "the card's log shows it " + did + " this; its proof was replaced by a later transaction");
        }
        if (logReachesBack(log, p)) {
            return finish(fci, p, VOID, null, null, "not in the card's log, which reaches back past counter " + p.counter()
                    + ": the card never " + did + " it");
        }
        return new Recovery(p.id(), p.kind(), fci.application(), p.amount(), PENDING, null,
                "cannot tell: the card's proof and log no longer cover counter " + p.counter() + "; settle with the issuer");
    }

    /** The card's current offline (purchase) or online (load) counter, if INITIALIZE answers at all. */
    private OptionalInt readCounter(CardSession card, TransactionKind kind, Currency currency) throws TerminalException {
        Money probe = Money.of(PROBE_MINOR, currency);
        try {
            return OptionalInt.of(kind == TransactionKind.PURCHASE
                    ? card.initializeForPurchase(probe, terminalId).offlineCounter()
                    : card.initializeForLoad(probe, terminalId).onlineCounter());
        } catch (StatusWordException e) {
            // empty purse (9401), full purse or expired (6985), locked (9303): decide from the proof and the log
            return OptionalInt.empty();
        }
    }

    private boolean isOurs(JournalRecord p, Proof proof) {
        if (p.kind() == TransactionKind.PURCHASE) {
            return purchaseModule.verifyMac2(p.purchaseData(), proof.mac());
        }
        return p.mac2() != null && PbocCrypto.macEquals(p.mac2(), proof.mac());
    }

    private static boolean sameTransaction(JournalRecord p, LogRecord r) {
        return r.amount().minor() == p.amount().minor() && r.terminalId().equalsIgnoreCase(Bytes.hex(p.terminalId()))
                && r.date().equals(p.date()) && r.time().equals(p.time());
    }

    /**
     * Whether the log would show the pending counter had it been used: the log never rolled over,
     * or it still holds an older transaction of the same type (counters only grow, and the log
     * keeps the newest records).
     */
    private static boolean logReachesBack(List<LogRecord> log, JournalRecord p) {
        return log.size() < TerminalWire.LOG_RECORDS
                || log.stream().anyMatch(r -> r.type() == p.kind().type() && r.counter() < p.counter());
    }

    private Recovery finish(ApplicationFci fci, JournalRecord p, TransactionState state, byte[] tac, byte[] mac2, String note)
            throws TerminalException {
        journal.resolve(p.id(), state, tac, mac2, note);
        return new Recovery(p.id(), p.kind(), fci.application(), p.amount(), state, tac == null ? null : Bytes.hex(tac), note);
    }
}

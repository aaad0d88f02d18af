package nfcpay.terminal.kernel;

import static nfcpay.terminal.apdu.TerminalWire.SW_APPLICATION_LOCKED;
import static nfcpay.terminal.apdu.TerminalWire.SW_CONDITIONS_NOT_SATISFIED;
import static nfcpay.terminal.apdu.TerminalWire.SW_FILE_NOT_FOUND;
import static nfcpay.terminal.apdu.TerminalWire.SW_INSUFFICIENT_FUNDS;
import static nfcpay.terminal.apdu.TerminalWire.SW_MAC_INVALID;
import static nfcpay.terminal.kernel.PurchaseResult.INSUFFICIENT_FUNDS_ON_EVERY_CARD;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.apdu.CardDataException;
import nfcpay.terminal.apdu.StatusWordException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalException;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.PendingTransaction;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.kernel.CardSession.Debit;
import nfcpay.terminal.kernel.CardSession.LoadInit;
import nfcpay.terminal.kernel.CardSession.PurchaseInit;
import nfcpay.terminal.kernel.PurchaseResult.Outcome;
import nfcpay.terminal.money.Bcd;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.security.LoadData;
import nfcpay.terminal.security.LoadSecurityModule;
import nfcpay.terminal.security.PurchaseData;
import nfcpay.terminal.security.PurchaseSecurityModule;
import nfcpay.terminal.security.SoftwareLoadSecurityModule;
import nfcpay.terminal.security.SoftwareSecurityModule;
import nfcpay.terminal.transport.Transport;

/**
 * The terminal kernel: PROTOCOL.md section 4, one method per step.
 *
 * <pre>
 * purchase(transport, amount)
 *   selectPpse                      1. the directory; 9F38 → smart selection
 *   resolvePendingTransactions         (4. a torn transaction of a card in this SIM is settled first)
 *   smartSelection | legacySelection   1./2. who pays: the card decides, or EMV Book B priority order
 *     selectApplication, checkApplication, initializeForPurchase       (legacy: next candidate on 9401)
 *   pay                             3. MAC1, journal PENDING, DEBIT, verify MAC2, journal COMPLETED
 * </pre>
 *
 * The transport is the caller's (see {@link nfcpay.terminal.transport.Transports#stack}); the kernel
 * never closes it. Thread-confined: one kernel serves one reader.
 */
public final class Kernel {

    private final PurchaseSecurityModule purchaseModule;
    private final LoadSecurityModule loadModule;
    private final Journal journal;
    private final Clock clock;
    private final RandomSource random;
    private final byte[] terminalId;
    private final PendingResolver resolver;

    private Kernel(Builder b) {
        this.purchaseModule = b.purchaseModule;
        this.loadModule = b.loadModule;
        this.journal = Objects.requireNonNull(b.journal, "a kernel needs a journal");
        this.clock = b.clock;
        this.random = b.random;
        this.terminalId = journal.terminalId();
        this.resolver = new PendingResolver(journal, purchaseModule, terminalId);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when either security module uses the published test keys: outputs must say "test keys". */
    public boolean usesTestKeys() {
        return purchaseModule.usesTestKeys() || loadModule.usesTestKeys();
    }

    public Journal journal() {
        return journal;
    }

    // ------------------------------------------------------------------------------------------
    // Purchase

    /**
     * One tap, one answer: pays {@code amount} with a card of the SIM in the field.
     *
     * @return APPROVED with the card, balance after and TAC; DECLINED when no card can pay
     *     ("insufficient funds on every card" when none covers the amount); MAC2_FAILED when the
     *     card's answer does not verify
     * @throws nfcpay.terminal.transport.CardRemovedException when the card left the field; a
     *     transaction sent to the card stays PENDING in the journal and is settled on the next tap
     * @throws OutcomeUnknownException when DEBIT's answer does not say whether the card debited (a status
     *     word the contract does not list as a refusal, or an unreadable answer): PENDING likewise
     * @throws TerminalException for anything else that stopped the purchase (one-line message)
     */
    public PurchaseResult purchase(Transport transport, Money amount) throws TerminalException {
        CardSession card = new CardSession(transport);
        Directory directory = selectPpse(card);
        List<Recovery> recoveries = List.of();
        List<String> pendingHere = aidsWithPendingRecords(directory);
        if (!pendingHere.isEmpty()) {
            recoveries = resolvePendingTransactions(card, pendingHere);
            Optional<PurchaseResult> completed = completedTornSale(recoveries, amount);
            if (completed.isPresent()) {
                return completed.get();
            }
            directory = selectPpse(card); // the GPO must follow its own SELECT PPSE (docs/protocol.md 2.2)
        }
        return directory.smartSelection()
                ? smartSelection(card, directory, amount, recoveries)
                : legacySelection(card, directory, amount, recoveries);
    }

    /** Step 1: SELECT PPSE. A card without one is not a payment SIM. */
    private Directory selectPpse(CardSession card) throws TerminalException {
        try {
            return card.selectPpse();
        } catch (StatusWordException e) {
            if (e.sw() == SW_FILE_NOT_FOUND) {
                throw new TerminalException("no payment application on this card: SELECT PPSE answered 6A82"
                        + " (not an nfcpay SIM, or no card registered)", e);
            }
            throw e;
        }
    }

    /** The applications of this directory that the journal has PENDING records for (whatever the card). */
    private List<String> aidsWithPendingRecords(Directory directory) throws TerminalException {
        Set<String> pendingAids = journal.pendingAids();
        List<String> here = new ArrayList<>();
        for (CardApplication app : directory.applications()) {
            if (pendingAids.contains(app.aid())) {
                here.add(app.aid());
            }
        }
        return here;
    }

    /**
     * Step 4: a re-tap after a torn purchase completes that sale, it does not repeat it. When this
     * tap proved that the card did debit a torn purchase of the same amount, that purchase is the
     * answer (approved, with the card's proof) and nothing more is debited. Another amount is a new
     * sale: it goes ahead, and the recovery is reported with it.
     */
    private Optional<PurchaseResult> completedTornSale(List<Recovery> recoveries, Money amount) throws TerminalException {
        Recovery latest = null;
        for (Recovery r : recoveries) {
            if (r.kind() == TransactionKind.PURCHASE && r.state() == TransactionState.RECOVERED && r.amount().equals(amount)
                    && (latest == null || r.journalId() > latest.journalId())) {
                latest = r;
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        long id = latest.journalId();
        JournalRecord torn = journal.find(id)
                .orElseThrow(() -> new JournalException("journal record " + id + " vanished during its recovery"));
        Money balanceAfter = Money.of(torn.balanceBeforeMinor() - amount.minor(), amount.currency());
        return Optional.of(new PurchaseResult(Outcome.APPROVED, latest.application(), amount, balanceAfter, latest.tac(),
                torn.counter(), torn.maskedCardSerial(), torn.terminalSerial(), id, null, recoveries, testKeys()));
    }

    /** Step 4, before anything else: settle the PENDING records of these applications of the card in the field. */
    private List<Recovery> resolvePendingTransactions(CardSession card, List<String> aids) throws TerminalException {
        return resolver.resolvePending(card, aids);
    }

    /** Step 1, smart: the card picks the application that covers the amount (PROTOCOL.md 2.2). */
    private PurchaseResult smartSelection(CardSession card, Directory directory, Money amount, List<Recovery> recoveries)
            throws TerminalException {
        CardApplication chosen;
        try {
            chosen = card.getProcessingOptions(amount, random.nextBytes(4));
        } catch (StatusWordException e) {
            if (e.sw() == SW_INSUFFICIENT_FUNDS) {
                return PurchaseResult.declined(amount, null, INSUFFICIENT_FUNDS_ON_EVERY_CARD, recoveries, testKeys());
            }
            if (e.sw() == SW_FILE_NOT_FOUND) {
                return PurchaseResult.declined(amount, null, "no active card on this SIM", recoveries, testKeys());
            }
            throw e;
        }
        if (directory.find(chosen.aid()).isEmpty()) {
            throw new CardDataException("smart selection chose " + chosen.aid() + ", which is not in the PPSE directory");
        }
        Attempt attempt = tryApplication(card, chosen, amount);
        if (attempt.refusal != null) {
            return PurchaseResult.declined(amount, chosen, chosen.label() + ": " + attempt.refusal, recoveries, testKeys());
        }
        return pay(card, attempt, amount, recoveries);
    }

    /**
     * Step 2, a legacy card: EMV Book B candidate list by priority; a candidate that cannot pay
     * (9401 on INITIALIZE, expired, other currency, locked) hands over to the next.
     */
    private PurchaseResult legacySelection(CardSession card, Directory directory, Money amount, List<Recovery> recoveries)
            throws TerminalException {
        if (directory.applications().isEmpty()) {
            return PurchaseResult.declined(amount, null, "no card on this SIM", recoveries, testKeys());
        }
        List<String> refusals = new ArrayList<>();
        boolean allShort = true;
        for (CardApplication candidate : directory.candidates()) {
            Attempt attempt = tryApplication(card, candidate, amount);
            if (attempt.refusal == null) {
                return pay(card, attempt, amount, recoveries);
            }
            refusals.add(candidate.label() + ": " + attempt.refusal);
            allShort &= attempt.insufficientFunds;
        }
        String reason = allShort ? INSUFFICIENT_FUNDS_ON_EVERY_CARD : "no card can pay (" + String.join("; ", refusals) + ")";
        return PurchaseResult.declined(amount, null, reason, recoveries, testKeys());
    }

    /** A candidate that answered INITIALIZE FOR PURCHASE, or why it cannot pay. */
    private static final class Attempt {
        final CardApplication application;
        final ApplicationFci fci;
        final PurchaseInit init;
        final String refusal;
        final boolean insufficientFunds;

        private Attempt(CardApplication application, ApplicationFci fci, PurchaseInit init, String refusal, boolean insufficient) {
            this.application = application;
            this.fci = fci;
            this.init = init;
            this.refusal = refusal;
            this.insufficientFunds = insufficient;
        }

        static Attempt refused(CardApplication app, String why, boolean insufficient) {
            return new Attempt(app, null, null, why, insufficient);
        }
    }

    /** Step 3, up to INITIALIZE: SELECT the application, read 9F0C, refuse what cannot pay. */
    private Attempt tryApplication(CardSession card, CardApplication app, Money amount) throws TerminalException {
        ApplicationFci fci = selectApplication(card, app);
        String problem = checkApplication(fci.issuerData(), amount.currency());
        if (problem != null) {
            return Attempt.refused(app, problem, false);
        }
        try {
            return new Attempt(fci.application(), fci, card.initializeForPurchase(amount, terminalId), null, false);
        } catch (StatusWordException e) {
            switch (e.sw()) {
                case SW_INSUFFICIENT_FUNDS:
                    return Attempt.refused(app, "insufficient funds", true);
                case SW_APPLICATION_LOCKED:
                    return Attempt.refused(app, "application locked", false);
                case SW_CONDITIONS_NOT_SATISFIED:
                    return Attempt.refused(app, "the card refused (expired or out of counters)", false);
                default:
                    throw e;
            }
        }
    }

    private ApplicationFci selectApplication(CardSession card, CardApplication app) throws TerminalException {
        return card.selectApplication(app.aid());
    }

    /** Refuses before INITIALIZE what 9F0C already tells: not yet valid, expired, another currency. */
    private String checkApplication(IssuerData data, Currency currency) {
        LocalDate today = LocalDate.now(clock);
        if (today.isBefore(data.startDate())) {
            return "not valid before " + data.startDate();
        }
        if (today.isAfter(data.expiryDate())) {
            return "expired on " + data.expiryDate();
        }
        if (!data.currency().equals(currency)) {
            return "account in " + data.currency().getCurrencyCode() + ", not " + currency.getCurrencyCode();
        }
        return null;
    }

    /** Step 3: MAC1, journal PENDING (committed), DEBIT, verify MAC2, journal the outcome. */
    private PurchaseResult pay(CardSession card, Attempt a, Money amount, List<Recovery> recoveries) throws TerminalException {
        long terminalSerial = journal.nextTerminalSerial();
        LocalDateTime now = LocalDateTime.now(clock).withNano(0);
        byte[] serial = a.fci.issuerData().serial();
        PurchaseData data = new PurchaseData(serial, a.init.random(), a.init.offlineCounter(), terminalSerial, amount.minor(),
                terminalId, Bcd.date(now.toLocalDate()), Bcd.time(now.toLocalTime()));
        byte[] mac1 = purchaseModule.computeMac1(data);
        long id = journal.recordPending(new PendingTransaction(TransactionKind.PURCHASE, terminalSerial, a.application.aid(),
                a.application.label(), serial, a.init.offlineCounter(), amount, a.init.balance(), a.init.random(),
                now.toLocalDate(), now.toLocalTime(), null));

        Debit debit;
        try {
            debit = card.debitForPurchase(terminalSerial, data.date(), data.time(), mac1);
        } catch (StatusWordException e) {
            if (!DebitRefusals.changedNothing(e.sw())) {
                throw outcomeUnknown(a, amount, id, e);
            }
            // A refusal the contract lists for DEBIT changes no balance (docs/protocol.md 3.2): nothing to recover.
            journal.resolve(id, TransactionState.VOID, null, null, e.getMessage());
            if (e.sw() == SW_MAC_INVALID) {
                throw new TerminalException("the card rejected MAC1 (9302): this terminal's purchase key is not"
                        + " the card issuer's" + (purchaseModule.usesTestKeys() ? " (terminal uses test keys)" : ""), e);
            }
            if (e.sw() == SW_CONDITIONS_NOT_SATISFIED) {
                return PurchaseResult.declined(amount, a.application, a.application.label() + ": card expired", recoveries,
                        testKeys());
            }
            throw e;
        } catch (CardDataException e) {
            throw outcomeUnknown(a, amount, id, e); // 9000 with an answer that cannot be read: the card committed, probably
        }

        Money balanceAfter = Money.of(a.init.balance() - amount.minor(), amount.currency());
        boolean verified = purchaseModule.verifyMac2(data, debit.mac2());
        journal.resolve(id, verified ? TransactionState.COMPLETED : TransactionState.MAC2_FAILED, debit.tac(), debit.mac2(),
                verified ? null : "the card's MAC2 did not verify");
        return new PurchaseResult(verified ? Outcome.APPROVED : Outcome.MAC2_FAILED, a.application, amount, balanceAfter,
                Bytes.hex(debit.tac()), a.init.offlineCounter(), Bytes.maskSerial(serial), terminalSerial, id,
                verified ? null : "the card's MAC2 did not verify: not approved, journaled for the issuer", recoveries,
                testKeys());
    }

    /**
     * DEBIT got an answer that does not say whether the card debited (issue 14, item 6): the PENDING
     * record stays for the next tap of this card to settle from its proof, like a tear.
     */
    private static OutcomeUnknownException outcomeUnknown(Attempt a, Money amount, long id, TerminalException cause) {
        return new OutcomeUnknownException("outcome unknown: " + cause.getMessage() + "; " + a.application.label()
                + " may have paid " + amount + ". Neither approved nor declined: tap the same phone again to settle it"
                + " (a tap for the same amount completes this sale without charging twice; journal record " + id
                + " stays pending)", id, cause);
    }

    private boolean testKeys() {
        return purchaseModule.usesTestKeys();
    }

    // ------------------------------------------------------------------------------------------
    // Reading the card

    /** The PPSE directory of the card in the field ({@code nfcpay cards}). */
    public Directory readDirectory(Transport transport) throws TerminalException {
        return selectPpse(new CardSession(transport));
    }

    /** One application's transaction log, newest first ({@code nfcpay history}). */
    public CardLog readLog(Transport transport, String aid) throws TerminalException {
        CardSession card = new CardSession(transport);
        ApplicationFci fci = selectByAid(card, aid);
        return new CardLog(fci.application(), fci.issuerData().maskedSerial(), card.readLog(fci.issuerData().currency()));
    }

    /** One application's balance (GET BALANCE), in its currency. */
    public Money getBalance(Transport transport, String aid) throws TerminalException {
        CardSession card = new CardSession(transport);
        ApplicationFci fci = selectByAid(card, aid);
        return Money.of(card.getBalance(), fci.issuerData().currency());
    }

    /**
     * Settles the PENDING records of every application of the card in the field, without a
     * purchase (a purchase does this itself first).
     */
    public List<Recovery> resolvePendingTransactions(Transport transport) throws TerminalException {
        CardSession card = new CardSession(transport);
        return resolvePendingTransactions(card, aidsWithPendingRecords(selectPpse(card)));
    }

    private ApplicationFci selectByAid(CardSession card, String aid) throws TerminalException {
        try {
            return card.selectApplication(aid.toUpperCase(java.util.Locale.ROOT));
        } catch (StatusWordException e) {
            if (e.sw() == SW_FILE_NOT_FOUND) {
                throw new TerminalException("no application " + aid + " on this card", e);
            }
            throw e;
        } catch (IllegalArgumentException e) {
            throw new TerminalException("not an AID: '" + aid + "'", e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Load

    /**
     * Tops up one application through INITIALIZE FOR LOAD / CREDIT FOR LOAD, with the load security
     * module in the issuer's role (MAC1 verified, MAC2 computed). Journaled like a purchase.
     *
     * @throws TerminalException when the card refuses (e.g. 6985: above its maximum balance), its
     *     MAC1 does not verify, or anything else stops the load; nothing is credited then
     */
    public LoadResult load(Transport transport, String aid, Money amount) throws TerminalException {
        CardSession card = new CardSession(transport);
        String normalized = aid.toUpperCase(java.util.Locale.ROOT);
        List<Recovery> recoveries = journal.pendingAids().contains(normalized)
                ? resolvePendingTransactions(card, List.of(normalized)) : List.of();
        ApplicationFci fci = selectByAid(card, normalized);
        String problem = checkApplication(fci.issuerData(), amount.currency());
        if (problem != null) {
            throw new TerminalException("cannot load " + fci.application().label() + ": " + problem);
        }
        LoadInit init = initializeForLoad(card, fci, amount);
        LocalDateTime now = LocalDateTime.now(clock).withNano(0);
        byte[] serial = fci.issuerData().serial();
        LoadData data = new LoadData(serial, init.random(), init.onlineCounter(), init.oldBalance(), amount.minor(), terminalId,
                Bcd.date(now.toLocalDate()), Bcd.time(now.toLocalTime()));
        if (!loadModule.verifyMac1(data, init.mac1())) {
            throw new TerminalException("the card's MAC1 for the load did not verify: nothing loaded"
                    + (loadModule.usesTestKeys() ? " (terminal uses test keys)" : ""));
        }
        byte[] mac2 = loadModule.computeMac2(data);
        long terminalSerial = journal.nextTerminalSerial();
        long id = journal.recordPending(new PendingTransaction(TransactionKind.LOAD, terminalSerial, normalized,
                fci.application().label(), serial, init.onlineCounter(), amount, init.oldBalance(), init.random(),
                now.toLocalDate(), now.toLocalTime(), mac2));
        byte[] tac;
        try {
            tac = card.creditForLoad(data.date(), data.time(), mac2);
        } catch (StatusWordException e) {
            journal.resolve(id, TransactionState.VOID, null, null, e.getMessage());
            throw e;
        }
        journal.resolve(id, TransactionState.COMPLETED, tac, null, null);
        Money before = Money.of(init.oldBalance(), amount.currency());
        return new LoadResult(fci.application(), amount, before, before.plus(amount), Bytes.hex(tac), init.onlineCounter(),
                fci.issuerData().maskedSerial(), terminalSerial, id, recoveries, loadModule.usesTestKeys());
    }

    private LoadInit initializeForLoad(CardSession card, ApplicationFci fci, Money amount) throws TerminalException {
        try {
            return card.initializeForLoad(amount, terminalId);
        } catch (StatusWordException e) {
            if (e.sw() == SW_CONDITIONS_NOT_SATISFIED) {
                throw new TerminalException("cannot load " + amount + " onto " + fci.application().label()
                        + ": the card refused (6985: above its maximum balance, expired or out of counters)", e);
            }
            if (e.sw() == SW_APPLICATION_LOCKED) {
                throw new TerminalException("cannot load " + fci.application().label() + ": application locked", e);
            }
            throw e;
        }
    }

    /** Builds a kernel; only the journal is required. */
    public static final class Builder {
        private PurchaseSecurityModule purchaseModule = SoftwareSecurityModule.withTestKeys();
        private LoadSecurityModule loadModule = SoftwareLoadSecurityModule.withTestKeys();
        private Journal journal;
        private Clock clock = Clock.systemDefaultZone();
        private RandomSource random = RandomSource.secure();

        private Builder() {}

        /** The purchase security module (default: the published test keys). */
        public Builder purchaseSecurityModule(PurchaseSecurityModule m) {
            this.purchaseModule = Objects.requireNonNull(m);
            return this;
        }

        /** The load security module, issuer role (default: the published test keys). */
        public Builder loadSecurityModule(LoadSecurityModule m) {
            this.loadModule = Objects.requireNonNull(m);
            return this;
        }

        public Builder journal(Journal journal) {
            this.journal = journal;
            return this;
        }

        /** The clock of the transaction date and time and of expiry checks (default: system, local zone). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** The source of the unpredictable number (default: SecureRandom). */
        public Builder random(RandomSource random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public Kernel build() {
            return new Kernel(this);
        }
    }

    @Override
    public String toString() {
        return "Kernel[terminal " + Bytes.hex(terminalId) + (usesTestKeys() ? ", test keys" : "") + "]";
    }
}

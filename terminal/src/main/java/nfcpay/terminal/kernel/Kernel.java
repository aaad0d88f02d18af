package nfcpay.terminal.kernel;

import static nfcpay.terminal.apdu.TerminalWire.SW_APPLICATION_LOCKED;
import static nfcpay.terminal.apdu.TerminalWire.SW_CONDITIONS_NOT_SATISFIED;
import static nfcpay.terminal.apdu.TerminalWire.SW_FILE_NOT_FOUND;
import static nfcpay.terminal.apdu.TerminalWire.SW_FUNCTION_NOT_SUPPORTED;
import static nfcpay.terminal.apdu.TerminalWire.SW_INSUFFICIENT_FUNDS;
import static nfcpay.terminal.apdu.TerminalWire.SW_KEY_INDEX_NOT_FOUND;
import static nfcpay.terminal.apdu.TerminalWire.SW_SELECTED_FILE_DEACTIVATED;
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
import java.util.TreeSet;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.apdu.CardDataException;
import nfcpay.terminal.apdu.StatusWordException;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.issuer.IssuerHostException;
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
import nfcpay.terminal.security.PurchaseData;
import nfcpay.terminal.security.PurchaseSecurityModule;
import nfcpay.terminal.security.SoftwareSecurityModule;
import nfcpay.terminal.transport.CardRemovedException;
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

    /** The decline of a card the issuer listed (PROTOCOL.md 5.4): refused before INITIALIZE, so before DEBIT. */
    public static final String HOT_LISTED = "card on the hot list";
    /** The decline of a card its issuer blocked (APPLICATION BLOCK, docs/protocol.md 3.6). */
    public static final String BLOCKED_BY_ISSUER = "card blocked by its issuer";

    private final PurchaseSecurityModule purchaseModule;
    /** The issuer host loads go through; null when this terminal only sells offline. */
    private final IssuerHost issuer;
    /** Card serials (upper-case hex) refused before DEBIT. */
    private final Set<String> hotList;
    private final Journal journal;
    private final Clock clock;
    private final RandomSource random;
    private final byte[] terminalId;
    private final PendingResolver resolver;

    private Kernel(Builder b) {
        this.purchaseModule = b.purchaseModule;
        this.issuer = b.issuer;
        this.hotList = b.hotList;
        this.journal = Objects.requireNonNull(b.journal, "a kernel needs a journal");
        this.clock = b.clock;
        this.random = b.random;
        this.terminalId = journal.terminalId();
        this.resolver = new PendingResolver(journal, purchaseModule, terminalId);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when the purchase security module uses the published test keys: outputs must say "test keys". */
    public boolean usesTestKeys() {
        return purchaseModule.usesTestKeys();
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
        Recovery latest = latestRecovered(recoveries, TransactionKind.PURCHASE, amount);
        if (latest == null) {
            return Optional.empty();
        }
        long id = latest.journalId();
        JournalRecord torn = tornRecord(id);
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
                return PurchaseResult.declined(amount, null, whyNoCardCovers(card, directory, amount), recoveries, testKeys());
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
     * Smart selection's 9401 says only that no card covers the amount: the selector also drops the
     * cards in another currency, expired or locked, and never tells which. Before blaming the balance,
     * the terminal reads what a legacy walk would, the directory entries' 9F0C (currency, dates) in
     * priority order, and names what it finds. It stops at the first card that could pay in this
     * currency on this date: that card was short, so the balance is the answer, and the common decline
     * (a wallet in the sale's currency) costs one SELECT, not one per card. The decline stands whatever
     * this finds; a card that fails to answer here leaves the contract's answer with the other
     * possibility said.
     */
    private String whyNoCardCovers(CardSession card, Directory directory, Money amount) throws CardRemovedException {
        String code = amount.currency().getCurrencyCode();
        List<String> refusals = new ArrayList<>();
        Set<String> otherCurrencies = new TreeSet<>();
        boolean onlyCurrency = true;
        boolean usable = false;
        try {
            for (CardApplication app : directory.candidates()) {
                IssuerData data = selectApplication(card, app).issuerData();
                String problem = checkApplication(data, amount.currency());
                if (problem == null) {
                    usable = true;
                    break;
                }
                refusals.add(app.label() + ": " + problem);
                if (data.currency().equals(amount.currency())) {
                    onlyCurrency = false;
                } else {
                    otherCurrencies.add(data.currency().getCurrencyCode());
                }
            }
        } catch (CardRemovedException gone) {
            // A card that left the field (or stalled) ends the tap here as anywhere else: the cashier is told to
            // tap again rather than given a reason read from half a card. Nothing was debited either way.
            throw gone;
        } catch (TerminalException unreadable) {
            return INSUFFICIENT_FUNDS_ON_EVERY_CARD + ", or no card in " + code
                    + " (the card did not let the terminal read which)";
        }
        if (refusals.isEmpty()) {
            return INSUFFICIENT_FUNDS_ON_EVERY_CARD;
        }
        if (!usable && onlyCurrency) {
            return "no card in " + code + " on this SIM (its cards are in " + String.join(", ", otherCurrencies) + ")";
        }
        if (!usable) {
            return "no card can pay (" + String.join("; ", refusals) + ")";
        }
        return "insufficient funds on every card in " + code + " (the others cannot pay: " + String.join("; ", refusals)
                + ")";
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
        ApplicationFci fci;
        try {
            fci = selectApplication(card, app);
        } catch (StatusWordException e) {
            if (e.sw() == SW_SELECTED_FILE_DEACTIVATED) {
                return Attempt.refused(app, BLOCKED_BY_ISSUER, false);
            }
            throw e;
        }
        String problem = checkApplication(fci.issuerData(), amount.currency());
        if (problem != null) {
            return Attempt.refused(app, problem, false);
        }
        if (hotList.contains(Bytes.hex(fci.issuerData().serial()))) {
            return Attempt.refused(app, HOT_LISTED, false);
        }
        try {
            PurchaseInit init = card.initializeForPurchase(amount, terminalId);
            if (init.keyVersion() != purchaseModule.purchaseKeyVersion()) {
                // Its MAC1 could only fail and cost the card one of its ten MAC tries: no DEBIT (issue 14 item 1).
                return Attempt.refused(app, String.format("purchase key version %02X, this terminal's is %02X",
                        init.keyVersion(), purchaseModule.purchaseKeyVersion()), false);
            }
            return new Attempt(fci.application(), fci, init, null, false);
        } catch (StatusWordException e) {
            switch (e.sw()) {
                case SW_INSUFFICIENT_FUNDS:
                    return Attempt.refused(app, "insufficient funds", true);
                case SW_APPLICATION_LOCKED:
                    return Attempt.refused(app, "application locked", false);
                case SW_FUNCTION_NOT_SUPPORTED:
                    return Attempt.refused(app, BLOCKED_BY_ISSUER, false);
                case SW_KEY_INDEX_NOT_FOUND:
                    // The card holds no purchase key of the index this terminal's key has: no MAC1 is sent, no try spent.
                    return Attempt.refused(app, String.format("no purchase key of index %02X on the card",
                            nfcpay.terminal.apdu.TerminalWire.KEY_INDEX), false);
                case SW_CONDITIONS_NOT_SATISFIED:
                    return Attempt.refused(app, "the card refused (expired, out of counters, or deactivated by the holder)",
                            false);
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
     * Tops up one application online (PROTOCOL.md 4.5, 5.3): INITIALIZE FOR LOAD, its answer relayed to the
     * issuer host, which verifies MAC1 and alone computes MAC2; PENDING (with the host's load ID); CREDIT FOR
     * LOAD; COMPLETED with the TAC; the TAC confirmed to the host.
     *
     * <p>A load is never credited twice. A torn load of this card is settled first, with the card's evidence
     * (its online counter, GET TRANSACTION PROVE, its log) and the host's ({@code GET /v1/loads/{id}}); when
     * the card did credit a torn load of the same amount, that load is the answer
     * ({@link LoadResult#completesTornLoad()}) and nothing more is credited.
     *
     * @throws TerminalException when no issuer host is configured, the host refuses (bad MAC1, hot list,
     *     counter mismatch) or cannot be reached, the card refuses (e.g. 6985: above its maximum balance),
     *     or anything else stops the load; nothing is credited then
     */
    public LoadResult load(Transport transport, String aid, Money amount) throws TerminalException {
        if (issuer == null) {
            throw new TerminalException("loads are online: this terminal has no issuer host to authorize them"
                    + " (nfcpay load --host URL)");
        }
        CardSession card = new CardSession(transport);
        String normalized = aid.toUpperCase(java.util.Locale.ROOT);
        List<Recovery> recoveries = journal.pendingAids().contains(normalized)
                ? resolvePendingTransactions(card, List.of(normalized)) : List.of();
        recoveries = settleTornLoadsWithHost(recoveries);
        ApplicationFci fci = selectByAid(card, normalized);
        Optional<LoadResult> completed = completedTornLoad(recoveries, amount, fci);
        if (completed.isPresent()) {
            return completed.get();
        }
        String problem = checkApplication(fci.issuerData(), amount.currency());
        if (problem != null) {
            throw new TerminalException("cannot load " + fci.application().label() + ": " + problem);
        }
        LoadInit init = initializeForLoad(card, fci, amount);
        LocalDateTime now = LocalDateTime.now(clock).withNano(0);
        byte[] serial = fci.issuerData().serial();
        byte[] date = Bcd.date(now.toLocalDate());
        byte[] time = Bcd.time(now.toLocalTime());
        IssuerHost.LoadAuthorization auth = authorize(new IssuerHost.LoadAuthorizationRequest(Bytes.hex(terminalId),
                Bytes.hex(serial), normalized, amount.minor(), amount.currency().getCurrencyCode(), init.oldBalance(),
                init.onlineCounter(), init.keyVersion(), init.algorithmId(), Bytes.hex(init.random()), Bytes.hex(init.mac1()),
                Bytes.hex(date), Bytes.hex(time)), fci);
        recoveries = afterAuthorization(recoveries);
        Optional<LoadResult> settledByHost = completedTornLoad(recoveries, amount, fci);
        if (settledByHost.isPresent()) {
            // The card could not tell, but this authorization made the host settle the torn load by the card's
            // counter: it was credited. CREDIT is not sent; the host voids the authorization just made at the
            // card's next load (the counter will not have moved).
            return settledByHost.get();
        }
        long terminalSerial = journal.nextTerminalSerial();
        long id = journal.recordPending(new PendingTransaction(TransactionKind.LOAD, terminalSerial, normalized,
                fci.application().label(), serial, init.onlineCounter(), amount, init.oldBalance(), init.random(),
                now.toLocalDate(), now.toLocalTime(), auth.mac2()), auth.loadId());
        byte[] tac;
        try {
            tac = card.creditForLoad(date, time, auth.mac2());
        } catch (StatusWordException e) {
            // A refused CREDIT changes no balance: the host voids its pending load at the card's next authorization.
            journal.resolve(id, TransactionState.VOID, null, null, e.getMessage());
            throw e;
        }
        journal.resolve(id, TransactionState.COMPLETED, tac, null, null);
        String confirmation = confirm(id, auth.loadId(), tac);
        Money before = Money.of(init.oldBalance(), amount.currency());
        return new LoadResult(fci.application(), amount, before, before.plus(amount), Bytes.hex(tac), init.onlineCounter(),
                fci.issuerData().maskedSerial(), terminalSerial, id, recoveries, testKeys(), false, confirmation);
    }

    /**
     * Confirms every load the card credited that the issuer host has not confirmed yet ({@code nfcpay upload}).
     *
     * @return how many the host posted now
     * @throws IssuerHostException when the host cannot be reached (what was confirmed so far stays confirmed)
     */
    public int confirmLoads() throws TerminalException {
        requireIssuer();
        int posted = 0;
        for (JournalRecord r : journal.unconfirmedLoads(1_000)) {
            Optional<String> loadId = journal.hostLoadId(r.id());
            if (loadId.isPresent() && confirm(r.id(), loadId.get(), r.tac()).equals("posted")) {
                posted++;
            }
        }
        return posted;
    }

    private void requireIssuer() throws TerminalException {
        if (issuer == null) {
            throw new TerminalException("this terminal has no issuer host");
        }
    }

    /** POST /v1/loads; a refusal is one line and nothing is credited. */
    private IssuerHost.LoadAuthorization authorize(IssuerHost.LoadAuthorizationRequest request, ApplicationFci fci)
            throws TerminalException {
        try {
            return issuer.authorizeLoad(request);
        } catch (IssuerHostException e) {
            String label = fci.application().label();
            String why = switch (e.code()) {
                case "hotlisted" -> label + " is on the hot list: the issuer host refuses its loads";
                case "bad_mac1" -> "the issuer host rejected the card's MAC1 for " + label
                        + " (not a card of this issuer, or altered on the way)";
                case "counter_mismatch" -> "the issuer host refused: " + label
                        + "'s online counter does not follow its last load (counter_mismatch)";
                default -> e.getMessage();
            };
            throw new IssuerHostException(e.status(), e.code(), why + ": nothing loaded", e);
        }
    }

    /**
     * POST /v1/loads/{id}/confirm with the card's TAC, remembered in the journal: "posted", or why not. An
     * unreachable host is not an error here: the card has the money and the host posts the load on this TAC
     * later ({@code nfcpay upload}), or on the card's counter at its next load.
     */
    private String confirm(long journalId, String loadId, byte[] tac) throws TerminalException {
        try {
            issuer.confirmLoad(loadId, tac);
            journal.confirmLoad(journalId, "posted");
            return "posted";
        } catch (IssuerHostException e) {
            if (e.unreachable()) {
                return "not confirmed yet: " + e.getMessage();
            }
            String status = "rejected:" + e.code();
            journal.confirmLoad(journalId, status);
            return status;
        }
    }

    /**
     * The host's side of the torn loads the card's evidence settled on this tap: a credit the card proved is
     * confirmed with its TAC; one the card could not settle is asked about ({@code GET /v1/loads/{id}}) and
     * settled as the host knows it (posted: the card's TAC or counter showed the credit; voided: it did not).
     */
    private List<Recovery> settleTornLoadsWithHost(List<Recovery> recoveries) throws TerminalException {
        List<Recovery> out = new ArrayList<>();
        for (Recovery r : recoveries) {
            Optional<String> loadId = r.kind() == TransactionKind.LOAD ? journal.hostLoadId(r.journalId()) : Optional.empty();
            if (loadId.isEmpty()) {
                out.add(r);
            } else if (r.state() == TransactionState.RECOVERED && r.tac() != null) {
                String c = confirm(r.journalId(), loadId.get(), Bytes.fromHex(r.tac()));
                out.add(withNote(r, r.state(), r.note() + "; issuer host: " + c));
            } else if (r.state() == TransactionState.PENDING) {
                out.add(settleFromHost(r, loadId.get()));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** After a new authorization the host has settled the card's earlier pending load: ask again what it decided. */
    private List<Recovery> afterAuthorization(List<Recovery> recoveries) throws TerminalException {
        List<Recovery> out = new ArrayList<>();
        for (Recovery r : recoveries) {
            Optional<String> loadId = r.kind() == TransactionKind.LOAD && r.state() == TransactionState.PENDING
                    ? journal.hostLoadId(r.journalId()) : Optional.empty();
            out.add(loadId.isPresent() ? settleFromHost(r, loadId.get()) : r);
        }
        return out;
    }

    private Recovery settleFromHost(Recovery r, String loadId) throws TerminalException {
        String status;
        try {
            status = issuer.loadStatus(loadId);
        } catch (IssuerHostException e) {
            return withNote(r, r.state(), r.note() + "; issuer host: " + e.getMessage());
        }
        TransactionState state = switch (status) {
            case "posted" -> TransactionState.RECOVERED;
            case "voided" -> TransactionState.VOID;
            default -> TransactionState.PENDING;
        };
        if (state == TransactionState.PENDING) {
            return withNote(r, state, r.note() + "; the issuer host has it pending too");
        }
        String note = state == TransactionState.RECOVERED
                ? "the issuer host posted it (the card's TAC or online counter showed the credit)"
                : "the issuer host voided it (the card's online counter showed no credit)";
        journal.resolve(r.journalId(), state, null, null, note);
        return withNote(r, state, note);
    }

    /** The newest recovery this tap made of a {@code kind} transaction of {@code amount} the card did, or null. */
    private static Recovery latestRecovered(List<Recovery> recoveries, TransactionKind kind, Money amount) {
        Recovery latest = null;
        for (Recovery r : recoveries) {
            if (r.kind() == kind && r.state() == TransactionState.RECOVERED && r.amount().equals(amount)
                    && (latest == null || r.journalId() > latest.journalId())) {
                latest = r;
            }
        }
        return latest;
    }

    private JournalRecord tornRecord(long id) throws JournalException {
        return journal.find(id).orElseThrow(() -> new JournalException("journal record " + id + " vanished during its recovery"));
    }

    private static Recovery withNote(Recovery r, TransactionState state, String note) {
        return new Recovery(r.journalId(), r.kind(), r.application(), r.amount(), state, r.tac(), note);
    }

    /**
     * A retried load completes the torn one, it does not repeat it: when this tap proved that the card credited
     * a torn load of the same amount, that load is the answer and nothing more is credited.
     */
    private Optional<LoadResult> completedTornLoad(List<Recovery> recoveries, Money amount, ApplicationFci fci)
            throws TerminalException {
        Recovery latest = latestRecovered(recoveries, TransactionKind.LOAD, amount);
        if (latest == null) {
            return Optional.empty();
        }
        long id = latest.journalId();
        JournalRecord torn = tornRecord(id);
        Money before = Money.of(torn.balanceBeforeMinor(), amount.currency());
        String confirmation = journal.loadConfirmation(id).orElse("the issuer host posts it on the card's counter");
        return Optional.of(new LoadResult(fci.application(), amount, before, before.plus(amount), latest.tac(), torn.counter(),
                torn.maskedCardSerial(), torn.terminalSerial(), id, recoveries, testKeys(), true, confirmation));
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
        private IssuerHost issuer;
        private Set<String> hotList = Set.of();
        private Journal journal;
        private Clock clock = Clock.systemDefaultZone();
        private RandomSource random = RandomSource.secure();

        private Builder() {}

        /** The purchase security module (default: the published test keys). */
        public Builder purchaseSecurityModule(PurchaseSecurityModule m) {
            this.purchaseModule = Objects.requireNonNull(m);
            return this;
        }

        /** The issuer host that authorizes loads (default: none, and {@link Kernel#load} refuses). */
        public Builder issuerHost(IssuerHost issuer) {
            this.issuer = Objects.requireNonNull(issuer);
            return this;
        }

        /**
         * The card serials (20 hex digits) of the issuer's hot list: a purchase from one of them is refused before
         * DEBIT (default: none).
         */
        public Builder hotList(Set<String> cardSerials) {
            Set<String> upper = new java.util.HashSet<>();
            for (String c : cardSerials) {
                upper.add(c.toUpperCase(java.util.Locale.ROOT));
            }
            this.hotList = Set.copyOf(upper);
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

package nfcpay.reliability.chaos;

import nfcpay.bench.measure.SimulatedIssuerHost;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.Transports;

/**
 * Card removal chaos, in process: purchases (and the loads that keep the cards funded) through the
 * real kernel, journal and transport stack, against the real applets on simulated SIMs through
 * jcardsim's {@code javax.smartcardio} reader. The first tap of every intent loses the card at a
 * random APDU of the tap, before the command reached the card or after the card ran it; the
 * re-taps until the intent is settled lose it again one time in four (one in two when the tap must
 * first settle a PENDING record); now and then the holder pays at the other terminal before coming
 * back for the re-tap, so the card's counters move on in between. After every settled intent the
 * {@link Reconciler} holds the journals against the cards. Seeded: a seed replays the same run (the
 * cards' own randoms aside, which change MACs, not decisions).
 */
final class RemovalChaos {

    private static final int MAX_TAPS = 40;
    /** A re-tap loses the card this often; one that must settle a PENDING record first, more often. */
    private static final double RETAP_REMOVAL = 0.25;
    private static final double RECOVERY_TAP_REMOVAL = 0.5;
    /** Before a re-tap the holder pays elsewhere this often; more often while a record is PENDING. */
    private static final double ELSEWHERE = 0.04;
    private static final double ELSEWHERE_WHILE_PENDING = 0.2;
    /** Well below the card log's 10 records: the kernel can still tell from the log. */
    private static final int ELSEWHERE_PER_INTENT = 3;
    /** This often a purchase is exactly the first card's balance. */
    private static final double EXACT_BALANCE = 0.03;
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

    /** One SIM of the run and the balance each card is topped up to. */
    private record Wallet(String name, SimulatedSim sim, Map<String, Long> topUpTo) {}

    private final Random random;
    private final ChaosFigures figures;
    private final ChaosClock clock = new ChaosClock(START);
    private final List<Wallet> wallets = new ArrayList<>();
    private final List<CardAuditor> auditors = new ArrayList<>();
    private final List<Journal> journals = new ArrayList<>();
    private final List<Cashier> cashiers = new ArrayList<>();
    private final Reconciler reconciler;
    /** The length of the last tap that kept the card, by wallet and first tap / re-tap: where removals are drawn. */
    private final Map<String, Integer> tapLength = new HashMap<>();
    /** PENDING records a removal left, and whether the card had done their DEBIT/CREDIT then. */
    private final Map<String, Boolean> pendingAtRemoval = new HashMap<>();
    private long nextIntent = 1;

    private RemovalChaos(long seed, Path dir, Cashier.Policy policy) throws TerminalException {
        this.random = new Random(seed);
        this.figures = new ChaosFigures("card removal chaos, in process"
                + (policy == Cashier.Policy.SHIPPED ? "" : ", control: cashier " + policy), seed,
                "lost the card on their first tap");
        wallet("smart, priority", SimulatedSim.builder().simId(random.nextLong()).policy(SelectionPolicy.PRIORITY)
                .card("Daily Wallet", 20_000).card("Salary Card", 300_000).card("Travel Card", 1_500_000));
        wallet("smart, best fit", SimulatedSim.builder().simId(random.nextLong()).policy(SelectionPolicy.BEST_FIT)
                .card("Lunch", 10_000).card("Salary", 200_000).card("Savings", 800_000));
        wallet("legacy PPSE", SimulatedSim.builder().simId(random.nextLong()).legacy()
                .card("Daily Wallet", 15_000).card("Salary Card", 100_000).card("Travel Card", 500_000));
        wallet("smart, most funds", SimulatedSim.builder().simId(random.nextLong()).policy(SelectionPolicy.MOST_FUNDS)
                .card("Metro", 30_000).card("Groceries", 250_000));
        Random unpredictable = new Random(random.nextLong());
        SimulatedIssuerHost issuer = new SimulatedIssuerHost(new byte[6]);
        for (int t = 0; t < 2; t++) {
            Journal journal = Journal.open(dir.resolve("terminal-" + t + ".db"),
                    new byte[] {0x10, 0x00, 0x00, 0x00, 0x00, (byte) (t + 1)}, clock);
            journals.add(journal);
            cashiers.add(new Cashier(Kernel.builder().journal(journal).clock(clock).random(n -> {
                byte[] b = new byte[n];
                unpredictable.nextBytes(b);
                return b;
            }).issuerHost(issuer).build(), policy));
        }
        this.reconciler = new Reconciler(journals, auditors, figures);
    }

    private void wallet(String name, SimulatedSim.Builder builder) {
        SimulatedSim sim = builder.clock(clock).build();
        Map<String, Long> topUp = new HashMap<>();
        CardAuditor auditor = new CardAuditor(sim, name, figures::violation);
        for (SimCard c : sim.cards()) {
            topUp.put(c.aidHex(), auditor.lastBalance(c));
        }
        wallets.add(new Wallet(name, sim, topUp));
        auditors.add(auditor);
    }

    /** Runs until {@code disruptedPurchases} purchases lost the card on their first tap; then reconciles all. */
    static ChaosFigures run(long seed, long disruptedPurchases, Path dir) throws TerminalException {
        return run(seed, disruptedPurchases, dir, Cashier.Policy.SHIPPED);
    }

    /** The same with another cashier policy: the controls. */
    static ChaosFigures run(long seed, long disruptedPurchases, Path dir, Cashier.Policy policy) throws TerminalException {
        long t0 = System.nanoTime();
        RemovalChaos chaos = new RemovalChaos(seed, dir, policy);
        try {
            while (chaos.figures.purchasesDisrupted < disruptedPurchases) {
                chaos.next();
            }
            chaos.reconciler.finish();
        } finally {
            for (Journal j : chaos.journals) {
                j.close();
            }
        }
        chaos.figures.millis = (System.nanoTime() - t0) / 1_000_000;
        return chaos.figures;
    }

    /** One intent at a random terminal with a random SIM: a top-up when a card runs low, else a purchase. */
    private void next() throws TerminalException {
        int w = random.nextInt(wallets.size());
        int terminal = random.nextInt(journals.size());
        Optional<SimCard> low = lowCard(w);
        Intent intent;
        if (low.isPresent()) {
            SimCard c = low.get();
            intent = intentLoad(c, wallets.get(w).topUpTo().get(c.aidHex()) - auditors.get(w).lastBalance(c), terminal);
        } else {
            intent = intentPurchase(random.nextDouble() < EXACT_BALANCE ? firstCardBalance(w) : amount(), terminal);
        }
        settle(intent, w, true, true);
        reconciler.audit(List.of(auditors.get(w)));
    }

    /** A card below a fifth of its top-up balance. */
    private Optional<SimCard> lowCard(int w) {
        Wallet wallet = wallets.get(w);
        return wallet.sim().cards().stream()
                .filter(c -> auditors.get(w).lastBalance(c) * 5 < wallet.topUpTo().get(c.aidHex()))
                .findFirst();
    }

    /**
     * The balance of the SIM's first card: a purchase that empties it, after which the kernel's probe
     * INITIALIZE on that card answers 9401 and recovery must decide from the proof and the log.
     */
    private long firstCardBalance(int w) {
        return Math.max(1, auditors.get(w).lastBalance(wallets.get(w).sim().cards().get(0)));
    }

    /** Mostly small amounts, some larger, a few no card covers. */
    private long amount() {
        double r = random.nextDouble();
        if (r < 0.75) {
            return 1 + random.nextInt(5_000);
        }
        if (r < 0.95) {
            return 5_000 + random.nextInt(45_000);
        }
        return 50_000 + random.nextInt(2_000_000);
    }

    private Intent intentPurchase(long minor, int terminal) throws TerminalException {
        figures.purchases++;
        return Intent.purchase(nextIntent++, Money.of(minor, SimulatedSim.CNY), terminal, cashiers.get(terminal).watermark());
    }

    private Intent intentLoad(SimCard card, long minor, int terminal) throws TerminalException {
        figures.loads++;
        return Intent.load(nextIntent++, card.aidHex(), Money.of(minor, SimulatedSim.CNY), terminal,
                cashiers.get(terminal).watermark());
    }

    /**
     * Taps until the intent is settled. The first tap loses the card at a random APDU when
     * {@code disruptFirst}; a re-tap does one time in four. Before a re-tap the holder may pay at the
     * other terminal (only from an outermost intent): the card's counters move on in between.
     */
    private void settle(Intent intent, int w, boolean disruptFirst, boolean elsewhereAllowed) throws TerminalException {
        Wallet wallet = wallets.get(w);
        Cashier cashier = cashiers.get(intent.terminal());
        int elsewhere = 0;
        for (int tap = 1; ; tap++) {
            if (tap > MAX_TAPS) {
                figures.violation("intent " + intent.id() + " not settled after " + MAX_TAPS + " taps");
                reconciler.settled(intent, Cashier.Status.UNSETTLED);
                return;
            }
            figures.taps++;
            boolean pending = tap > 1 && cashier.records(intent).stream().anyMatch(r -> r.state() == TransactionState.PENDING);
            if (tap > 1) {
                figures.reTaps++;
                if (elsewhereAllowed && elsewhere < ELSEWHERE_PER_INTENT
                        && random.nextDouble() < (pending ? ELSEWHERE_WHILE_PENDING : ELSEWHERE)) {
                    elsewhere++;
                    figures.nested++;
                    int other = (intent.terminal() + 1) % journals.size();
                    settle(intentPurchase(amount(), other), w, random.nextBoolean(), false);
                }
            }
            clock.advance(Duration.ofSeconds(1 + random.nextInt(5)));
            String lengthKey = w + (tap == 1 ? ":first" : pending ? ":recovery" : ":retap");
            int length = tapLength.getOrDefault(lengthKey, tap == 1 ? 5 : 9);
            boolean remove = tap == 1 ? disruptFirst
                    : random.nextDouble() < (pending ? RECOVERY_TAP_REMOVAL : RETAP_REMOVAL);
            int removeAt = remove ? random.nextInt(length) : -1;
            RemovalTransport.Removal mode = random.nextBoolean()
                    ? RemovalTransport.Removal.BEFORE_COMMAND : RemovalTransport.Removal.AFTER_COMMAND;
            RemovalTransport reader = new RemovalTransport(Readers.connect(wallet.sim().terminal()),
                    () -> wallet.sim().cardSimulator().reset(), removeAt, mode);
            Cashier.Tap result;
            try (Transport card = Transports.stack(reader, null)) {
                result = cashier.tap(card, intent);
            } catch (CardRemovedException e) {
                figures.removal(reader.removed(), Commands.name(reader.removedCommand()));
                if (tap == 1 && intent.kind() == TransactionKind.PURCHASE) {
                    figures.purchasesDisrupted++;
                }
                notePending(intent, cashier, w);
                continue;
            }
            if (reader.removed() != null) {
                figures.violation("intent " + intent.id() + ": the tap went on after the card left");
            }
            if (reader.apdus() > 0) {
                tapLength.put(lengthKey, reader.apdus());
            }
            if (!result.status().settled()) {
                continue;
            }
            checkPendingOutcomes(intent, cashier);
            count(result.status());
            reconciler.settled(intent, result.status());
            return;
        }
    }

    /** After a removal: which PENDING records it left, and whether the card had done them. */
    private void notePending(Intent intent, Cashier cashier, int w) throws TerminalException {
        for (JournalRecord r : cashier.records(intent)) {
            String key = intent.terminal() + ":" + r.id();
            if (r.state() == TransactionState.PENDING && !pendingAtRemoval.containsKey(key)) {
                boolean did = auditors.get(w).logged(r.aid(), r.kind(), r.counter());
                pendingAtRemoval.put(key, did);
                if (did) {
                    figures.pendingCardDid++;
                    if (auditors.get(w).balanceNow(r.aid()) == 0) {
                        figures.pendingOnEmptyCard++; // the kernel's probe INITIALIZE will answer 9401
                    }
                } else {
                    figures.pendingCardDidNot++;
                }
            }
        }
    }

    /** A PENDING record whose DEBIT the card had done must end RECOVERED; one it had not, VOID. */
    private void checkPendingOutcomes(Intent intent, Cashier cashier) throws TerminalException {
        for (JournalRecord r : cashier.records(intent)) {
            Boolean did = pendingAtRemoval.remove(intent.terminal() + ":" + r.id());
            if (did == null) {
                continue;
            }
            figures.recovery(r);
            TransactionState expected = did ? TransactionState.RECOVERED : TransactionState.VOID;
            if (r.state() != expected) {
                figures.violation("intent " + intent.id() + ": " + r + " ended " + r.state() + ", the card "
                        + (did ? "had" : "had not") + " done it");
            }
        }
    }

    private void count(Cashier.Status status) {
        switch (status) {
            case APPROVED -> figures.approved++;
            case DECLINED -> figures.declined++;
            case LOADED -> figures.loaded++;
            case DONE_EARLIER -> figures.doneEarlier++;
            default -> figures.violation("settled " + status);
        }
    }
}

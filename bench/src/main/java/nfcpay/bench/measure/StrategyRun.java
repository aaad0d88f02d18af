package nfcpay.bench.measure;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import nfcpay.bench.air.AirTimeModel;
import nfcpay.bench.workload.Event;
import nfcpay.bench.workload.Holder;
import nfcpay.bench.workload.Workload;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.LoadResult;
import nfcpay.terminal.kernel.PurchaseResult;
import nfcpay.terminal.kernel.RandomSource;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.Transports;

/**
 * One strategy's terminal (its own kernel and journal) and running sums. For each holder,
 * {@link #runHolder} builds a fresh simulated SIM with the holder's cards and opening balances,
 * then replays every top-up (Kernel.load) and purchase (Kernel.purchase) in time order, each one
 * tap through the real javax.smartcardio stack into the real applets.
 *
 * <p>The bench keeps its own ledger of every card and holds it against the card on every
 * approval (INITIALIZE's balance minus the amount) and after each holder (GET BALANCE): a figure
 * from a card that lost or made money would be worthless. The runner interleaves the strategies
 * holder by holder, so that JIT warm-up and machine noise fall on all of them alike.
 */
public final class StrategyRun implements AutoCloseable {

    /** The bench terminal's ID in the journals. */
    static final byte[] TERMINAL_ID = {0x00, 0x00, 0x00, 0x00, 0x06, 0x01};

    private final Strategy strategy;
    private final Workload workload;
    private final SimClock clock;
    private final Journal journal;
    private final Kernel kernel;
    private final Tally tally;

    /** Opens this strategy's journal in {@code journalDir} and its kernel. */
    public StrategyRun(Strategy strategy, Workload workload, AirTimeModel model, Path journalDir) throws TerminalException {
        this.strategy = strategy;
        this.workload = workload;
        this.clock = new SimClock(LocalDateTime.of(workload.parameters().startDate(), LocalTime.of(6, 0)));
        this.journal = Journal.open(journalDir.resolve(strategy.name().toLowerCase(Locale.ROOT) + ".db"), TERMINAL_ID, clock);
        this.kernel = Kernel.builder().journal(journal).clock(clock).random(seededUn(workload.seed()))
                .issuerHost(new SimulatedIssuerHost(TERMINAL_ID)).build();
        this.tally = new Tally(workload.parameters().days(), model);
    }

    public Strategy strategy() {
        return strategy;
    }

    /** Replays one holder; {@code tick} after every event. */
    public void runHolder(Holder holder, Runnable tick) throws TerminalException {
        clock.set(LocalDateTime.of(workload.parameters().startDate(), LocalTime.of(6, 0)));
        SimulatedSim sim = BenchSims.build(holder.cards(), strategy.legacy(), strategy.policy(), holder.simId(),
                cardSeed(workload.seed(), holder.index()), clock);
        List<SimCard> cards = sim.cards();
        long[] ledger = new long[cards.size()];
        Map<String, Integer> byAid = new HashMap<>();
        for (int i = 0; i < ledger.length; i++) {
            ledger[i] = holder.cards().get(i).initialBalanceMinor();
            byAid.put(cards.get(i).aidHex(), i);
        }
        for (Event event : holder.events()) {
            clock.set(event.at());
            if (event instanceof Event.TopUp topUp) {
                topUp(sim, topUp, ledger);
            } else if (event instanceof Event.Purchase purchase) {
                purchase(sim, purchase, ledger, byAid);
            }
            tick.run();
        }
        for (int i = 0; i < ledger.length; i++) {
            long onCard = sim.balance(cards.get(i).label());
            if (onCard != ledger[i]) {
                throw new IllegalStateException(strategy + ", holder " + holder.index() + ", " + cards.get(i).label()
                        + ": the card holds " + onCard + " but the bench's ledger says " + ledger[i]);
            }
        }
        tally.holders++;
    }

    public StrategyResult result() {
        int days = workload.parameters().days();
        int longRunFrom = days - Math.max(1, days / 3);
        return new StrategyResult(strategy, tally.holders, tally.purchases, tally.approved, tally.coverableDeclined,
                tally.noCardCovered, tally.paidByDefault, tally.dayPurchases, tally.dayApproved, longRunFrom, tally.cost,
                tally.topUps, tally.loaded, tally.loadCost, tally.largePurchases, tally.largeApproved, tally.wall, tally.cpu);
    }

    @Override
    public void close() throws TerminalException {
        journal.close();
    }

    private void topUp(SimulatedSim sim, Event.TopUp topUp, long[] ledger) throws TerminalException {
        SimCard card = sim.cards().get(topUp.card());
        LoadResult result;
        Tap tap = Tap.open(sim, false);
        try (tap) {
            result = kernel.load(tap.transport, card.aidHex(), Money.cny(topUp.amountMinor()));
        }
        ledger[topUp.card()] += topUp.amountMinor();
        if (result.balanceAfter().minor() != ledger[topUp.card()]) {
            throw new IllegalStateException(strategy + ": load onto " + card.label() + " left " + result.balanceAfter()
                    + ", the ledger says " + ledger[topUp.card()]);
        }
        tally.topUps++;
        tally.loaded += topUp.amountMinor();
        tally.loadCost.add(tap.counting.take());
    }

    private void purchase(SimulatedSim sim, Event.Purchase purchase, long[] ledger, Map<String, Integer> byAid)
            throws TerminalException {
        long amount = purchase.amountMinor();
        boolean coverable = false;
        for (long b : ledger) {
            coverable |= b >= amount;
        }
        boolean large = amount >= StrategyResult.LARGE;
        PurchaseResult result;
        Tap tap = Tap.open(sim, strategy.defaultCardOnly());
        try (tap) {
            long cpuStart = CpuClock.now();
            long start = System.nanoTime();
            result = kernel.purchase(tap.transport, Money.cny(amount));
            tally.wall.add(System.nanoTime() - start);
            tally.cpu.add(CpuClock.now() - cpuStart);
        }
        tally.cost.add(tap.counting.take());
        tally.purchases++;
        tally.dayPurchases[purchase.day()]++;
        if (large) {
            tally.largePurchases++;
        }
        switch (result.outcome()) {
            case APPROVED -> {
                Integer i = byAid.get(result.application().aid());
                if (i == null) {
                    throw new IllegalStateException(strategy + ": paid by an unknown application " + result.application());
                }
                ledger[i] -= amount;
                if (ledger[i] < 0 || result.balanceAfter().minor() != ledger[i]) {
                    throw new IllegalStateException(strategy + ": " + result.application().label() + " reports "
                            + result.balanceAfter() + " after paying, the ledger says " + ledger[i]);
                }
                tally.approved++;
                tally.dayApproved[purchase.day()]++;
                if (large) {
                    tally.largeApproved++;
                }
                if (i == 0) {
                    tally.paidByDefault++;
                }
            }
            case DECLINED -> {
                if (coverable) {
                    tally.coverableDeclined++;
                } else {
                    tally.noCardCovered++;
                }
            }
            default -> throw new IllegalStateException(strategy + ": " + result.outcome() + ": " + result.reason());
        }
    }

    /** Same seed for every strategy: the same holder's SIM draws the same card randoms. */
    static long cardSeed(long seed, int holder) {
        return seed * 0x632BE59BD9B4E019L + holder;
    }

    /** The terminal's unpredictable numbers, seeded. */
    static RandomSource seededUn(long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        return n -> {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) random.nextInt(256);
            }
            return b;
        };
    }

    /** One tap: the standard transport stack over a counting wrapper next to the simulated reader. */
    static final class Tap implements AutoCloseable {
        final CountingTransport counting;
        final Transport transport;

        private Tap(CountingTransport counting, Transport transport) {
            this.counting = counting;
            this.transport = transport;
        }

        static Tap open(SimulatedSim sim, boolean defaultCardOnly) throws TerminalException {
            CountingTransport counting = new CountingTransport(Readers.connect(sim.terminal()));
            Transport stack = Transports.stack(counting, null);
            return new Tap(counting, defaultCardOnly ? new DefaultCardOnlyTransport(stack) : stack);
        }

        @Override
        public void close() throws TerminalException {
            transport.close();
        }
    }

    /** Running sums of one strategy. */
    private static final class Tally {
        int holders;
        long purchases;
        long approved;
        long coverableDeclined;
        long noCardCovered;
        long paidByDefault;
        long largePurchases;
        long largeApproved;
        long topUps;
        long loaded;
        final long[] dayPurchases;
        final long[] dayApproved;
        final Cost cost;
        final Cost loadCost;
        final Samples wall = new Samples();
        final Samples cpu = new Samples();

        Tally(int days, AirTimeModel model) {
            dayPurchases = new long[days];
            dayApproved = new long[days];
            cost = new Cost(model);
            loadCost = new Cost(model);
        }
    }
}

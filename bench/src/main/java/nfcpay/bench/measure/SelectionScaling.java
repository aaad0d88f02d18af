package nfcpay.bench.measure;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import com.licel.jcardsim.smartcardio.CardSimulator;
import nfcpay.bench.air.AirTimeModel;
import nfcpay.bench.air.BitRate;
import nfcpay.bench.workload.CardSpec;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.TerminalWire;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.PurchaseResult;
import nfcpay.terminal.money.Money;

/**
 * Smart-selection cost against the number of card applications on the SIM (1..16): the same
 * purchase repeated on a SIM of n cards, through the kernel and the real applets. Next to it, for
 * comparison, the worst case of the legacy walk (every card but the last is empty) and the raw
 * rate at which the simulator answers the selection APDUs with nothing else in the way.
 */
public final class SelectionScaling {

    /** The amount of every scaling purchase: 25.00. */
    static final long AMOUNT = 2_500;
    /** What every card holds: 10,000.00 (room for 400 purchases on the first card). */
    static final long BALANCE = 1_000_000;
    /** The timed purchases of every size are spread over this many rounds. */
    static final int ROUNDS = 10;
    /** Untimed rounds before the raw rate is timed. */
    static final int RAW_WARM_UP = 20;

    /**
     * One number of cards.
     *
     * @param cards card applications on the SIM
     * @param smart the smart-selection purchases
     * @param wall wall time inside Kernel.purchase, one sample per smart purchase
     * @param cpu CPU time of the thread inside Kernel.purchase, one sample per smart purchase
     * @param walk the legacy worst-case purchases (null when none were run)
     * @param rawApdus selection APDUs sent straight to the simulator
     * @param rawNanos their wall time
     * @param rawCpuNanos their CPU time
     */
    public record Point(int cards, Cost smart, Samples wall, Samples cpu, Cost walk, long rawApdus, long rawNanos,
            long rawCpuNanos) {

        /** Median: a GC pause in a few hundred samples moves the mean, not this. */
        public double wallMillisPerPurchase() {
            return wall.medianMillis();
        }

        /** In-process purchases a second, from the median purchase. */
        public double purchasesPerSecond() {
            double ms = wall.medianMillis();
            return ms == 0 ? 0 : 1000 / ms;
        }

        /** Purchases a second of CPU, from the median purchase: what a core does when it is not shared. */
        public double purchasesPerCpuSecond() {
            double ms = cpu.medianMillis();
            return ms == 0 ? 0 : 1000 / ms;
        }

        /** The bound in CPU time: purchases a CPU second if the simulator were the only cost. */
        public double simulatorBoundPurchasesPerCpuSecond() {
            double ms = smart.medianSimulatorCpuMillisPerTap();
            return ms == 0 ? 0 : 1000 / ms;
        }

        public double rawSelectionApdusPerCpuSecond() {
            return rawCpuNanos == 0 ? 0 : rawApdus * 1e9 / rawCpuNanos;
        }

        /** APDUs a second inside the simulator, from the median purchase's simulator time. */
        public double simulatorApdusPerSecond() {
            double ms = smart.medianSimulatorMillisPerTap();
            return ms == 0 ? 0 : smart.apdusPerTap() * 1000 / ms;
        }

        /** The bound: purchases a second if the simulator were the only cost (median purchase). */
        public double simulatorBoundPurchasesPerSecond() {
            double ms = smart.medianSimulatorMillisPerTap();
            return ms == 0 ? 0 : 1000 / ms;
        }

        public double rawSelectionApdusPerSecond() {
            return rawNanos == 0 ? 0 : rawApdus * 1e9 / rawNanos;
        }

        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cards", cards);
            m.put("purchases", smart.taps());
            m.put("apdus_per_purchase", smart.apdusPerTap());
            m.put("bytes_per_purchase", smart.bytesPerTap());
            m.put("selection_apdus", smart.selectionApdusPerTap());
            m.put("selection_bytes", smart.selectionBytesPerTap());
            for (BitRate r : BitRate.values()) {
                m.put("selection_air_time_ms_" + r.key(), smart.selectionAirMillisPerTap(r));
            }
            for (BitRate r : BitRate.values()) {
                m.put("air_time_ms_" + r.key(), smart.airMillisPerTap(r));
            }
            m.put("wall_ms_per_purchase_median", wallMillisPerPurchase());
            m.put("wall_ms_per_purchase_mean", wall.meanMillis());
            m.put("cpu_ms_per_purchase_median", cpu.medianMillis());
            m.put("simulator_ms_per_purchase_median", smart.medianSimulatorMillisPerTap());
            m.put("simulator_cpu_ms_per_purchase_median", smart.medianSimulatorCpuMillisPerTap());
            m.put("wall_ms_per_selection", smart.selectionMillisPerTap());
            m.put("wall_ms_gpo", smart.gpoMillisPerTap());
            m.put("cpu_ms_gpo", smart.gpoCpuMillisPerTap());
            m.put("purchases_per_second", purchasesPerSecond());
            m.put("simulator_apdus_per_second", simulatorApdusPerSecond());
            m.put("simulator_bound_purchases_per_second", simulatorBoundPurchasesPerSecond());
            m.put("raw_selection_apdus_per_second", rawSelectionApdusPerSecond());
            m.put("purchases_per_cpu_second", purchasesPerCpuSecond());
            m.put("simulator_bound_purchases_per_cpu_second", simulatorBoundPurchasesPerCpuSecond());
            m.put("raw_selection_apdus_per_cpu_second", rawSelectionApdusPerCpuSecond());
            if (walk != null) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("purchases", walk.taps());
                w.put("apdus_per_purchase", walk.apdusPerTap());
                w.put("bytes_per_purchase", walk.bytesPerTap());
                for (BitRate r : BitRate.values()) {
                    w.put("air_time_ms_" + r.key(), walk.airMillisPerTap(r));
                }
                w.put("shortfalls_disclosed", walk.shortfallsPerTap());
                m.put("legacy_walk_worst_case", w);
            }
            return m;
        }
    }

    private final AirTimeModel model;
    private final Path journalDir;
    private final int maxCards;
    private final int purchases;
    private final int walkPurchases;
    private final int rawRounds;
    private final Runnable tick;

    public SelectionScaling(AirTimeModel model, Path journalDir, int maxCards, int purchases, int walkPurchases, int rawRounds,
            Runnable tick) {
        if (maxCards < 1 || maxCards > SimulatedSim.MAX_CARDS || purchases < 1 || purchases * AMOUNT > BALANCE) {
            throw new IllegalArgumentException("1.." + SimulatedSim.MAX_CARDS + " cards and 1.." + BALANCE / AMOUNT
                    + " purchases per point");
        }
        this.model = model;
        this.journalDir = journalDir;
        this.maxCards = maxCards;
        this.purchases = purchases;
        this.walkPurchases = walkPurchases;
        this.rawRounds = rawRounds;
        this.tick = tick;
    }

    /** Work units {@link #run} reports through the tick: one per purchase. */
    public long units() {
        return (long) maxCards * (purchases + walkPurchases);
    }

    /**
     * Builds a SIM of each size, then takes the timed purchases in {@link #ROUNDS} rounds over all
     * sizes, so that a slow moment of the machine (other processes, a collection, a recompilation)
     * falls on every size alike instead of on one point.
     */
    public List<Point> run(long seed) throws TerminalException {
        SimClock clock = new SimClock(LocalDateTime.of(2026, 3, 2, 12, 0));
        List<Point> points = new ArrayList<>();
        try (Journal journal = Journal.open(journalDir.resolve("scaling.db"), StrategyRun.TERMINAL_ID, clock)) {
            Kernel kernel = Kernel.builder().journal(journal).clock(clock).random(StrategyRun.seededUn(seed)).build();
            List<SimulatedSim> sims = new ArrayList<>();
            List<Cost> costs = new ArrayList<>();
            List<Samples> walls = new ArrayList<>();
            List<Samples> cpus = new ArrayList<>();
            for (int n = 1; n <= maxCards; n++) {
                sims.add(BenchSims.build(cards(n, false), false, SelectionPolicy.PRIORITY, 1_000 + n, seed + n, clock));
                costs.add(new Cost(model));
                walls.add(new Samples());
                cpus.add(new Samples());
            }
            for (int round = 0; round < ROUNDS; round++) {
                int share = purchases / ROUNDS + (round < purchases % ROUNDS ? 1 : 0);
                for (int n = 1; n <= maxCards; n++) {
                    for (int i = 0; i < share; i++) {
                        long[] t = tap(kernel, sims.get(n - 1), costs.get(n - 1));
                        walls.get(n - 1).add(t[0]);
                        cpus.get(n - 1).add(t[1]);
                    }
                }
            }
            for (int n = 1; n <= maxCards; n++) {
                Cost walk = null;
                if (walkPurchases > 0) {
                    SimulatedSim legacySim = BenchSims.build(cards(n, true), true, SelectionPolicy.PRIORITY, 2_000 + n, seed + n,
                            clock);
                    walk = new Cost(model);
                    for (int i = 0; i < walkPurchases; i++) {
                        tap(kernel, legacySim, walk);
                    }
                }
                long[] raw = rawSelection(sims.get(n - 1).cardSimulator());
                points.add(new Point(n, costs.get(n - 1), walls.get(n - 1), cpus.get(n - 1), walk, raw[0], raw[1], raw[2]));
            }
        }
        return points;
    }

    /** n cards "Card 01".. each holding {@link #BALANCE}, or (lastOnly) all empty but the last. */
    private static List<CardSpec> cards(int n, boolean lastOnly) {
        List<CardSpec> cards = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            cards.add(new CardSpec(String.format("Card %02d", i), !lastOnly || i == n ? BALANCE : 0));
        }
        return cards;
    }

    /** One purchase; its wall and CPU nanoseconds. */
    private long[] tap(Kernel kernel, SimulatedSim sim, Cost cost) throws TerminalException {
        PurchaseResult result;
        long wall;
        long cpu;
        StrategyRun.Tap tap = StrategyRun.Tap.open(sim, false);
        try (tap) {
            long cpuStart = CpuClock.now();
            long start = System.nanoTime();
            result = kernel.purchase(tap.transport, Money.cny(AMOUNT));
            wall = System.nanoTime() - start;
            cpu = CpuClock.now() - cpuStart;
        }
        if (!result.approved()) {
            throw new IllegalStateException("scaling purchase not approved: " + result.reason());
        }
        cost.add(tap.counting.take());
        tick.run();
        return new long[] {wall, cpu};
    }

    /** SELECT PPSE (with GET RESPONSE) and GPO straight into the simulator: the APDU rate with no terminal. */
    private long[] rawSelection(CardSimulator card) {
        byte[] selectPpse = new byte[5 + TerminalWire.PPSE_AID.length + 1];
        selectPpse[1] = (byte) 0xA4;
        selectPpse[2] = 0x04;
        selectPpse[4] = (byte) TerminalWire.PPSE_AID.length;
        System.arraycopy(TerminalWire.PPSE_AID, 0, selectPpse, 5, TerminalWire.PPSE_AID.length);
        Money amount = Money.cny(AMOUNT);
        byte[] gpo = new byte[5 + 15 + 1];
        gpo[0] = (byte) 0x80;
        gpo[1] = (byte) 0xA8;
        gpo[4] = 0x0F;
        gpo[5] = (byte) 0x83;
        gpo[6] = 0x0D;
        System.arraycopy(amount.toN12(), 0, gpo, 7, 6);
        System.arraycopy(Money.currencyToN3(amount.currency()), 0, gpo, 13, 2);
        gpo[15] = 0x00; // 9C purchase; UN 00000000 follows
        CommandAPDU select = new CommandAPDU(selectPpse);
        CommandAPDU getProcessingOptions = new CommandAPDU(gpo);
        long apdus = 0;
        long start = 0;
        long cpuStart = 0;
        for (int i = -RAW_WARM_UP; i < rawRounds; i++) {
            if (i == 0) {
                apdus = 0;
                start = System.nanoTime();
                cpuStart = CpuClock.now();
            }
            ResponseAPDU r = card.transmitCommand(select);
            apdus++;
            while (r.getSW1() == 0x61) {
                r = card.transmitCommand(new CommandAPDU(0x00, 0xC0, 0x00, 0x00, r.getSW2() == 0 ? 256 : r.getSW2()));
                apdus++;
            }
            if (r.getSW() != 0x9000 || card.transmitCommand(getProcessingOptions).getSW() != 0x9000) {
                throw new IllegalStateException("raw selection failed on the simulator");
            }
            apdus++;
        }
        return new long[] {apdus, System.nanoTime() - start, CpuClock.now() - cpuStart};
    }
}

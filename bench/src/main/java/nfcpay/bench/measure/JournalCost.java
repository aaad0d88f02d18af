package nfcpay.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nfcpay.bench.workload.CardSpec;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.money.Money;

/**
 * What the journal's durability costs a purchase: the same smart purchases with the journal on a
 * disk file system (WAL, synchronous=FULL: a real fsync per commit, three commits a purchase) and
 * on tmpfs, where fsync returns at once. The strategy runs keep their journals on tmpfs when there
 * is one, so that the disk does not hide the kernel; this says what a real terminal adds.
 */
public final class JournalCost {

    /**
     * @param purchases purchases timed on each file system
     * @param diskDir the disk directory used, and its file store type
     * @param diskMillisPerPurchase wall time per purchase with the journal there
     * @param memoryDir the tmpfs directory used (null when the machine has none)
     * @param memoryMillisPerPurchase wall time per purchase with the journal there (NaN when none)
     */
    public record Result(int purchases, String diskDir, String diskStore, double diskMillisPerPurchase, String memoryDir,
            String memoryStore, double memoryMillisPerPurchase) {

        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("purchases_each", purchases);
            m.put("journal", "SQLite WAL, synchronous=FULL; 3 commits per purchase");
            m.put("disk_dir", diskDir);
            m.put("disk_file_store", diskStore);
            m.put("kernel_ms_per_purchase_disk", diskMillisPerPurchase);
            m.put("memory_dir", memoryDir);
            m.put("memory_file_store", memoryStore);
            m.put("kernel_ms_per_purchase_tmpfs", Double.isNaN(memoryMillisPerPurchase) ? null : memoryMillisPerPurchase);
            m.put("fsync_ms_per_purchase", Double.isNaN(memoryMillisPerPurchase) ? null
                    : diskMillisPerPurchase - memoryMillisPerPurchase);
            return m;
        }
    }

    private static final int WARM_UP = 5;

    private JournalCost() {}

    /**
     * @param diskDir a directory on a disk file system
     * @param memoryDir a tmpfs directory, or null
     */
    public static Result measure(Path diskDir, Path memoryDir, int purchases, long seed, Runnable tick) throws TerminalException {
        SimClock clock = new SimClock(LocalDateTime.of(2026, 3, 2, 12, 0));
        SimulatedSim sim = BenchSims.build(List.of(new CardSpec("Daily", 100_000), new CardSpec("Salary", 5_000_000),
                new CardSpec("Travel", 300_000)), false, SelectionPolicy.PRIORITY, 3_000, seed, clock);
        double disk = timed(diskDir, sim, clock, purchases, seed, tick);
        double memory = memoryDir == null ? Double.NaN : timed(memoryDir, sim, clock, purchases, seed, tick);
        return new Result(purchases, diskDir.toString(), store(diskDir), disk, memoryDir == null ? null : memoryDir.toString(),
                memoryDir == null ? null : store(memoryDir), memory);
    }

    private static double timed(Path dir, SimulatedSim sim, SimClock clock, int purchases, long seed, Runnable tick)
            throws TerminalException {
        try (Journal journal = Journal.open(dir.resolve("journal-cost.db"), StrategyRun.TERMINAL_ID, clock)) {
            Kernel kernel = Kernel.builder().journal(journal).clock(clock).random(StrategyRun.seededUn(seed)).build();
            long total = 0;
            for (int i = 0; i < WARM_UP + purchases; i++) {
                StrategyRun.Tap tap = StrategyRun.Tap.open(sim, false);
                try (tap) {
                    long start = System.nanoTime();
                    if (!kernel.purchase(tap.transport, Money.cny(100)).approved()) {
                        throw new IllegalStateException("journal cost purchase not approved");
                    }
                    if (i >= WARM_UP) {
                        total += System.nanoTime() - start;
                    }
                }
                if (i >= WARM_UP) {
                    tick.run();
                }
            }
            return total / 1e6 / purchases;
        }
    }

    /** The file system type of a directory (ext4, tmpfs...), for the record. */
    public static String store(Path dir) {
        try {
            return Files.getFileStore(dir).type();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

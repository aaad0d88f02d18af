package nfcpay.bench;

/**
 * How much of everything a run does. The workload's distributions stay the same; only its length
 * and the number of repetitions change.
 *
 * @param days simulated days per holder
 * @param minPurchases holders are added until the workload has this many purchases
 * @param scalingMaxCards the selection scaling goes from 1 to this many cards (at most 16)
 * @param scalingPurchases smart purchases per number of cards
 * @param walkPurchases legacy worst-case purchases per number of cards
 * @param rawRounds SELECT PPSE + GPO rounds straight into the simulator per number of cards
 * @param journalCostPurchases purchases timed on each file system for the journal's cost
 */
public record BenchScale(int days, int minPurchases, int scalingMaxCards, int scalingPurchases, int walkPurchases, int rawRounds,
        int journalCostPurchases) {

    /** The documented run: six simulated weeks, at least 30,000 purchases, 1..16 cards. Several minutes on 2 cores. */
    public static final BenchScale FULL = new BenchScale(42, 30_000, 16, 200, 10, 500, 200);

    /** About half a minute (25 to 28 s of CPU): three simulated weeks, at least 5,000 purchases, fewer repetitions. */
    public static final BenchScale QUICK = new BenchScale(21, 5_000, 16, 30, 2, 100, 40);

    /** Seconds: a handful of purchases and 1..2 cards, to check that the tool works. Its figures mean nothing. */
    public static final BenchScale SMOKE = new BenchScale(2, 6, 2, 2, 1, 2, 2);

    public BenchScale {
        if (days < 1 || minPurchases < 1 || scalingMaxCards < 1 || scalingMaxCards > 16 || scalingPurchases < 1
                || walkPurchases < 0 || rawRounds < 1 || journalCostPurchases < 1) {
            throw new IllegalArgumentException("every count of a bench scale must be positive (1..16 cards)");
        }
    }

    /** full, quick, smoke, or custom. */
    public String name() {
        return equals(FULL) ? "full" : equals(QUICK) ? "quick" : equals(SMOKE) ? "smoke" : "custom";
    }
}

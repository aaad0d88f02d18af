package nfcpay.bench.workload;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every number the workload is drawn from. Amounts in fen (CNY minor units). The defaults are
 * the documented workload of docs/benchmarks.md; only the length (days, minimum purchases)
 * differs between a full and a quick run.
 *
 * @param days simulated days per holder
 * @param minPurchases holders are added until the purchases reach this
 * @param startDate day 0 (inside the simulated cards' validity, 2026-01-01..2036-12-31)
 * @param cards how many cards and what is on them at the start
 * @param spending how often and how much holders pay
 * @param topUps how holders put money on their cards
 */
public record WorkloadParameters(int days, int minPurchases, LocalDate startDate, Cards cards, Spending spending, TopUps topUps) {

    /** Labels the holders' cards are named from (distinct on one SIM). */
    public static final List<String> LABELS = List.of("ICBC Debit", "CCB Purse", "BOC Wallet", "ABC Card", "CMB Card",
            "BoCom Purse", "Transit Card", "Campus Card");

    public WorkloadParameters {
        if (days < 1 || minPurchases < 1) {
            throw new IllegalArgumentException("a workload needs at least one day and one purchase");
        }
    }

    /** The documented distributions over {@code days} days, with at least {@code minPurchases} purchases. */
    public static WorkloadParameters defaults(int days, int minPurchases) {
        return new WorkloadParameters(days, minPurchases, LocalDate.of(2026, 3, 2), Cards.DEFAULT, Spending.DEFAULT,
                TopUps.DEFAULT);
    }

    /**
     * Cards per SIM and their opening balances.
     *
     * @param countWeights weight of 1, 2, ... 6 cards
     * @param defaultMedian median opening balance of the default card (log-normal)
     * @param defaultSigma sigma of its logarithm
     * @param otherMedian median opening balance of every other card (log-normal)
     * @param otherSigma sigma of its logarithm
     * @param nearlyEmptyShare share of non-default cards that start nearly empty instead
     * @param nearlyEmptyMax those start uniformly between 0 and this
     * @param maxBalance the cards' maximum balance (a load never goes above it)
     */
    public record Cards(List<Double> countWeights, long defaultMedian, double defaultSigma, long otherMedian,
            double otherSigma, double nearlyEmptyShare, long nearlyEmptyMax, long maxBalance) {

        public static final Cards DEFAULT = new Cards(List.of(0.10, 0.35, 0.30, 0.13, 0.07, 0.05), 20_000, 0.8, 50_000,
                1.0, 0.15, 2_000, 5_000_000);

        public Cards {
            countWeights = List.copyOf(countWeights);
            if (countWeights.isEmpty() || countWeights.size() > LABELS.size()) {
                throw new IllegalArgumentException("card count weights for 1.." + LABELS.size() + " cards");
            }
        }
    }

    /**
     * Purchases: a Poisson number a day, at uniform times of the shopping hours, amounts from a
     * mixture of two log-normals (everyday and occasional large purchases).
     *
     * @param activityMeans mean purchases a day of a light, regular and heavy spender
     * @param activityWeights how many holders are each
     * @param everydayMedian median everyday purchase
     * @param everydaySigma sigma of its logarithm
     * @param largeShare share of purchases that are large
     * @param largeMedian median large purchase
     * @param largeSigma sigma of its logarithm
     * @param step amounts are rounded to this (10 fen)
     * @param min smallest amount
     * @param max largest amount
     * @param opens first purchase time of a day
     * @param closes last purchase time of a day
     */
    public record Spending(List<Double> activityMeans, List<Double> activityWeights, long everydayMedian, double everydaySigma,
            double largeShare, long largeMedian, double largeSigma, long step, long min, long max, LocalTime opens,
            LocalTime closes) {

        public static final Spending DEFAULT = new Spending(List.of(0.8, 1.8, 3.5), List.of(0.30, 0.50, 0.20), 2_200, 0.8,
                0.08, 30_000, 0.7, 10, 100, 2_000_000, LocalTime.of(7, 30), LocalTime.of(22, 0));

        public Spending {
            activityMeans = List.copyOf(activityMeans);
            activityWeights = List.copyOf(activityWeights);
        }
    }

    /**
     * Top-ups, all at {@code at} in the morning, before the day's first purchase.
     *
     * @param habitWeights weight of WHEN_LOW, PERIODIC, RARELY
     * @param whenLowThresholdMedian WHEN_LOW: median threshold below which the default card is loaded (log-normal)
     * @param whenLowThresholdSigma sigma of its logarithm
     * @param whenLowAmountMedian WHEN_LOW: median amount loaded (log-normal, rounded up to {@code whenLowStep})
     * @param whenLowAmountSigma sigma of its logarithm
     * @param whenLowStep rounding of WHEN_LOW amounts
     * @param periodMinDays PERIODIC: shortest period (uniform between min and max)
     * @param periodMaxDays PERIODIC: longest period
     * @param periodicAmountMedian PERIODIC: median amount (log-normal, drawn once per holder)
     * @param periodicAmountSigma sigma of its logarithm
     * @param periodicStep rounding of PERIODIC amounts
     * @param rarelyDailyProbability RARELY: chance of a load on a given morning
     * @param rarelyAmountMedian RARELY: median amount (log-normal)
     * @param rarelyAmountSigma sigma of its logarithm
     * @param rarelyStep rounding of RARELY amounts
     * @param at the time of day of every top-up
     */
    public record TopUps(List<Double> habitWeights, long whenLowThresholdMedian, double whenLowThresholdSigma,
            long whenLowAmountMedian, double whenLowAmountSigma, long whenLowStep, int periodMinDays, int periodMaxDays,
            long periodicAmountMedian, double periodicAmountSigma, long periodicStep, double rarelyDailyProbability,
            long rarelyAmountMedian, double rarelyAmountSigma, long rarelyStep, LocalTime at) {

        public static final TopUps DEFAULT = new TopUps(List.of(0.45, 0.35, 0.20), 5_000, 0.5, 40_000, 0.5, 5_000, 7, 14,
                80_000, 0.4, 10_000, 0.03, 30_000, 0.5, 5_000, LocalTime.of(7, 0));

        public TopUps {
            habitWeights = List.copyOf(habitWeights);
            if (habitWeights.size() != TopUpHabit.values().length) {
                throw new IllegalArgumentException("one weight per top-up habit");
            }
        }
    }

    /** The parameters as nested maps, for results.json. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("days", days);
        m.put("min_purchases", minPurchases);
        m.put("start_date", startDate.toString());
        m.put("currency", "CNY");
        m.put("amounts_in", "fen (CNY minor units)");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("count_weights_1_to_" + cards.countWeights().size(), cards.countWeights());
        c.put("default_card_balance", logNormal(cards.defaultMedian(), cards.defaultSigma()));
        c.put("other_card_balance", logNormal(cards.otherMedian(), cards.otherSigma()));
        c.put("nearly_empty_share", cards.nearlyEmptyShare());
        c.put("nearly_empty_max", cards.nearlyEmptyMax());
        c.put("max_balance", cards.maxBalance());
        c.put("labels", LABELS);
        m.put("cards", c);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("purchases_per_day_poisson_means", spending.activityMeans());
        s.put("activity_weights_light_regular_heavy", spending.activityWeights());
        s.put("everyday_amount", logNormal(spending.everydayMedian(), spending.everydaySigma()));
        s.put("large_share", spending.largeShare());
        s.put("large_amount", logNormal(spending.largeMedian(), spending.largeSigma()));
        s.put("rounding", spending.step());
        s.put("min", spending.min());
        s.put("max", spending.max());
        s.put("hours", spending.opens() + "-" + spending.closes());
        m.put("spending", s);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("habit_weights_when_low_periodic_rarely", topUps.habitWeights());
        t.put("when_low_threshold", logNormal(topUps.whenLowThresholdMedian(), topUps.whenLowThresholdSigma()));
        t.put("when_low_amount", logNormal(topUps.whenLowAmountMedian(), topUps.whenLowAmountSigma()));
        t.put("when_low_rounding_up", topUps.whenLowStep());
        t.put("periodic_period_days", List.of(topUps.periodMinDays(), topUps.periodMaxDays()));
        t.put("periodic_amount", logNormal(topUps.periodicAmountMedian(), topUps.periodicAmountSigma()));
        t.put("periodic_rounding", topUps.periodicStep());
        t.put("rarely_daily_probability", topUps.rarelyDailyProbability());
        t.put("rarely_amount", logNormal(topUps.rarelyAmountMedian(), topUps.rarelyAmountSigma()));
        t.put("rarely_rounding", topUps.rarelyStep());
        t.put("time_of_day", topUps.at().toString());
        m.put("top_ups", t);
        return m;
    }

    private static Map<String, Object> logNormal(long median, double sigma) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("distribution", "log-normal");
        m.put("median", median);
        m.put("sigma", sigma);
        return m;
    }
}

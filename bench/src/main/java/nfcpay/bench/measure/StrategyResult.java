package nfcpay.bench.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nfcpay.bench.air.BitRate;

/**
 * What one strategy did with the whole workload.
 *
 * @param strategy the strategy
 * @param holders holders (SIMs) run
 * @param purchases purchases tapped
 * @param approved purchases approved on the first (only) tap
 * @param coverableDeclined declined although some card on the SIM held the amount at that moment
 * @param noCardCovered declined because no card held the amount
 * @param paidByDefaultCard approved purchases paid by the holder's default (priority 1) card
 * @param dayPurchases purchases per simulated day
 * @param dayApproved approvals per simulated day
 * @param longRunFromDay first day of the "long run" window (the last third of the days)
 * @param cost what the purchases cost on the wire and disclosed
 * @param topUps loads done (Kernel.load, the real load protocol)
 * @param loadedMinor fen loaded by them
 * @param loadCost what the loads cost on the wire
 * @param largePurchases purchases of at least {@link #LARGE} (100.00)
 * @param largeApproved of those, approved
 * @param wall wall time inside Kernel.purchase, one sample per purchase
 * @param cpu CPU time of the thread inside Kernel.purchase, one sample per purchase
 */
public record StrategyResult(Strategy strategy, int holders, long purchases, long approved, long coverableDeclined,
        long noCardCovered, long paidByDefaultCard, long[] dayPurchases, long[] dayApproved, int longRunFromDay, Cost cost,
        long topUps, long loadedMinor, Cost loadCost, long largePurchases, long largeApproved, Samples wall, Samples cpu) {

    /** Purchases from this amount up (100.00) count as large in the split of the success rate. */
    public static final long LARGE = 10_000;

    public StrategyResult {
        dayPurchases = dayPurchases.clone();
        dayApproved = dayApproved.clone();
    }

    public double firstTapSuccess() {
        return ratio(approved, purchases);
    }

    /** Success over the last third of the simulated days, after days of spending. */
    public double longRunSuccess() {
        long p = 0;
        long a = 0;
        for (int d = longRunFromDay; d < dayPurchases.length; d++) {
            p += dayPurchases[d];
            a += dayApproved[d];
        }
        return ratio(a, p);
    }

    public List<Double> successByDay() {
        List<Double> out = new ArrayList<>();
        for (int d = 0; d < dayPurchases.length; d++) {
            out.add(ratio(dayApproved[d], dayPurchases[d]));
        }
        return out;
    }

    public long declined() {
        return purchases - approved;
    }

    /** Cards the terminal learned a balance fact about (exact or "less than the amount"), per purchase. */
    public double balancesDisclosed() {
        return cost.exactBalancesPerTap() + cost.shortfallsPerTap();
    }

    public double wallMillisPerPurchase() {
        return wall.meanMillis();
    }

    public double cpuMillisPerPurchase() {
        return cpu.meanMillis();
    }

    /** Success of the purchases below 100.00. */
    public double smallSuccess() {
        return ratio(approved - largeApproved, purchases - largePurchases);
    }

    /** Success of the purchases of 100.00 and more. */
    public double largeSuccess() {
        return ratio(largeApproved, largePurchases);
    }

    /** The figures, for results.json (field names are the issue's). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", strategy.description());
        m.put("sim", strategy.legacy() ? "legacy PPSE" : "smart PPSE, policy " + strategy.policy());
        m.put("holders", holders);
        m.put("purchases", purchases);
        m.put("approved", approved);
        m.put("declined", declined());
        m.put("first_tap_success", firstTapSuccess());
        m.put("coverable_declined", coverableDeclined);
        m.put("declined_no_card_covered", noCardCovered);
        m.put("long_run_success", longRunSuccess());
        m.put("success_below_100", smallSuccess());
        m.put("success_from_100", largeSuccess());
        m.put("purchases_from_100", largePurchases);
        m.put("long_run_days", List.of(longRunFromDay, dayPurchases.length - 1));
        m.put("success_by_day", successByDay());
        m.put("paid_by_default_card", ratio(paidByDefaultCard, approved));
        m.put("apdus_per_purchase", cost.apdusPerTap());
        m.put("bytes_per_purchase", cost.bytesPerTap());
        for (BitRate r : BitRate.values()) {
            m.put("air_time_ms_" + r.key(), cost.airMillisPerTap(r));
        }
        m.put("selection_apdus_per_purchase", cost.selectionApdusPerTap());
        m.put("selection_bytes_per_purchase", cost.selectionBytesPerTap());
        m.put("selection_air_time_ms_106k", cost.selectionAirMillisPerTap(BitRate.KBPS_106));
        m.put("applications_selected_per_purchase", cost.applicationsSelectedPerTap());
        m.put("balances_disclosed", balancesDisclosed());
        m.put("exact_balances_disclosed", cost.exactBalancesPerTap());
        m.put("shortfalls_disclosed", cost.shortfallsPerTap());
        m.put("no_card_covers_disclosed", cost.noCardCoversPerTap());
        m.put("wall_ms_per_purchase", wallMillisPerPurchase());
        m.put("wall_ms_per_purchase_median", wall.medianMillis());
        m.put("cpu_ms_per_purchase", cpu.meanMillis());
        m.put("cpu_ms_per_purchase_median", cpu.medianMillis());
        m.put("simulator_ms_per_purchase", cost.simulatorMillisPerTap());
        m.put("simulator_cpu_ms_per_purchase", cost.simulatorCpuMillisPerTap());
        m.put("top_ups", topUps);
        m.put("loaded_minor", loadedMinor);
        m.put("apdus_per_top_up", loadCost.apdusPerTap());
        m.put("bytes_per_top_up", loadCost.bytesPerTap());
        return m;
    }

    static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}

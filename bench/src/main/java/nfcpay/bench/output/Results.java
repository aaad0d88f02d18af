package nfcpay.bench.output;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nfcpay.bench.air.AirTimeModel;
import nfcpay.bench.measure.JournalCost;
import nfcpay.bench.measure.SelectionScaling;
import nfcpay.bench.measure.StrategyResult;
import nfcpay.bench.workload.Event;
import nfcpay.bench.workload.Holder;
import nfcpay.bench.workload.Workload;

/**
 * Everything one run measured, and the results.json tree of it.
 *
 * @param run how it was run: seed, quick, the command, the machine, timings
 * @param workload the workload replayed
 * @param model the air-time model
 * @param strategies one result per strategy, in the order of {@link nfcpay.bench.measure.Strategy}
 * @param scaling smart-selection cost for 1..n cards
 * @param journalCost the journal's fsync cost
 */
public record Results(Map<String, Object> run, Workload workload, AirTimeModel model, List<StrategyResult> strategies,
        List<SelectionScaling.Point> scaling, JournalCost.Result journalCost) {

    public Results {
        run = new LinkedHashMap<>(run);
        strategies = List.copyOf(strategies);
        scaling = List.copyOf(scaling);
    }

    /** The results.json object. */
    public Map<String, Object> tree() {
        Map<String, Object> root = new LinkedHashMap<>(run);
        root.put("workload", workloadSummary());
        root.put("air_time_model", model.describe());
        Map<String, Object> s = new LinkedHashMap<>();
        for (StrategyResult r : strategies) {
            s.put(r.strategy().name(), r.describe());
        }
        root.put("strategies", s);
        Map<String, Object> scale = new LinkedHashMap<>();
        scale.put("what", "smart selection (policy PRIORITY) of a 25.00 purchase on a SIM of n cards, each holding 10,000.00;"
                + " legacy_walk_worst_case: a legacy SIM whose cards are all empty but the last");
        scale.put("points", scaling.stream().map(SelectionScaling.Point::describe).toList());
        root.put("selection_scaling", scale);
        root.put("journal_cost", journalCost == null ? null : journalCost.describe());
        return root;
    }

    Map<String, Object> workloadSummary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", workload.seed());
        m.put("holders", workload.holders().size());
        m.put("purchases", workload.purchases());
        m.put("top_ups", workload.topUps());
        Map<String, Long> cards = new TreeMap<>();
        Map<String, Long> habits = new TreeMap<>();
        long opening = 0;
        long loaded = 0;
        long[] amounts = new long[(int) workload.purchases()];
        int k = 0;
        for (Holder h : workload.holders()) {
            cards.merge(Integer.toString(h.cards().size()), 1L, Long::sum);
            habits.merge(h.habit().name(), 1L, Long::sum);
            opening += h.cards().stream().mapToLong(c -> c.initialBalanceMinor()).sum();
            for (Event e : h.events()) {
                if (e instanceof Event.Purchase p) {
                    amounts[k++] = p.amountMinor();
                } else if (e instanceof Event.TopUp t) {
                    loaded += t.amountMinor();
                }
            }
        }
        Arrays.sort(amounts);
        m.put("holders_by_number_of_cards", cards);
        m.put("holders_by_top_up_habit", habits);
        m.put("opening_balances_minor", opening);
        m.put("loaded_minor", loaded);
        long spent = Arrays.stream(amounts).sum();
        m.put("purchased_minor", spent);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mean", amounts.length == 0 ? 0 : (double) spent / amounts.length);
        a.put("median", percentile(amounts, 0.50));
        a.put("p90", percentile(amounts, 0.90));
        a.put("p99", percentile(amounts, 0.99));
        a.put("max", amounts.length == 0 ? 0 : amounts[amounts.length - 1]);
        m.put("purchase_amount_minor", a);
        m.put("parameters", workload.parameters().describe());
        return m;
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}

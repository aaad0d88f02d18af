package nfcpay.bench.measure;

import nfcpay.sim.SelectionPolicy;

/** The six ways to pay that the benchmark compares, each on the identical workload. */
public enum Strategy {
    /** The prior art: only the default (priority 1) card is tried; short means declined. */
    DEFAULT_CARD(true, SelectionPolicy.PRIORITY, true,
            "legacy SIM; the reader sees only the priority-1 directory entry; short = declined"),
    /** A legacy SIM: the terminal walks the PPSE directory by priority, next candidate on 9401. */
    TERMINAL_RETRY(true, SelectionPolicy.PRIORITY, false, "legacy SIM; EMV Book B walk, next candidate on 9401"),
    SMART_PRIORITY(false, SelectionPolicy.PRIORITY, false, "smart selection (GPO on the PPSE), policy PRIORITY"),
    SMART_BEST_FIT(false, SelectionPolicy.BEST_FIT, false, "smart selection, policy BEST_FIT (smallest covering balance)"),
    SMART_MOST_FUNDS(false, SelectionPolicy.MOST_FUNDS, false, "smart selection, policy MOST_FUNDS (largest balance)"),
    SMART_ANY(false, SelectionPolicy.ANY, false, "smart selection, policy ANY (random covering card, the card's RandomData)");

    private final boolean legacy;
    private final SelectionPolicy policy;
    private final boolean defaultCardOnly;
    private final String description;

    Strategy(boolean legacy, SelectionPolicy policy, boolean defaultCardOnly, String description) {
        this.legacy = legacy;
        this.policy = policy;
        this.defaultCardOnly = defaultCardOnly;
        this.description = description;
    }

    /** A SIM without smart selection (no 9F38 in the PPSE). */
    public boolean legacy() {
        return legacy;
    }

    /** The selector's policy (ignored on a legacy SIM). */
    public SelectionPolicy policy() {
        return policy;
    }

    /** The reader sees only the highest-priority directory entry. */
    public boolean defaultCardOnly() {
        return defaultCardOnly;
    }

    public String description() {
        return description;
    }
}

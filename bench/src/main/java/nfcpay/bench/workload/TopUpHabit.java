package nfcpay.bench.workload;

/** How a holder puts money on the SIM (see docs/benchmarks.md, "Workload"). */
public enum TopUpHabit {
    /** Checks the default card each morning and loads it when it is below the holder's threshold. */
    WHEN_LOW,
    /** A fixed amount onto one fixed card every few days, like a wage: whatever the balances. */
    PERIODIC,
    /** Seldom: on a few random mornings, onto a random card. */
    RARELY
}

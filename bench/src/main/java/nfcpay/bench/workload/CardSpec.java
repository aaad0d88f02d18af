package nfcpay.bench.workload;

/**
 * One card application of a holder's SIM, in priority order (the first is the holder's default card).
 *
 * @param label the application label (unique on the SIM, at most 16 characters)
 * @param initialBalanceMinor the balance loaded before day 1, in fen
 */
public record CardSpec(String label, long initialBalanceMinor) {}

package nfcpay.bench.workload;

import java.util.List;

/**
 * The generated workload: every holder with their events. Deterministic in (parameters, seed).
 *
 * @param parameters what it was drawn from
 * @param seed the seed
 * @param holders the holders, in order
 */
public record Workload(WorkloadParameters parameters, long seed, List<Holder> holders) {

    public Workload {
        holders = List.copyOf(holders);
    }

    public long purchases() {
        return holders.stream().mapToLong(Holder::purchases).sum();
    }

    public long topUps() {
        return holders.stream().mapToLong(Holder::topUps).sum();
    }

    public long events() {
        return holders.stream().mapToLong(h -> h.events().size()).sum();
    }
}

package nfcpay.bench.measure;

import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import nfcpay.bench.workload.CardSpec;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimulatedSim;

/**
 * Builds the simulated SIMs of the benchmark. The card's own random numbers (credentials,
 * challenges, INITIALIZE randoms, and the ANY policy's choice) come from a seeded jcardsim
 * generator so that a seed reproduces every figure, SMART_ANY included. Fine for a benchmark,
 * never for a card that holds money: the property is set only while the SIM is built.
 */
public final class BenchSims {

    /** jcardsim reads this when an applet creates its RandomData (see docs/architecture.md). */
    static final String SEED_PROPERTY = "com.licel.jcardsim.randomdata.seed";

    private BenchSims() {}

    /** A SIM with these cards in priority order (the first is the default card). */
    public static SimulatedSim build(List<CardSpec> cards, boolean legacy, SelectionPolicy policy, long simId, long cardSeed,
            Clock clock) {
        SimulatedSim.Builder b = SimulatedSim.builder().policy(policy).simId(simId).clock(clock);
        if (legacy) {
            b.legacy();
        }
        for (CardSpec c : cards) {
            b.card(c.label(), c.initialBalanceMinor());
        }
        byte[] seed = new byte[16];
        SplittableRandom r = new SplittableRandom(cardSeed);
        for (int i = 0; i < seed.length; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8; j++) {
                seed[i + j] = (byte) (v >>> (8 * j));
            }
        }
        synchronized (BenchSims.class) {
            String previous = System.getProperty(SEED_PROPERTY);
            System.setProperty(SEED_PROPERTY, HexFormat.of().formatHex(seed));
            try {
                return b.build();
            } finally {
                if (previous == null) {
                    System.clearProperty(SEED_PROPERTY);
                } else {
                    System.setProperty(SEED_PROPERTY, previous);
                }
            }
        }
    }
}

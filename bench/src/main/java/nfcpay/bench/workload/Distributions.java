package nfcpay.bench.workload;

import java.util.SplittableRandom;

/**
 * The few distributions the workload draws from, written out here rather than taken from the JDK
 * so that a seed gives the same workload on every Java version (the JDK's Gaussian algorithm is
 * not part of its contract).
 */
public final class Distributions {

    private Distributions() {}

    /** Standard normal by Box-Muller (one of the pair; the other is dropped to keep the stream simple). */
    public static double standardNormal(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Log-normal given by its median and the standard deviation sigma of its logarithm. */
    public static double logNormal(SplittableRandom random, double median, double sigma) {
        return median * Math.exp(sigma * standardNormal(random));
    }

    /** Poisson by Knuth's product of uniforms: fine for the small means used here (a few a day). */
    public static int poisson(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            k++;
            product *= random.nextDouble();
        }
        return k;
    }

    /** Index i with probability weights[i] / sum(weights). */
    public static int weighted(SplittableRandom random, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Rounds minor units to a multiple of {@code step} (e.g. 10 fen), never below {@code step}. */
    public static long roundTo(double minor, long step) {
        return Math.max(step, Math.round(minor / step) * step);
    }

    /** Rounds minor units up to a multiple of {@code step}. */
    public static long roundUpTo(double minor, long step) {
        return Math.max(step, (long) Math.ceil(minor / step) * step);
    }
}

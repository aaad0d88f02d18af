package nfcpay.reliability.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Generators for {@link SeededProperty}: uniform draws with a bias to the edges (a tenth of the integers
 * are a bound, a tenth of the byte arrays empty or full length), where card parsers break.
 */
final class Gen {

    private Gen() {}

    static int between(Random r, int min, int max) {
        int edge = r.nextInt(20);
        if (edge == 0) {
            return min;
        }
        if (edge == 1) {
            return max;
        }
        return min + (int) Math.floorMod(r.nextLong(), (long) max - min + 1);
    }

    static long between(Random r, long min, long max) {
        int edge = r.nextInt(20);
        if (edge == 0) {
            return min;
        }
        if (edge == 1) {
            return max;
        }
        return min + Math.floorMod(r.nextLong(), max - min + 1);
    }

    /** Bytes of length 0..{@code maxSize}; a tenth are full, a tenth empty; bytes biased to 00, FF, 80, 7F. */
    static byte[] bytes(Random r, int maxSize) {
        int edge = r.nextInt(10);
        int n = edge == 0 ? 0 : edge == 1 ? maxSize : r.nextInt(maxSize + 1);
        return bytesOfSize(r, n);
    }

    static byte[] bytesOfSize(Random r, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int pick = r.nextInt(16);
            out[i] = switch (pick) {
                case 0 -> 0;
                case 1 -> (byte) 0xFF;
                case 2 -> (byte) 0x80;
                case 3 -> 0x7F;
                default -> (byte) r.nextInt(256);
            };
        }
        return out;
    }

    @SafeVarargs
    static <T> T of(Random r, T... values) {
        return values[r.nextInt(values.length)];
    }

    /** One of {@code generators}, chosen with the weights {@code weights} (same order). */
    @SafeVarargs
    static <T> T frequency(Random r, int[] weights, Function<Random, ? extends T>... generators) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int pick = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return generators[i].apply(r);
            }
        }
        throw new IllegalStateException();
    }

    static <T> List<T> list(Random r, int minSize, int maxSize, Function<Random, T> element) {
        int n = between(r, minSize, maxSize);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.apply(r));
        }
        return out;
    }
}

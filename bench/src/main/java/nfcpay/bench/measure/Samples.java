package nfcpay.bench.measure;

import java.util.Arrays;

/** A growable list of nanosecond samples, for the median next to the mean (a GC pause moves only the mean). */
public final class Samples {

    private long[] values = new long[256];
    private int size;
    private long sum;

    public void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
        sum += nanos;
    }

    public int size() {
        return size;
    }

    public long sum() {
        return sum;
    }

    public double meanMillis() {
        return size == 0 ? 0 : sum / 1e6 / size;
    }

    public double medianMillis() {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return (size % 2 == 1 ? sorted[size / 2] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2.0) / 1e6;
    }
}

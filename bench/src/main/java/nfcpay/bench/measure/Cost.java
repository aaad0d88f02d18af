package nfcpay.bench.measure;

import java.util.List;
import nfcpay.bench.air.AirTimeModel;
import nfcpay.bench.air.BitRate;
import nfcpay.bench.measure.CountingTransport.Exchange;
import nfcpay.bench.measure.CountingTransport.Kind;

/** Sums what taps cost on the wire and what the terminal learned, over any number of taps. */
public final class Cost {

    private static final int SW_OK = 0x9000;
    private static final int SW_INSUFFICIENT_FUNDS = 0x9401;

    private final AirTimeModel model;
    private long taps;
    private long apdus;
    private long bytes;
    private final double[] airMicros = new double[BitRate.values().length];
    private long selectionApdus;
    private long selectionBytes;
    private final double[] selectionAirMicros = new double[BitRate.values().length];
    private long exactBalances;
    private long shortfalls;
    private long noCardCovers;
    private long applicationsSelected;
    private long simulatorNanos;
    private long selectionNanos;
    private long gpoNanos;
    private long gpoCpuNanos;
    private final Samples tapSimulatorNanos = new Samples();
    private final Samples tapSimulatorCpuNanos = new Samples();

    public Cost(AirTimeModel model) {
        this.model = model;
    }

    /** Adds one tap's exchanges. */
    public void add(List<Exchange> exchanges) {
        taps++;
        long tapNanos = 0;
        long tapCpuNanos = 0;
        for (Exchange x : exchanges) {
            tapNanos += x.nanos();
            tapCpuNanos += x.cpuNanos();
            apdus++;
            bytes += x.commandLength() + x.responseLength();
            simulatorNanos += x.nanos();
            for (BitRate r : BitRate.values()) {
                double us = model.exchangeMicros(x.commandLength(), x.responseLength(), r);
                airMicros[r.ordinal()] += us;
                if (x.kind().selection()) {
                    selectionAirMicros[r.ordinal()] += us;
                }
            }
            if (x.kind().selection()) {
                selectionApdus++;
                selectionBytes += x.commandLength() + x.responseLength();
                selectionNanos += x.nanos();
            }
            if (x.kind() == Kind.GET_PROCESSING_OPTIONS) {
                gpoNanos += x.nanos();
                gpoCpuNanos += x.cpuNanos();
                if (x.sw() == SW_INSUFFICIENT_FUNDS) {
                    noCardCovers++;
                }
            }
            if (x.kind() == Kind.SELECT_APPLICATION && !x.getResponse()) {
                applicationsSelected++;
            }
            if (x.kind() == Kind.INITIALIZE_FOR_PURCHASE) {
                if (x.sw() == SW_OK) {
                    exactBalances++;
                } else if (x.sw() == SW_INSUFFICIENT_FUNDS) {
                    shortfalls++;
                }
            }
        }
        tapSimulatorNanos.add(tapNanos);
        tapSimulatorCpuNanos.add(tapCpuNanos);
    }

    public long taps() {
        return taps;
    }

    public double apdusPerTap() {
        return per(apdus);
    }

    public double bytesPerTap() {
        return per(bytes);
    }

    public double airMillisPerTap(BitRate rate) {
        return per(airMicros[rate.ordinal()]) / 1000.0;
    }

    public double selectionApdusPerTap() {
        return per(selectionApdus);
    }

    public double selectionBytesPerTap() {
        return per(selectionBytes);
    }

    public double selectionAirMillisPerTap(BitRate rate) {
        return per(selectionAirMicros[rate.ordinal()]) / 1000.0;
    }

    /** INITIALIZE FOR PURCHASE answered with data: the terminal learned that card's exact balance. */
    public double exactBalancesPerTap() {
        return per(exactBalances);
    }

    /** INITIALIZE FOR PURCHASE answered 9401: the terminal learned "this card holds less than the amount". */
    public double shortfallsPerTap() {
        return per(shortfalls);
    }

    /** GPO answered 9401: the terminal learned "no card on this SIM holds the amount". */
    public double noCardCoversPerTap() {
        return per(noCardCovers);
    }

    public double applicationsSelectedPerTap() {
        return per(applicationsSelected);
    }

    public double simulatorMillisPerTap() {
        return per(simulatorNanos) / 1e6;
    }

    /** Median time inside the simulator per tap. */
    public double medianSimulatorMillisPerTap() {
        return tapSimulatorNanos.medianMillis();
    }

    /** Median CPU time of this thread inside the simulator per tap. */
    public double medianSimulatorCpuMillisPerTap() {
        return tapSimulatorCpuNanos.medianMillis();
    }

    public double simulatorCpuMillisPerTap() {
        return tapSimulatorCpuNanos.meanMillis();
    }

    public double selectionMillisPerTap() {
        return per(selectionNanos) / 1e6;
    }

    public double gpoMillisPerTap() {
        return per(gpoNanos) / 1e6;
    }

    public double gpoCpuMillisPerTap() {
        return per(gpoCpuNanos) / 1e6;
    }

    public long apdus() {
        return apdus;
    }

    public long simulatorNanos() {
        return simulatorNanos;
    }

    private double per(double total) {
        return taps == 0 ? 0 : total / taps;
    }
}

package nfcpay.bench.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nfcpay.bench.air.BitRate;
import nfcpay.bench.measure.SelectionScaling;
import nfcpay.bench.measure.StrategyResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;

/** The PNG charts, drawn with XChart (headless). */
public final class Charts {

    public static final String SUCCESS_BY_STRATEGY = "success_by_strategy.png";
    public static final String SUCCESS_BY_DAY = "success_by_day.png";
    public static final String COST_BY_APPLICATIONS = "cost_by_applications.png";
    public static final String SPEED_BY_APPLICATIONS = "speed_by_applications.png";

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private Charts() {}

    public static List<Path> write(Results results, Path dir) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<Path> files = new ArrayList<>();
        files.add(save(successByStrategy(results), dir.resolve(SUCCESS_BY_STRATEGY)));
        files.add(save(successByDay(results), dir.resolve(SUCCESS_BY_DAY)));
        files.add(save(costByApplications(results), dir.resolve(COST_BY_APPLICATIONS)));
        files.add(save(speedByApplications(results), dir.resolve(SPEED_BY_APPLICATIONS)));
        return files;
    }

    static CategoryChart successByStrategy(Results results) {
        List<String> names = new ArrayList<>();
        List<Double> firstTap = new ArrayList<>();
        List<Double> longRun = new ArrayList<>();
        double min = 1;
        for (StrategyResult r : results.strategies()) {
            names.add(r.strategy().name());
            firstTap.add(100 * r.firstTapSuccess());
            longRun.add(100 * r.longRunSuccess());
            min = Math.min(min, Math.min(r.firstTapSuccess(), r.longRunSuccess()));
        }
        // Differences of a point or two vanish on a 0..100 axis: start below the lowest bar, and say so.
        double axisMin = Math.max(0, Math.floor(100 * min / 5) * 5 - 5);
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Purchases approved on the first tap (%), y axis from " + (int) axisMin)
                .xAxisTitle("strategy").yAxisTitle("% of purchases").build();
        chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
        chart.getStyler().setYAxisMin(axisMin);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsRotation(90);
        chart.getStyler().setDecimalPattern("0.0");
        chart.getStyler().setXAxisLabelRotation(15);
        chart.addSeries("all days", names, firstTap);
        chart.addSeries("last third of the days", names, longRun);
        return chart;
    }

    static XYChart successByDay(Results results) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("First-tap success by simulated day (%)")
                .xAxisTitle("day").yAxisTitle("% of the day's purchases").build();
        chart.getStyler().setLegendPosition(LegendPosition.InsideSW);
        chart.getStyler().setMarkerSize(4);
        for (StrategyResult r : results.strategies()) {
            List<Double> byDay = r.successByDay();
            double[] x = new double[byDay.size()];
            double[] y = new double[byDay.size()];
            for (int d = 0; d < x.length; d++) {
                x[d] = d + 1;
                y[d] = 100 * byDay.get(d);
            }
            chart.addSeries(r.strategy().name(), x, y);
        }
        return chart;
    }

    static XYChart costByApplications(Results results) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Modelled air time per purchase at 106 kbit/s (ISO/IEC 14443-4)")
                .xAxisTitle("card applications on the SIM").yAxisTitle("ms").build();
        chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(6);
        List<SelectionScaling.Point> points = results.scaling();
        double[] x = new double[points.size()];
        double[] selection = new double[points.size()];
        double[] purchase = new double[points.size()];
        List<Double> walkX = new ArrayList<>();
        List<Double> walk = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            SelectionScaling.Point p = points.get(i);
            x[i] = p.cards();
            selection[i] = p.smart().selectionAirMillisPerTap(BitRate.KBPS_106);
            purchase[i] = p.smart().airMillisPerTap(BitRate.KBPS_106);
            if (p.walk() != null) {
                walkX.add((double) p.cards());
                walk.add(p.walk().airMillisPerTap(BitRate.KBPS_106));
            }
        }
        chart.addSeries("smart: selection (SELECT PPSE + GPO)", x, selection);
        chart.addSeries("smart: whole purchase", x, purchase);
        if (!walk.isEmpty()) {
            chart.addSeries("legacy walk, worst case (all cards but the last empty)", walkX, walk);
        }
        return chart;
    }

    static XYChart speedByApplications(Results results) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("In-process CPU time per smart purchase (one thread, jcardsim)")
                .xAxisTitle("card applications on the SIM").yAxisTitle("ms of CPU").build();
        chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(6);
        List<SelectionScaling.Point> points = results.scaling();
        double[] x = new double[points.size()];
        double[] purchase = new double[points.size()];
        double[] simulator = new double[points.size()];
        double[] gpo = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            SelectionScaling.Point p = points.get(i);
            x[i] = p.cards();
            purchase[i] = p.cpu().medianMillis();
            simulator[i] = p.smart().medianSimulatorCpuMillisPerTap();
            gpo[i] = p.smart().gpoCpuMillisPerTap();
        }
        chart.addSeries("whole purchase (kernel + journal on tmpfs + simulator), median", x, purchase);
        chart.addSeries("inside the simulator, median", x, simulator);
        chart.addSeries("GPO inside the simulator (the card's selection), mean", x, gpo);
        return chart;
    }

    private static Path save(Chart<?, ?> chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }
}

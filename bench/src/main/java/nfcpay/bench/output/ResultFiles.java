package nfcpay.bench.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import nfcpay.bench.air.BitRate;
import nfcpay.bench.measure.SelectionScaling;
import nfcpay.bench.measure.StrategyResult;

/** Writes results.json, results.csv, selection_scaling.csv and results.md. */
public final class ResultFiles {

    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";
    public static final String SCALING_CSV = "selection_scaling.csv";
    public static final String MARKDOWN = "results.md";

    /** The header of results.csv. */
    public static final String CSV_HEADER = "strategy,holders,purchases,approved,declined,first_tap_success,coverable_declined,"
            + "declined_no_card_covered,long_run_success,success_below_100,success_from_100,paid_by_default_card,apdus_per_purchase,bytes_per_purchase,"
            + "air_time_ms_106k,air_time_ms_212k,air_time_ms_424k,selection_air_time_ms_106k,balances_disclosed,"
            + "exact_balances_disclosed,shortfalls_disclosed,no_card_covers_disclosed,wall_ms_per_purchase,"
            + "cpu_ms_per_purchase,simulator_ms_per_purchase";

    /** The header of selection_scaling.csv. */
    public static final String SCALING_CSV_HEADER = "cards,purchases,apdus_per_purchase,bytes_per_purchase,selection_apdus,"
            + "selection_bytes,selection_air_time_ms_106k,selection_air_time_ms_212k,selection_air_time_ms_424k,"
            + "air_time_ms_106k,air_time_ms_212k,air_time_ms_424k,wall_ms_per_purchase_median,wall_ms_per_selection,wall_ms_gpo,"
            + "purchases_per_second,simulator_apdus_per_second,simulator_bound_purchases_per_second,"
            + "raw_selection_apdus_per_second,cpu_ms_per_purchase_median,cpu_ms_gpo,purchases_per_cpu_second,"
            + "simulator_bound_purchases_per_cpu_second,raw_selection_apdus_per_cpu_second,walk_apdus_per_purchase,"
            + "walk_bytes_per_purchase,walk_air_time_ms_106k";

    private ResultFiles() {}

    public static List<Path> write(Results results, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(write(dir.resolve(JSON), Json.write(results.tree())));
        files.add(write(dir.resolve(CSV), csv(results)));
        files.add(write(dir.resolve(SCALING_CSV), scalingCsv(results)));
        files.add(write(dir.resolve(MARKDOWN), Markdown.of(results)));
        return files;
    }

    static String csv(Results results) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (StrategyResult r : results.strategies()) {
            row(out, r.strategy().name(), r.holders(), r.purchases(), r.approved(), r.declined(), r.firstTapSuccess(),
                    r.coverableDeclined(), r.noCardCovered(), r.longRunSuccess(), r.smallSuccess(), r.largeSuccess(),
                    r.approved() == 0 ? 0.0 : (double) r.paidByDefaultCard() / r.approved(), r.cost().apdusPerTap(),
                    r.cost().bytesPerTap(), r.cost().airMillisPerTap(BitRate.KBPS_106), r.cost().airMillisPerTap(BitRate.KBPS_212),
                    r.cost().airMillisPerTap(BitRate.KBPS_424), r.cost().selectionAirMillisPerTap(BitRate.KBPS_106),
                    r.balancesDisclosed(), r.cost().exactBalancesPerTap(), r.cost().shortfallsPerTap(),
                    r.cost().noCardCoversPerTap(), r.wallMillisPerPurchase(), r.cpuMillisPerPurchase(),
                    r.cost().simulatorMillisPerTap());
        }
        return out.toString();
    }

    static String scalingCsv(Results results) {
        StringBuilder out = new StringBuilder(SCALING_CSV_HEADER).append('\n');
        for (SelectionScaling.Point p : results.scaling()) {
            var s = p.smart();
            var w = p.walk();
            row(out, p.cards(), s.taps(), s.apdusPerTap(), s.bytesPerTap(), s.selectionApdusPerTap(), s.selectionBytesPerTap(),
                    s.selectionAirMillisPerTap(BitRate.KBPS_106), s.selectionAirMillisPerTap(BitRate.KBPS_212),
                    s.selectionAirMillisPerTap(BitRate.KBPS_424), s.airMillisPerTap(BitRate.KBPS_106),
                    s.airMillisPerTap(BitRate.KBPS_212), s.airMillisPerTap(BitRate.KBPS_424), p.wallMillisPerPurchase(),
                    s.selectionMillisPerTap(), s.gpoMillisPerTap(), p.purchasesPerSecond(), p.simulatorApdusPerSecond(),
                    p.simulatorBoundPurchasesPerSecond(), p.rawSelectionApdusPerSecond(), p.cpu().medianMillis(),
                    s.gpoCpuMillisPerTap(), p.purchasesPerCpuSecond(), p.simulatorBoundPurchasesPerCpuSecond(),
                    p.rawSelectionApdusPerCpuSecond(), w == null ? null : w.apdusPerTap(),
                    w == null ? null : w.bytesPerTap(), w == null ? null : w.airMillisPerTap(BitRate.KBPS_106));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            Object c = cells[i];
            if (c instanceof Double d) {
                out.append(String.format(Locale.ROOT, "%.6g", d));
            } else if (c != null) {
                out.append(c);
            }
        }
        out.append('\n');
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}

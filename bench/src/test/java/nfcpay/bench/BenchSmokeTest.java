package nfcpay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import nfcpay.bench.measure.Strategy;
import nfcpay.bench.output.Charts;
import nfcpay.bench.output.ResultFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run (a handful of purchases, 1..2 cards in the scaling): the SHAPE of the output only, no figure. */
class BenchSmokeTest {

    private static final List<String> STRATEGY_FIELDS = List.of("first_tap_success", "coverable_declined",
            "apdus_per_purchase", "bytes_per_purchase", "air_time_ms_106k", "air_time_ms_212k", "air_time_ms_424k",
            "balances_disclosed", "long_run_success");

    @TempDir
    static Path out;

    private static BenchReport report;
    private static final List<String> phases = new ArrayList<>();

    @BeforeAll
    static void runTiny() throws BenchException {
        report = BenchmarkRunner.run(BenchOptions.smoke(99, out), (phase, done, total) -> {
            assertThat(done).isBetween(0L, total);
            if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
                phases.add(phase);
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void resultsJsonHasEveryStrategyWithItsFiguresAndTheSelectionScaling() throws IOException {
        Map<String, Object> root = new Gson().fromJson(Files.readString(out.resolve(ResultFiles.JSON)), Map.class);
        assertThat(root).containsKeys("seed", "quick", "command", "workload", "air_time_model", "strategies",
                "selection_scaling", "journal_cost");
        assertThat(root.get("seed")).isEqualTo(99.0);
        assertThat(root.get("command")).isEqualTo("nfcpay bench --smoke --seed 99 --out " + out);
        Map<String, Object> strategies = (Map<String, Object>) root.get("strategies");
        assertThat(strategies.keySet()).containsExactly("DEFAULT_CARD", "TERMINAL_RETRY", "SMART_PRIORITY", "SMART_BEST_FIT",
                "SMART_MOST_FUNDS", "SMART_ANY");
        for (Object s : strategies.values()) {
            Map<String, Object> figures = (Map<String, Object>) s;
            assertThat(figures).containsKeys(STRATEGY_FIELDS.toArray(new String[0]));
            assertThat((Double) figures.get("first_tap_success")).isBetween(0.0, 1.0);
            assertThat((Double) figures.get("purchases")).isGreaterThanOrEqualTo(6.0);
        }
        Map<String, Object> scaling = (Map<String, Object>) root.get("selection_scaling");
        List<Object> points = (List<Object>) scaling.get("points");
        assertThat(points).hasSize(2);
        assertThat((Map<String, Object>) points.get(1)).containsKeys("cards", "selection_air_time_ms_106k",
                "wall_ms_per_purchase_median", "bytes_per_purchase", "purchases_per_second", "raw_selection_apdus_per_second",
                "legacy_walk_worst_case");
        Map<String, Object> workload = (Map<String, Object>) root.get("workload");
        assertThat(workload).containsKeys("seed", "holders", "purchases", "parameters");
    }

    @Test
    void csvFilesHaveTheirHeaderAndARowPerStrategyAndPerNumberOfCards() throws IOException {
        List<String> csv = Files.readAllLines(out.resolve(ResultFiles.CSV));
        assertThat(csv.get(0)).isEqualTo(ResultFiles.CSV_HEADER);
        assertThat(csv).hasSize(1 + Strategy.values().length);
        assertThat(csv.subList(1, csv.size())).allMatch(row -> row.split(",", -1).length == csv.get(0).split(",").length);
        assertThat(csv.get(1)).startsWith("DEFAULT_CARD,");
        List<String> scaling = Files.readAllLines(out.resolve(ResultFiles.SCALING_CSV));
        assertThat(scaling.get(0)).isEqualTo(ResultFiles.SCALING_CSV_HEADER);
        assertThat(scaling).hasSize(3);
    }

    @Test
    void markdownHasBothTablesAndTheReportReturnsIt() throws IOException {
        String md = Files.readString(out.resolve(ResultFiles.MARKDOWN));
        assertThat(md).contains("smoke run", "| strategy |", "| SMART_BEST_FIT |", "| cards |", "test keys");
        assertThat(report.markdown()).isEqualTo(md);
    }

    @Test
    void pngChartsExistAndDecode() throws IOException {
        for (String name : List.of(Charts.SUCCESS_BY_STRATEGY, Charts.SUCCESS_BY_DAY, Charts.COST_BY_APPLICATIONS,
                Charts.SPEED_BY_APPLICATIONS)) {
            BufferedImage image = ImageIO.read(out.resolve(name).toFile());
            assertThat(image).as(name).isNotNull();
            assertThat(image.getWidth()).as(name).isGreaterThan(100);
        }
        assertThat(report.files()).contains(out.resolve(ResultFiles.JSON), out.resolve(Charts.SUCCESS_BY_STRATEGY));
    }

    @Test
    void progressWentThroughEveryPhase() {
        assertThat(String.join("|", phases)).contains("six strategies: holder 1 of", "selection scaling", "journal cost", "writing results");
    }

    @Test
    void anOutputPathThatIsAFileIsOneLineError() throws IOException {
        Path file = Files.writeString(out.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> BenchmarkRunner.run(BenchOptions.smoke(1, file), ProgressListener.NONE))
                .isInstanceOf(BenchException.class).hasMessageContaining("cannot write the results");
    }
}

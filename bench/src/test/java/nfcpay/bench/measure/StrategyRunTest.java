package nfcpay.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import nfcpay.bench.air.AirTimeModel;
import nfcpay.bench.air.BitRate;
import nfcpay.bench.workload.CardSpec;
import nfcpay.bench.workload.Event;
import nfcpay.bench.workload.Holder;
import nfcpay.bench.workload.TopUpHabit;
import nfcpay.bench.workload.Workload;
import nfcpay.bench.workload.WorkloadParameters;
import nfcpay.terminal.TerminalException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One holder, two cards (Daily 10.00 is the default, Salary 500.00), one purchase of 20.00 that
 * only the second card covers, then a top-up of the default card and a purchase of 15.00 it pays:
 * what each strategy must do and what the bench must count, APDU by APDU.
 */
class StrategyRunTest {

    @TempDir
    static Path dir;

    private static final Map<Strategy, StrategyResult> RESULTS = new EnumMap<>(Strategy.class);

    @BeforeAll
    static void runEveryStrategy() throws TerminalException {
        LocalDate start = LocalDate.of(2026, 3, 2);
        Holder holder = new Holder(0, 77, List.of(new CardSpec("Daily", 1_000), new CardSpec("Salary", 50_000)), 1,
                TopUpHabit.WHEN_LOW, List.of(
                        new Event.Purchase(0, LocalDateTime.of(start, java.time.LocalTime.of(9, 0)), 2_000),
                        new Event.TopUp(1, LocalDateTime.of(start.plusDays(1), java.time.LocalTime.of(7, 0)), 0, 5_000),
                        new Event.Purchase(1, LocalDateTime.of(start.plusDays(1), java.time.LocalTime.of(9, 0)), 1_500)));
        Workload workload = new Workload(WorkloadParameters.defaults(2, 1), 1, List.of(holder));
        for (Strategy s : Strategy.values()) {
            try (StrategyRun run = new StrategyRun(s, workload, AirTimeModel.standard(), dir)) {
                run.runHolder(holder, () -> {});
                RESULTS.put(s, run.result());
            }
        }
    }

    @Test
    void theDefaultCardAloneDeclinesWhatTheSalaryCardCouldPay() {
        StrategyResult r = RESULTS.get(Strategy.DEFAULT_CARD);
        assertThat(r.purchases()).isEqualTo(2);
        assertThat(r.approved()).isEqualTo(1);
        assertThat(r.coverableDeclined()).isEqualTo(1);
        assertThat(r.firstTapSuccess()).isEqualTo(0.5);
        // SELECT PPSE, SELECT Daily, INITIALIZE (9401) | SELECT PPSE, SELECT Daily, INITIALIZE, DEBIT
        assertThat(r.cost().apdusPerTap()).isEqualTo(3.5);
        assertThat(r.cost().shortfallsPerTap()).isEqualTo(0.5);
        assertThat(r.cost().exactBalancesPerTap()).isEqualTo(0.5);
        assertThat(r.paidByDefaultCard()).isEqualTo(1);
    }

    @Test
    void theTerminalWalksToTheSalaryCardAndLearnsTheDefaultCardIsShort() {
        StrategyResult r = RESULTS.get(Strategy.TERMINAL_RETRY);
        assertThat(r.approved()).isEqualTo(2);
        assertThat(r.coverableDeclined()).isZero();
        // SELECT PPSE, SELECT Daily, INITIALIZE (9401), SELECT Salary, INITIALIZE, DEBIT | 4 APDUs
        assertThat(r.cost().apdusPerTap()).isEqualTo(5.0);
        assertThat(r.cost().applicationsSelectedPerTap()).isEqualTo(1.5);
        assertThat(r.balancesDisclosed()).isEqualTo(1.5);
        assertThat(r.cost().shortfallsPerTap()).isEqualTo(0.5);
    }

    @Test
    void smartSelectionPaysOnTheFirstTapAndDisclosesOnlyThePayingCardsBalance() {
        for (Strategy s : List.of(Strategy.SMART_PRIORITY, Strategy.SMART_BEST_FIT, Strategy.SMART_MOST_FUNDS,
                Strategy.SMART_ANY)) {
            StrategyResult r = RESULTS.get(s);
            assertThat(r.approved()).as(s.name()).isEqualTo(2);
            // SELECT PPSE, GPO, SELECT, INITIALIZE, DEBIT, both times
            assertThat(r.cost().apdusPerTap()).as(s.name()).isEqualTo(5.0);
            assertThat(r.cost().selectionApdusPerTap()).as(s.name()).isEqualTo(2.0);
            assertThat(r.cost().shortfallsPerTap()).as(s.name()).isZero();
            assertThat(r.cost().exactBalancesPerTap()).as(s.name()).isEqualTo(1.0);
        }
        // 15.00 after the top-up: Daily (60.00) and Salary (480.00) both cover it
        assertThat(RESULTS.get(Strategy.SMART_PRIORITY).paidByDefaultCard()).isEqualTo(1);
        assertThat(RESULTS.get(Strategy.SMART_BEST_FIT).paidByDefaultCard()).isEqualTo(1);
        assertThat(RESULTS.get(Strategy.SMART_MOST_FUNDS).paidByDefaultCard()).isZero();
    }

    @Test
    void everyStrategyLoadsThroughTheLoadProtocolAndCountsBytesAndAirTime() {
        for (StrategyResult r : RESULTS.values()) {
            assertThat(r.topUps()).isEqualTo(1);
            assertThat(r.loadedMinor()).isEqualTo(5_000);
            // SELECT, INITIALIZE FOR LOAD, CREDIT FOR LOAD
            assertThat(r.loadCost().apdusPerTap()).isEqualTo(3.0);
            assertThat(r.cost().bytesPerTap()).isGreaterThan(r.cost().apdusPerTap() * 4);
            assertThat(r.cost().airMillisPerTap(BitRate.KBPS_106)).isGreaterThan(r.cost().airMillisPerTap(BitRate.KBPS_212))
                    .isGreaterThan(0);
        }
        // the same success, the same bytes in the directory: the smart PPSE's FCI adds 9F38 and a GPO
        assertThat(RESULTS.get(Strategy.SMART_PRIORITY).cost().selectionBytesPerTap())
                .isGreaterThan(RESULTS.get(Strategy.TERMINAL_RETRY).cost().selectionBytesPerTap());
    }
}

package nfcpay.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {

    private static final WorkloadParameters TWO_WEEKS = WorkloadParameters.defaults(14, 3_000);

    @Test
    void theSameSeedGivesTheSameWorkloadAndAnotherSeedAnotherOne() {
        Workload a = new WorkloadGenerator(TWO_WEEKS).generate(42);
        Workload b = new WorkloadGenerator(TWO_WEEKS).generate(42);
        Workload c = new WorkloadGenerator(TWO_WEEKS).generate(43);
        assertThat(a).isEqualTo(b);
        assertThat(a.holders()).isNotEqualTo(c.holders());
        assertThat(a.purchases()).isGreaterThanOrEqualTo(3_000);
    }

    @Test
    void aHolderDoesNotDependOnHowManyOthersAreDrawn() {
        Workload small = new WorkloadGenerator(WorkloadParameters.defaults(14, 100)).generate(7);
        Workload large = new WorkloadGenerator(WorkloadParameters.defaults(14, 2_000)).generate(7);
        assertThat(large.holders()).startsWith(small.holders().toArray(new Holder[0]));
    }

    @Test
    void cardsAreOneToSixMostlyTwoOrThreeWithDistinctShortLabels() {
        Workload w = new WorkloadGenerator(WorkloadParameters.defaults(7, 20_000)).generate(1);
        int[] byCount = new int[7];
        for (Holder h : w.holders()) {
            byCount[h.cards().size()]++;
            List<String> labels = h.cards().stream().map(CardSpec::label).toList();
            assertThat(new HashSet<>(labels)).hasSameSizeAs(labels);
            assertThat(labels).allMatch(l -> !l.isEmpty() && l.length() <= 16);
            assertThat(h.cards()).allMatch(c -> c.initialBalanceMinor() >= 0
                    && c.initialBalanceMinor() <= TWO_WEEKS.cards().maxBalance() / 2);
        }
        int holders = w.holders().size();
        assertThat(byCount[0]).isZero();
        for (int n = 1; n <= 6; n++) {
            assertThat(byCount[n]).as("holders with %d cards", n).isPositive();
        }
        assertThat((double) (byCount[2] + byCount[3]) / holders).isBetween(0.55, 0.75);
        assertThat((double) byCount[1] / holders).isBetween(0.05, 0.15);
    }

    @Test
    void purchaseAmountsAreLogNormalWithOccasionalLargeOnesRoundedToTenFen() {
        Workload w = new WorkloadGenerator(WorkloadParameters.defaults(14, 20_000)).generate(3);
        long[] amounts = events(w).stream().filter(e -> e instanceof Event.Purchase)
                .mapToLong(e -> ((Event.Purchase) e).amountMinor()).sorted().toArray();
        assertThat(Arrays.stream(amounts).allMatch(a -> a % 10 == 0 && a >= 100 && a <= 2_000_000)).isTrue();
        long median = amounts[amounts.length / 2];
        // 92% log-normal around 22.00 and 8% around 300.00: the median sits a little above 22.00
        assertThat(median).isBetween(2_100L, 2_800L);
        double large = Arrays.stream(amounts).filter(a -> a >= 10_000).count() / (double) amounts.length;
        assertThat(large).isBetween(0.08, 0.14);
        assertThat(amounts[amounts.length - 1]).isGreaterThan(50_000);
    }

    @Test
    void eventsAreInTimeOrderWithinShoppingHoursAndTopUpsInTheMorning() {
        Workload w = new WorkloadGenerator(TWO_WEEKS).generate(5);
        WorkloadParameters.Spending s = TWO_WEEKS.spending();
        double purchaseDays = 0;
        for (Holder h : w.holders()) {
            for (int i = 1; i < h.events().size(); i++) {
                assertThat(h.events().get(i).at()).isAfterOrEqualTo(h.events().get(i - 1).at());
            }
            for (Event e : h.events()) {
                assertThat(e.at().toLocalDate()).isEqualTo(TWO_WEEKS.startDate().plusDays(e.day()));
                assertThat(e.day()).isBetween(0, 13);
                if (e instanceof Event.TopUp t) {
                    assertThat(t.at().toLocalTime()).isEqualTo(LocalTime.of(7, 0));
                    assertThat(t.card()).isBetween(0, h.cards().size() - 1);
                    assertThat(t.amountMinor()).isPositive();
                } else {
                    LocalTime time = e.at().toLocalTime();
                    assertThat(time).isAfterOrEqualTo(s.opens()).isBefore(s.closes());
                }
            }
            purchaseDays += h.purchasesPerDay() * TWO_WEEKS.days();
        }
        // Poisson counts: the total is close to the sum of the holders' means
        assertThat((double) w.purchases()).isCloseTo(purchaseDays, within(purchaseDays * 0.08));
    }

    @Test
    void everyHabitTopsUpAndNoCardCanBeLoadedAboveItsMaximum() {
        Workload w = new WorkloadGenerator(WorkloadParameters.defaults(30, 10_000)).generate(9);
        long[] topUpsByHabit = new long[TopUpHabit.values().length];
        for (Holder h : w.holders()) {
            long[] bound = h.cards().stream().mapToLong(CardSpec::initialBalanceMinor).toArray();
            for (Event e : h.events()) {
                if (e instanceof Event.TopUp t) {
                    topUpsByHabit[h.habit().ordinal()]++;
                    bound[t.card()] += t.amountMinor();
                    if (h.habit() == TopUpHabit.WHEN_LOW) {
                        assertThat(t.card()).isZero();
                    }
                }
            }
            assertThat(Arrays.stream(bound).max().orElseThrow()).isLessThanOrEqualTo(w.parameters().cards().maxBalance());
        }
        assertThat(Arrays.stream(topUpsByHabit).min().orElseThrow()).isPositive();
        // RARELY tops up least often, per holder
        long rarely = w.holders().stream().filter(h -> h.habit() == TopUpHabit.RARELY).count();
        long periodic = w.holders().stream().filter(h -> h.habit() == TopUpHabit.PERIODIC).count();
        assertThat((double) topUpsByHabit[TopUpHabit.RARELY.ordinal()] / rarely)
                .isLessThan((double) topUpsByHabit[TopUpHabit.PERIODIC.ordinal()] / periodic);
    }

    @Test
    void distributionsHaveTheirDocumentedCentres() {
        SplittableRandom r = new SplittableRandom(11);
        double[] x = new double[100_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = Distributions.logNormal(r, 2_200, 0.8);
        }
        Arrays.sort(x);
        assertThat(x[x.length / 2]).isCloseTo(2_200, within(50.0));
        double mean = 0;
        for (int i = 0; i < 100_000; i++) {
            mean += Distributions.poisson(r, 1.8);
        }
        assertThat(mean / 100_000).isCloseTo(1.8, within(0.02));
        int[] picks = new int[3];
        for (int i = 0; i < 100_000; i++) {
            picks[Distributions.weighted(r, new double[] {0.3, 0.5, 0.2})]++;
        }
        assertThat(picks[1] / 100_000.0).isCloseTo(0.5, within(0.01));
        assertThat(Distributions.roundTo(2_204, 10)).isEqualTo(2_200);
        assertThat(Distributions.roundUpTo(40_001, 5_000)).isEqualTo(45_000);
    }

    private static List<Event> events(Workload w) {
        List<Event> all = new ArrayList<>();
        w.holders().forEach(h -> all.addAll(h.events()));
        return all;
    }
}

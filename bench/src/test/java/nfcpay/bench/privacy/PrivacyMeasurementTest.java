package nfcpay.bench.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nfcpay.bench.privacy.PrivacyMeasurement.Attack;
import nfcpay.bench.privacy.PrivacyMeasurement.CardResult;
import nfcpay.bench.privacy.PrivacyMeasurement.Row;
import org.junit.jupiter.api.Test;

/**
 * The hostile reader against the real applets: what each way learns under each policy. These hold the
 * facts docs/benchmarks.md "What a hostile reader learns" states; the figures themselves are printed by
 * {@code nfcpay bench privacy}.
 */
class PrivacyMeasurementTest {

    private final PrivacyMeasurement m = new PrivacyMeasurement(20260301L);

    @Test
    void getBalanceAndInitializeReadEveryCardOfTheDirectoryInTwoExchangesEachAfterThePpse() {
        for (Attack a : List.of(Attack.GET_BALANCE, Attack.INITIALIZE_FOR_PURCHASE)) {
            for (String policy : List.of("PRIORITY", "MOST_FUNDS", "LEGACY")) {
                Row r = m.attack(PrivacyMeasurement.MIXED, policy, a);
                assertThat(r.learned()).as("%s %s", a, policy).isEqualTo(5);
                assertThat(r.allCorrect()).isTrue();
                assertThat(r.exchanges()).isEqualTo(1 + 2 * 5);
                assertThat(r.cards()).extracting(CardResult::afterExchanges).containsExactly(3, 5, 7, 9, 11);
            }
        }
    }

    @Test
    void underMostFundsTheGpoOracleGivesTheTopCardOnlyInAbout23Pairs() {
        Row r = m.attack(PrivacyMeasurement.MIXED, "MOST_FUNDS", Attack.GPO_SEARCH);

        assertThat(r.cards()).extracting(CardResult::afterExchanges).filteredOn(e -> e >= 0).hasSize(1);
        assertThat(r.cards().get(4).correct()).as("Travel Card, the largest balance").isTrue();
        // one probe for who is picked, a binary search over 1..5,000,000 fen (23 probes), one probe above it
        assertThat(r.exchanges()).isBetween(2 * 23, 2 * 26);
    }

    @Test
    void underPriorityACardWithLessThanACardBeforeItStaysHiddenFromTheOracle() {
        Row r = m.attack(PrivacyMeasurement.MIXED, "PRIORITY", Attack.GPO_SEARCH);

        // Canteen 86.40, Salary 2,310.00 and Travel 9,875.25 are each the first in the order to cover some
        // amount; Bus Pass 12.00 and Savings 640.50 never are.
        assertThat(r.cards()).extracting(c -> c.afterExchanges() >= 0).containsExactly(true, true, false, false, true);
        assertThat(r.allCorrect()).isTrue();
    }

    @Test
    void bestFitAndAnyGiveEveryBalanceAwayAndALegacyPpseHasNoOracle() {
        Row bestFit = m.attack(PrivacyMeasurement.MIXED, "BEST_FIT", Attack.GPO_SEARCH);
        Row any = m.attack(PrivacyMeasurement.MIXED, "ANY", Attack.GPO_SEARCH);
        Row legacy = m.attack(PrivacyMeasurement.MIXED, "LEGACY", Attack.GPO_SEARCH);

        assertThat(bestFit.learned()).isEqualTo(5);
        assertThat(bestFit.allCorrect()).isTrue();
        assertThat(any.learned()).isEqualTo(5);
        assertThat(any.allCorrect()).isTrue();
        assertThat(any.exchanges()).as("the random pick costs repeats").isGreaterThan(bestFit.exchanges());
        assertThat(legacy.available()).isFalse();
        assertThat(legacy.learned()).isZero();
    }

    @Test
    void theTablesNameEveryPolicyAndAttack() {
        String md = PrivacyMeasurement.markdown(m.run(List.of(PrivacyMeasurement.DEMO)));

        assertThat(md).contains("Wallet \"demo\"", "| PRIORITY | GPO_SEARCH |", "| LEGACY | GPO_SEARCH |",
                "not answered (6D00)", "| ANY | GET_BALANCE | 7 |").doesNotContain("WRONG");
    }
}

package nfcpay.reliability.tearing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exhaustive tearing: every persistence event of each command is a tear point, each on a fresh SIM.
 * The counts are printed and written to {@code target/tearing-report.txt}.
 */
class TearingTest {

    private static final TearReport REPORT = new TearReport();

    private static TearCampaign.Result campaign(TearScenario<?> scenario) {
        TearCampaign.Result result = TearCampaign.run(scenario);
        REPORT.add(result, false);
        return result;
    }

    @AfterAll
    static void writeReport() {
        REPORT.write(Path.of("target", "tearing-report.txt"));
    }

    @ParameterizedTest(name = "after {0} purchases")
    @ValueSource(ints = {0, 1, 8, 9, 12})
    void debitForPurchaseIsAllOrNothingAtEveryTearPoint(int previousPurchases) {
        TearCampaign.Result r = campaign(new DebitScenario(previousPurchases));
        assertThat(r.events()).isGreaterThan(10);
        assertThat(r.allViolations()).isEmpty();
    }

    @ParameterizedTest(name = "after {0} more loads")
    @ValueSource(ints = {0, 1, 9})
    void creditForLoadIsAllOrNothingAtEveryTearPoint(int previousLoads) {
        TearCampaign.Result r = campaign(new CreditScenario(previousLoads));
        assertThat(r.events()).isGreaterThan(10);
        assertThat(r.allViolations()).isEmpty();
    }

    @ParameterizedTest(name = "with {0} purses already registered")
    @ValueSource(ints = {0, 1, 3})
    void personalizationWithRegistrationIsAllOrNothingAtEveryTearPoint(int existingPurses) {
        TearCampaign.Result r = campaign(new PersonalizationScenario(existingPurses));
        assertThat(r.events()).isGreaterThan(10);
        assertThat(r.allViolations()).isEmpty();
    }

    @Test
    void aFirstRegistrationIsAllOrNothingAtEveryTearPoint() {
        TearCampaign.Result r = campaign(new RegistrationScenario(false, true));
        assertThat(r.events()).isGreaterThan(10);
        assertThat(r.allViolations()).isEmpty();
    }

    @Test
    void reRegistrationIsAllOrNothingAtEveryTearPoint() {
        TearCampaign.Result r = campaign(new RegistrationScenario(true, true));
        assertThat(r.events()).isGreaterThan(10);
        assertThat(r.allViolations()).isEmpty();
    }

    @Test
    void theTenthWrongMacLocksOrIsStillToComeAtEveryTearPoint() {
        TearCampaign.Result r = campaign(new MacLockScenario());
        assertThat(r.events()).isGreaterThan(1);
        assertThat(r.allViolations()).isEmpty();
    }

    @Test
    void purgingADeletedApplicationKeepsTheOthersAtEveryTearPoint() {
        TearCampaign.Result r = campaign(new PurgeScenario());
        assertThat(r.events()).isGreaterThan(5);
        assertThat(r.allViolations()).isEmpty();
    }

    /**
     * Control: a card application that stores its credential after the selector's own transaction has
     * committed is not atomic, and the campaign must say so. If this found nothing, the harness would be
     * blind to the kind of bug it exists for.
     */
    @Test
    void controlTheCampaignCatchesARegistrationSplitOverTwoTransactions() {
        TearCampaign.Result r = TearCampaign.run(new RegistrationScenario(true, false));
        REPORT.add(r, true);
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("a record no longer verifies"));
    }
}

package nfcpay.reliability.tearing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.Mutation;
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
    void anUnblockLiftsTheMacLockAndItsCountTogetherAtEveryTearPoint() {
        TearCampaign.Result r = campaign(ScriptLockScenario.unblock());
        assertThat(r.events()).isGreaterThan(1);
        assertThat(r.allViolations()).isEmpty();
    }

    @Test
    void theTenthWrongScriptMacRetiresTheKeyOrIsStillToComeAtEveryTearPoint() {
        TearCampaign.Result r = campaign(ScriptLockScenario.tenthWrongMac());
        assertThat(r.events()).isGreaterThan(1);
        assertThat(r.allViolations()).isEmpty();
    }

    /** Control: a wrong script MAC that answers 6988 without counting: the campaign must see the try given back. */
    @Test
    void controlTheScriptCampaignCatchesAWrongScriptMacThatIsNotCounted() {
        TearCampaign.Result r = control(ScriptLockScenario.tenthWrongMac(CardClassLoader.mutant(Mutation.removeFieldWrite(
                PURSE, "processIssuerScript", "scriptFailures", 0, "6988 without counting the script failure"))));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("gave back a script MAC try"));
    }

    @Test
    void aPurseRejoiningAReinstalledSelectorIsAllOrNothingAtEveryTearPoint() {
        TearCampaign.Result r = campaign(new RejoinScenario(CardClassLoader.genuine()));
        assertThat(r.events()).isGreaterThan(10);
        assertThat(r.allViolations()).isEmpty();
    }

    /** Control: without the purse's transaction the selector's entry lands alone, and the purse's record fails. */
    @Test
    void controlTheCampaignCatchesARejoinOutsideATransaction() {
        TearCampaign.Result r = control(new RejoinScenario(withoutTransaction("rejoinSelector")));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("does not verify") || v.contains("not registered, but"));
    }

    @Test
    void purgingADeletedApplicationKeepsTheOthersAtEveryTearPoint() {
        TearCampaign.Result r = campaign(new PurgeScenario());
        assertThat(r.events()).isGreaterThan(5);
        assertThat(r.allViolations()).isEmpty();
    }

    @ParameterizedTest(name = "{0} tries left")
    @ValueSource(ints = {3, 2, 1})
    void aWrongPinSpendsItsTryOrNothingHappenedAtEveryTearPoint(int triesLeft) {
        TearCampaign.Result r = campaign(new PinScenario(PinScenario.Kind.VERIFY_WRONG, 3 - triesLeft, false));
        assertThat(r.events()).as("the try, spent before the comparison").isEqualTo(1);
        assertThat(r.firstHappened()).isEqualTo(1);
        assertThat(r.allViolations()).isEmpty();
    }

    /** With one try left, the tear between the spent try and the match blocks the PIN: the price of counting first. */
    @ParameterizedTest(name = "{0} tries left")
    @ValueSource(ints = {2, 1})
    void theRightPinCanLoseATryToATearButNeverGainsOne(int triesLeft) {
        TearCampaign.Result r = campaign(new PinScenario(PinScenario.Kind.VERIFY_RIGHT, 3 - triesLeft, false));
        assertThat(r.events()).as("the try spent, then given back by the match").isEqualTo(2);
        assertThat(r.allViolations()).isEmpty();
    }

    @ParameterizedTest(name = "from the transport PIN: {0}")
    @ValueSource(booleans = {false, true})
    void changeReferenceDataLeavesTheOldOrTheNewPinAtEveryTearPoint(boolean transportPin) {
        TearCampaign.Result r = campaign(new PinScenario(PinScenario.Kind.CHANGE, 1, transportPin));
        assertThat(r.events()).isGreaterThan(5);
        assertThat(r.allViolations()).isEmpty();
    }

    @Test
    void changeReferenceDataWithAWrongOldPinOnlySpendsATry() {
        TearCampaign.Result r = campaign(new PinScenario(PinScenario.Kind.CHANGE_WRONG_OLD, 0, false));
        assertThat(r.events()).isEqualTo(1);
        assertThat(r.allViolations()).isEmpty();
    }

    @Test
    void deactivatingACardIsAllOrNothingAtEveryTearPoint() {
        TearCampaign.Result r = campaign(HolderSettingScenario.deactivate());
        assertThat(r.events()).isPositive();
        assertThat(r.allViolations()).isEmpty();
    }

    @Test
    void activatingACardIsAllOrNothingAtEveryTearPoint() {
        TearCampaign.Result r = campaign(HolderSettingScenario.activate());
        assertThat(r.events()).isPositive();
        assertThat(r.allViolations()).isEmpty();
    }

    @ParameterizedTest(name = "a card deactivated: {0}")
    @ValueSource(booleans = {false, true})
    void setPriorityOrderIsAllOrNothingAtEveryTearPoint(boolean withDeactivated) {
        TearCampaign.Result r = campaign(HolderSettingScenario.order(withDeactivated));
        assertThat(r.events()).as("two writes per card, the order flag and counter, the commit").isGreaterThan(5);
        assertThat(r.allViolations()).isEmpty();
    }

    @Test
    void setSelectionPolicyIsAllOrNothingAtEveryTearPoint() {
        TearCampaign.Result r = campaign(HolderSettingScenario.policy());
        assertThat(r.events()).isPositive();
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

    /**
     * Control: CHANGE REFERENCE DATA with {@code OwnerPIN.update} outside a transaction (the selector's
     * transaction taken out of the bytecode). The API promises no atomicity there, the model gives none,
     * and the campaign must find the PIN that is neither the old one nor the new.
     */
    @Test
    void controlTheCampaignCatchesAPinChangedOutsideATransaction() {
        CardClassLoader mutant = CardClassLoader.mutant(Mutation.replaceCall("nfcpay.card.selector.HolderCommands",
                "processChangeReferenceData", "nfcpay.card.selector.Transactions", "begin", 0, "no transaction around update"));
        TearCampaign.Result r = TearCampaign.run(new PinScenario(PinScenario.Kind.CHANGE, 1, false, mutant));
        REPORT.add(r, true);
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("neither the old one nor the new"));
    }

    /**
     * Control: SET PRIORITY ORDER with the registry's transaction taken out. Torn, the holder finds mixed
     * priorities, or the new order without the flag that makes a new registration join its end.
     */
    @Test
    void controlTheCampaignCatchesAnOrderWrittenOutsideATransaction() {
        CardClassLoader mutant = CardClassLoader.mutant(Mutation.replaceCall("nfcpay.card.selector.Registry",
                "applyOrder", "nfcpay.card.selector.Transactions", "begin", 0, "no transaction around the order"));
        TearCampaign.Result r = TearCampaign.run(HolderSettingScenario.order(false, mutant));
        REPORT.add(r, true);
        assertThat(r.allViolations()).anyMatch(v -> v.contains("neither"));
        assertThat(r.allViolations()).anyMatch(v -> v.contains("not at the end"));
    }

    // ---------------------------------------------------------------- money controls (issue 15)

    private static final String PURSE = "nfcpay.card.purse.PurseApplet";

    /** Both of {@code method}'s transaction brackets taken out: its writes land one by one. */
    private static CardClassLoader withoutTransaction(String method) {
        return CardClassLoader.mutant(
                Mutation.replaceCall(PURSE, method, "javacard.framework.JCSystem", "beginTransaction", 0,
                        "no transaction in " + method),
                Mutation.replaceCall(PURSE, method, "javacard.framework.JCSystem", "commitTransaction", 0,
                        "no commit in " + method));
    }

    private static CardClassLoader withoutCall(String method, String owner, String name) {
        return CardClassLoader.mutant(Mutation.replaceCall(PURSE, method, owner, name, 0, "no " + name + " in " + method));
    }

    private static TearCampaign.Result control(TearScenario<?> scenario) {
        TearCampaign.Result r = TearCampaign.run(scenario);
        REPORT.add(r, true);
        return r;
    }

    /**
     * Controls: DEBIT without its transaction, without keeping its proof, without its log record. The
     * campaign passes on the genuine purse; on each mutant it must find tear points where the card's
     * money, counter, log and proof disagree, or the terminal's recovery cannot prove a debit.
     */
    @Test
    void controlTheDebitCampaignCatchesADebitWithoutItsTransaction() {
        TearCampaign.Result r = control(new DebitScenario(1, withoutTransaction("processDebit")));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("not debited, but") || v.contains("debited, but"));
    }

    @Test
    void controlTheDebitCampaignCatchesADebitThatKeepsNoProof() {
        TearCampaign.Result r = control(new DebitScenario(1, withoutCall("processDebit", PURSE, "keepProof")));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("GET TRANSACTION PROVE answers"));
    }

    @Test
    void controlTheDebitCampaignCatchesADebitThatLogsNothing() {
        TearCampaign.Result r = control(new DebitScenario(1, withoutCall("processDebit", "nfcpay.card.purse.TransactionLog", "append")));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("newest log record"));
    }

    @Test
    void controlTheCreditCampaignCatchesACreditWithoutItsTransaction() {
        TearCampaign.Result r = control(new CreditScenario(1, withoutTransaction("processCredit")));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("credited, but"));
    }

    @Test
    void controlTheCreditCampaignCatchesACreditThatKeepsNoProof() {
        TearCampaign.Result r = control(new CreditScenario(1, withoutCall("processCredit", PURSE, "keepProof")));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("GET TRANSACTION PROVE"));
    }

    @Test
    void controlTheCreditCampaignCatchesACreditThatLogsNothing() {
        TearCampaign.Result r = control(new CreditScenario(1, withoutCall("processCredit", "nfcpay.card.purse.TransactionLog", "append")));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("log record"));
    }

    /** Control: the tenth failure and the lock written without a transaction: torn between, ten failures and no lock. */
    @Test
    void controlTheLockCampaignCatchesALockWrittenOutsideATransaction() {
        TearCampaign.Result r = control(new MacLockScenario(withoutTransaction("verifyMac")));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("not locked, but"));
    }

    /** Control: a wrong MAC that answers 9302 without counting: the campaign must see the failure count lost. */
    @Test
    void controlTheLockCampaignCatchesAWrongMacThatIsNotCounted() {
        TearCampaign.Result r = control(new MacLockScenario(CardClassLoader.mutant(Mutation.removeFieldWrite(PURSE, "verifyMac",
                "macFailures", 0, "9302 without counting the failure"))));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("reset the MAC failure count"));
    }

    /** Control: SET STATUS without its transaction: torn between, the directory and the purse disagree on activation. */
    @Test
    void controlTheActivationCampaignCatchesASetStatusWithoutItsTransaction() {
        TearCampaign.Result r = control(HolderSettingScenario.deactivate(CardClassLoader.mutant(
                Mutation.replaceCall("nfcpay.card.selector.HolderCommands", "processSetStatus", "javacard.framework.JCSystem",
                        "beginTransaction", 0, "no transaction in processSetStatus"),
                Mutation.replaceCall("nfcpay.card.selector.HolderCommands", "processSetStatus", "javacard.framework.JCSystem",
                        "commitTransaction", 0, "no commit in processSetStatus"))));
        assertThat(r.failed()).isPositive();
        assertThat(r.allViolations()).anyMatch(v -> v.contains("the directory's activation"));
    }
}

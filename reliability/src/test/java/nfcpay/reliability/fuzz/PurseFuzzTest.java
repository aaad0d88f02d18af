package nfcpay.reliability.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer on the purse's {@code process()}, through the whole SIM on the transactional runtime. In
 * {@code mvn verify} this runs the seed corpus ({@code PurseFuzzTestInputs/}) as regression inputs; a
 * fuzzing run (docs/reliability.md) mutates it. The oracles are {@link Exercise}'s.
 */
class PurseFuzzTest {

    /** How far the inputs got: signed sessions accepted, holder commands that changed the wallet. */
    @AfterAll
    static void figures() {
        System.out.println("[fuzz] PurseFuzzTest: " + Exercise.figures());
    }

    /** The personalized Salary Card: every command, and sessions signed with the right keys over fuzzed fields. */
    @FuzzTest(maxDuration = "10m")
    void purse(byte[] input) {
        FuzzSims.purse(input);
    }

    /** A purse before personalization: STORE DATA with fuzzed DGIs and block numbers, and everything else. */
    @FuzzTest(maxDuration = "10m")
    void blankPurse(byte[] input) {
        FuzzSims.blankPurse(input);
    }
}

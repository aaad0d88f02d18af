package nfcpay.reliability.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer on the purse's {@code process()}, through the whole SIM on the transactional runtime. In
 * {@code mvn verify} this runs the seed corpus ({@code PurseFuzzTestInputs/}) as regression inputs; a
 * fuzzing run (docs/reliability.md) mutates it. The oracles are {@link Exercise}'s.
 */
class PurseFuzzTest {

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

package nfcpay.reliability.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer on the selector's {@code process()}: SELECT PPSE, GET PROCESSING OPTIONS with fuzzed PDOL data,
 * GET RESPONSE and stray commands, with the PPSE selected. Besides {@link Exercise}'s oracles, every
 * smart selection must be the one the balances call for.
 */
class SelectorFuzzTest {

    /** How far the inputs got: signed sessions accepted, holder commands that changed the wallet. */
    @AfterAll
    static void figures() {
        System.out.println("[fuzz] SelectorFuzzTest: " + Exercise.figures());
    }

    @FuzzTest(maxDuration = "10m")
    void ppse(byte[] input) {
        FuzzSims.ppse(input);
    }
}

package nfcpay.reliability.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer on the selector's {@code process()}: SELECT PPSE, GET PROCESSING OPTIONS with fuzzed PDOL data,
 * GET RESPONSE and stray commands, with the PPSE selected. Besides {@link Exercise}'s oracles, every
 * smart selection must be the one the balances call for.
 */
class SelectorFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void ppse(byte[] input) {
        FuzzSims.ppse(input);
    }
}

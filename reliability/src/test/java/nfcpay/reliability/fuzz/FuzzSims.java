package nfcpay.reliability.fuzz;

import java.util.List;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.Personalizer;
import nfcpay.sim.SimCard;

/**
 * The SIMs the fuzzers start every input from: built once per JVM, then brought back to that state
 * by the runtime's checkpoint (every persistent write since is undone) and a power cycle, which takes
 * microseconds where a new SIM takes milliseconds.
 */
final class FuzzSims {

    /** The demo wallet; the purse under test is the Salary Card. */
    private static TransactionalSim wallet;
    /** The demo wallet and a fourth purse installed but not personalized. */
    private static TransactionalSim blank;
    static final String BLANK_LABEL = "Blank Card";

    private FuzzSims() {}

    static synchronized TransactionalSim wallet() {
        if (wallet == null) {
            wallet = TransactionalSim.defaultWallet();
            wallet.card().checkpoint();
        } else {
            wallet.card().restoreCheckpoint();
        }
        return wallet;
    }

    static synchronized TransactionalSim blank() {
        if (blank == null) {
            blank = TransactionalSim.defaultWallet();
            blank.installPurse(blank.nextPurse(BLANK_LABEL));
            blank.card().powerCycle();
            blank.card().checkpoint();
        } else {
            blank.card().restoreCheckpoint();
        }
        return blank;
    }

    /**
     * {@code sim} brought back to its state of now by every call: a mutant wallet for the properties'
     * controls ({@code OracleSanityTest}), restored like {@link #wallet()}.
     */
    static java.util.function.Supplier<TransactionalSim> restoring(TransactionalSim sim) {
        sim.card().checkpoint();
        return () -> {
            sim.card().restoreCheckpoint();
            return sim;
        };
    }

    /** The plaintext DGI blocks of the blank purse as the bureau would send them (wrapped by the exercise), for the seeds. */
    static List<byte[]> blankPersonalization() {
        TransactionalSim sim = blank();
        SimCard purse = sim.card(BLANK_LABEL);
        return new Personalizer(sim.keys()).dgiBlocks(purse);
    }

    static void purse(byte[] input) {
        TransactionalSim sim = wallet();
        new Exercise(sim, sim.card("Salary Card"), true).run(0, Decoder.decode(input));
    }

    /** The fuzzer personalizes this purse itself, possibly with other keys than the issuer's. */
    static void blankPurse(byte[] input) {
        TransactionalSim sim = blank();
        new Exercise(sim, sim.card(BLANK_LABEL), false).run(0, Decoder.decode(input));
    }

    static void ppse(byte[] input) {
        TransactionalSim sim = wallet();
        new Exercise(sim, sim.card("Salary Card"), true).run(1, Decoder.decode(input));
    }
}

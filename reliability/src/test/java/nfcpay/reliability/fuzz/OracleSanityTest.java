package nfcpay.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Supplier;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.TransactionalSim;
import org.junit.jupiter.api.Test;

/**
 * The fuzzers' oracles against applets with a defect put in: a fuzzer whose oracle cannot see the defect
 * would report zero findings forever. Each mutant here must make the oracle fail: first with a hand-made
 * input, then (the {@code ...PropertyFails...} tests) through {@link CardPropertiesTest}'s own generators,
 * with its number of tries and this run's seed, so the properties as they run in {@code mvn verify} are
 * shown to find these defects by themselves.
 */
class OracleSanityTest {

    private static final Mutation NO_WRONG_MAC_REFUSAL = Mutation.removeThrow("nfcpay.card.purse.PurseApplet", "verifyMac", 0x9302);
    private static final Mutation NO_OFFLINE_COUNTER_INCREMENT = Mutation.replaceCall("nfcpay.card.purse.PurseApplet",
            "processDebit", "javacard.framework.Util", "setShort", 0, "no offline counter increment");

    private static TransactionalSim wallet(Mutation mutation) {
        return TransactionalSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).card("Travel Card", 150_000)
                .loader(CardClassLoader.mutant(mutation)).build();
    }

    @Test
    void conservationCatchesAPurseThatAcceptsAWrongMac() {
        TransactionalSim sim = wallet(NO_WRONG_MAC_REFUSAL);
        List<Conservation.Move> moves = List.of(new Conservation.Move(1, true, 500, Conservation.Kind.WRONG_MAC, 0));
        assertThatThrownBy(() -> new Conservation(sim).run(moves)).hasMessageContaining("forged DEBIT was accepted");
    }

    @Test
    void conservationCatchesAPurseThatDoesNotCountItsTransactions() {
        // a DEBIT whose response is lost: the terminal learns that it happened from the counter alone
        TransactionalSim sim = wallet(NO_OFFLINE_COUNTER_INCREMENT);
        List<Conservation.Move> moves = List.of(
                new Conservation.Move(1, true, 500, Conservation.Kind.AUTHORIZED, 0),
                new Conservation.Move(1, true, 500, Conservation.Kind.TORN, Conservation.RESPONSE_LOST));
        assertThatThrownBy(() -> new Conservation(sim).run(moves)).isInstanceOf(AssertionError.class);
    }

    @Test
    void theStatusWordOracleCatchesAnUncaughtException() {
        // without the 6A80 for a DGI length that runs past the data, the purse checks issuer data that
        // starts at the end of a full APDU buffer: 13 label DGIs, then 0101 1E, then the C-MAC (the bureau's
        // STORE DATA, authenticated: nothing else reaches the DGI parser)
        TransactionalSim sim = TransactionalSim.builder().card("Daily Wallet", 1_500)
                .loader(CardClassLoader.mutant(Mutation.removeThrow("nfcpay.card.purse.Dgi", "length", 0x6A80))).build();
        sim.installPurse(sim.nextPurse("Blank Card"));
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 13; i++) {
            int length = i < 12 ? 16 : 13;
            data.writeBytes(new byte[] {0x01, 0x03, (byte) length});
            data.writeBytes("ABCDEFGHIJKLMNOP".substring(0, length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        data.writeBytes(nfcpay.reliability.sim.Bytes.hex("01011E"));
        List<Action> input = List.of(new Action.StoreData(0x00, 0x00, data.toByteArray()));
        assertThatThrownBy(() -> new Exercise(sim, sim.card("Blank Card"), false).run(0, input))
                .hasMessageContaining("undefined status word");
    }

    // ---------------------------------------------------------------- the generated properties themselves

    @Test
    void theExchangePropertyFailsOnAPurseThatAcceptsAWrongMac() {
        Supplier<TransactionalSim> sims = FuzzSims.restoring(wallet(NO_WRONG_MAC_REFUSAL));
        assertThatThrownBy(() -> SeededProperty.check("noAnswerIs6F00OrOutsideTheContract [control]",
                CardPropertiesTest.EXCHANGE_TRIES, CardPropertiesTest::anyExchange, c -> CardPropertiesTest.anyExchangeHolds(sims, c)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("reproduce with -Dnfcpay.properties.seed=")
                .hasMessageContaining("accepted without a right MAC");
    }

    @Test
    void theRejectionPropertyFailsOnAPurseThatAcceptsAWrongMac() {
        Supplier<TransactionalSim> sims = FuzzSims.restoring(wallet(NO_WRONG_MAC_REFUSAL));
        assertThatThrownBy(() -> SeededProperty.check("aRejectedCommandChangesNoPersistentState [control]",
                CardPropertiesTest.BROKEN_TRIES, CardPropertiesTest::brokenCommands,
                c -> CardPropertiesTest.brokenCommandsHold(sims, new SeededProperty.Case<>(false, c.steps()))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("reproduce with -Dnfcpay.properties.seed=");
    }

    @Test
    void theConservationPropertyFailsOnAPurseThatDoesNotCountItsPurchases() {
        Supplier<TransactionalSim> sims = FuzzSims.restoring(wallet(NO_OFFLINE_COUNTER_INCREMENT));
        assertThatThrownBy(() -> SeededProperty.check("balancesMoveOnlyByAuthorizedLoadsAndDebits [control]",
                CardPropertiesTest.MONEY_TRIES, CardPropertiesTest::moneyMoves, c -> new Conservation(sims.get()).run(c.steps())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("reproduce with -Dnfcpay.properties.seed=");
    }

    @Test
    void aFailingPropertyIsShrunkAndNamesItsSeed() {
        // a property that fails whenever a list holds a 7: shrunk to that one element, reproducible from the seed
        java.util.function.Function<java.util.Random, SeededProperty.Case<Void, Integer>> lists =
                r -> new SeededProperty.Case<>(null, Gen.list(r, 3, 25, g -> g.nextInt(10)));
        java.util.function.Consumer<SeededProperty.Case<Void, Integer>> noSeven = c -> {
            if (c.steps().contains(7)) {
                throw new AssertionError("a 7");
            }
        };
        assertThatThrownBy(() -> SeededProperty.check("no seven", 42L, 100, lists, noSeven))
                .hasMessageContaining("-Dnfcpay.properties.seed=42").hasMessageContaining("1 steps [7]");
    }
}

package nfcpay.reliability.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import nfcpay.reliability.fuzz.SeededProperty.Case;
import nfcpay.reliability.sim.TransactionalSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties of the whole SIM on the transactional runtime, each try from a fresh start state
 * (checkpoint restore), its input drawn from a seeded generator ({@link SeededProperty}: the seed is
 * printed, {@code -Dnfcpay.properties.seed} replays it, {@code -Dnfcpay.properties.scale} multiplies the
 * tries). The oracles are {@link Exercise}'s and {@link Conservation}'s; a failing sequence is shrunk.
 * {@code OracleSanityTest} runs the same properties against defective purses, where they must fail.
 */
class CardPropertiesTest {

    static final int EXCHANGE_TRIES = 400;
    static final int BROKEN_TRIES = 300;
    static final int MONEY_TRIES = 200;

    /** The JVM-wide counters when this class started: other classes (the controls) count into them too. */
    private static long commandsBefore;
    private static long movesBefore;

    @BeforeAll
    static void counters() {
        commandsBefore = Exercise.TOTAL_COMMANDS.get();
        movesBefore = Conservation.TOTAL_MOVED.get();
    }

    @AfterAll
    static void figures() {
        System.out.println("[fuzz] properties: " + (Exercise.TOTAL_COMMANDS.get() - commandsBefore)
                + " commands checked by the exercise oracles, " + (Conservation.TOTAL_MOVED.get() - movesBefore)
                + " confirmed money moves reconciled");
    }

    /** Any bytes and commands near the contract's, to the purse or the PPSE: no 6F00, no status word outside the contract. */
    @Test
    void noAnswerIs6F00OrOutsideTheContract() {
        SeededProperty.check("noAnswerIs6F00OrOutsideTheContract", EXCHANGE_TRIES, CardPropertiesTest::anyExchange,
                c -> anyExchangeHolds(FuzzSims::wallet, c));
    }

    /**
     * The contract's commands with one thing broken (class, instruction, P1/P2, length, data), on a
     * personalized and on a blank purse: every rejected command leaves every persistent value as it was
     * (the MAC failure count, lock and expiry excepted, as the contract says).
     */
    @Test
    void aRejectedCommandChangesNoPersistentState() {
        SeededProperty.check("aRejectedCommandChangesNoPersistentState", BROKEN_TRIES, CardPropertiesTest::brokenCommands,
                c -> brokenCommandsHold(c.fixed() ? FuzzSims::blank : FuzzSims::wallet, c));
    }

    /** The sum of balances changes only by loads and debits the card confirmed; forgeries, replays and tears move nothing else. */
    @Test
    void balancesMoveOnlyByAuthorizedLoadsAndDebits() {
        SeededProperty.check("balancesMoveOnlyByAuthorizedLoadsAndDebits", MONEY_TRIES, CardPropertiesTest::moneyMoves,
                c -> new Conservation(FuzzSims.wallet()).run(c.steps()));
    }

    // ---------------------------------------------------------------- the properties, on any SIM

    /** {@code fixed}: 0 starts with the purse selected, 1 with the PPSE. */
    static void anyExchangeHolds(Supplier<TransactionalSim> sims, Case<Integer, Action> c) {
        TransactionalSim sim = sims.get();
        new Exercise(sim, sim.card("Salary Card"), true).run(c.fixed(), c.steps());
    }

    /** {@code fixed}: the blank purse (true) or the personalized Salary Card. */
    static void brokenCommandsHold(Supplier<TransactionalSim> sims, Case<Boolean, Action> c) {
        TransactionalSim sim = sims.get();
        boolean blank = c.fixed();
        new Exercise(sim, sim.card(blank ? FuzzSims.BLANK_LABEL : "Salary Card"), !blank).run(0, c.steps());
    }

    // ---------------------------------------------------------------- generators

    static Case<Integer, Action> anyExchange(Random r) {
        int start = r.nextInt(2);
        List<Action> steps = Gen.list(r, 3, 25, g -> Gen.frequency(g, new int[] {2, 6, 3, 1, 2},
                CardPropertiesTest::raw, CardPropertiesTest::command, CardPropertiesTest::session,
                CardPropertiesTest::select, CardPropertiesTest::gpo));
        return new Case<>(start, steps);
    }

    static Case<Boolean, Action> brokenCommands(Random r) {
        boolean blank = r.nextBoolean();
        List<Action> steps = Gen.list(r, 3, 15, g -> Gen.frequency(g, new int[] {8, 2, 1},
                CardPropertiesTest::broken, CardPropertiesTest::session, CardPropertiesTest::select));
        return new Case<>(blank, steps);
    }

    static Case<Void, Conservation.Move> moneyMoves(Random r) {
        Conservation.Kind[] kinds = Conservation.Kind.values();
        return new Case<>(null, Gen.list(r, 3, 12, g -> new Conservation.Move(Gen.between(g, 0, 2), g.nextBoolean(),
                Gen.between(g, 1L, 60_000L), kinds[g.nextInt(kinds.length)], Gen.between(g, 0, 15))));
    }

    private static Action raw(Random r) {
        return new Action.Raw(Gen.bytes(r, 270));
    }

    private static Action command(Random r) {
        int[] h = Decoder.TEMPLATES[Gen.between(r, 0, Decoder.TEMPLATES.length - 1)];
        int p1 = Gen.between(r, 0, 255);
        int p2 = Gen.between(r, 0, 255);
        int mask = Gen.between(r, 0, 31);
        byte[] data = Gen.bytes(r, 40);
        return new Action.Command(h[0], h[1], (mask & 4) != 0 ? p1 : h[2], (mask & 8) != 0 ? p2 : h[3],
                (mask & 16) != 0 ? data : Arrays.copyOf(data, h[4]), 256);
    }

    private static Action session(Random r) {
        return new Action.Session(r.nextBoolean(), Gen.between(r, 0L, 200_000L), new byte[] {0, 0x11, 0x22, 0x33, 0x44, 0x55},
                Gen.of(r, "20260115", "20251231", "20361231", "20370101", "20260230"), "120000", Gen.between(r, 0, 3));
    }

    private static Action select(Random r) {
        return new Action.Select(Gen.between(r, 0, 3));
    }

    private static Action gpo(Random r) {
        return new Action.Gpo(Gen.bytesOfSize(r, 6),
                Gen.of(r, new byte[] {0x01, 0x56}, new byte[] {0x08, 0x40}, new byte[] {(byte) 0xFF, 0x00}),
                Gen.of(r, 0, 0, 0, 1, 0x20), Gen.of(r, 0, 0, 0, 1, 0x0100));
    }

    /** A template with one field broken: class, instruction, P1, length or data content. */
    private static Action broken(Random r) {
        int[] h = Decoder.TEMPLATES[Gen.between(r, 0, Decoder.TEMPLATES.length - 1)];
        int what = Gen.between(r, 0, 4);
        int value = Gen.between(r, 0, 255);
        byte[] data = Gen.bytes(r, 30);
        int cla = h[0];
        int ins = h[1];
        int p1 = h[2];
        byte[] body = Arrays.copyOf(data, h[4]);
        switch (what) {
            case 0 -> cla = value == h[0] ? value ^ 0x04 : value;
            case 1 -> ins = value == h[1] ? value ^ 0x01 : value;
            case 2 -> p1 = value == h[2] ? value ^ 0x01 : value;
            case 3 -> body = Arrays.copyOf(data, (h[4] + 1 + value % 5) % 40);
            default -> { }
        }
        return new Action.Command(cla, ins, p1, h[3], body, 256);
    }
}

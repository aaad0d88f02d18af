package nfcpay.reliability.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.constraints.IntRange;
import nfcpay.reliability.sim.TransactionalSim;

/**
 * jqwik properties of the whole SIM on the transactional runtime, each from a fresh start state
 * (checkpoint restore). The oracles are {@link Exercise}'s and {@link Conservation}'s; a failing
 * sequence is shrunk to a short one.
 */
class CardPropertiesTest {

    @AfterContainer
    static void figures() {
        System.out.println("[fuzz] jqwik: " + Exercise.TOTAL_COMMANDS.get() + " commands checked by the exercise oracles, "
                + Conservation.TOTAL_MOVED.get() + " confirmed money moves reconciled");
    }

    /** Any bytes and commands near the contract's, to the purse or the PPSE: no 6F00, no status word outside the contract. */
    @Property(tries = 400)
    void noAnswerIs6F00OrOutsideTheContract(@ForAll("anyExchange") List<Action> actions,
            @ForAll @IntRange(min = 0, max = 1) int start) {
        TransactionalSim sim = FuzzSims.wallet();
        new Exercise(sim, sim.card("Salary Card"), true).run(start, actions);
    }

    /**
     * The contract's commands with one thing broken (class, instruction, P1/P2, length, data), on a
     * personalized and on a blank purse: every rejected command leaves every persistent value as it was
     * (the MAC failure count, lock and expiry excepted, as the contract says).
     */
    @Property(tries = 300)
    void aRejectedCommandChangesNoPersistentState(@ForAll("brokenCommands") List<Action> actions,
            @ForAll boolean blank) {
        TransactionalSim sim = blank ? FuzzSims.blank() : FuzzSims.wallet();
        new Exercise(sim, sim.card(blank ? FuzzSims.BLANK_LABEL : "Salary Card"), !blank).run(0, actions);
    }

    /** The sum of balances changes only by loads and debits the card confirmed; forgeries, replays and tears move nothing else. */
    @Property(tries = 200)
    void balancesMoveOnlyByAuthorizedLoadsAndDebits(@ForAll("moneyMoves") List<Conservation.Move> moves) {
        new Conservation(FuzzSims.wallet()).run(moves);
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<List<Action>> anyExchange() {
        Arbitrary<Action> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(270).map(Action.Raw::new);
        Arbitrary<Action> command = Combinators.combine(
                Arbitraries.integers().between(0, Decoder.TEMPLATES.length - 1),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 31), Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as((t, p1, p2, mask, data) -> template(t, mask, p1, p2, data));
        return Arbitraries.frequencyOf(
                Tuple.of(2, raw), Tuple.of(6, command), Tuple.of(3, session()), Tuple.of(1, select()), Tuple.of(2, gpo()))
                .list().ofMinSize(3).ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<Action>> brokenCommands() {
        Arbitrary<Action> broken = Combinators.combine(
                Arbitraries.integers().between(0, Decoder.TEMPLATES.length - 1),
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 255),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(30))
                .as(CardPropertiesTest::broken);
        return Arbitraries.frequencyOf(Tuple.of(8, broken), Tuple.of(2, session()), Tuple.of(1, select()))
                .list().ofMinSize(3).ofMaxSize(15);
    }

    @Provide
    Arbitrary<List<Conservation.Move>> moneyMoves() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 2), Arbitraries.of(true, false),
                Arbitraries.longs().between(1, 60_000), Arbitraries.of(Conservation.Kind.class),
                Arbitraries.integers().between(0, 15))
                .as(Conservation.Move::new).list().ofMinSize(3).ofMaxSize(12);
    }

    private static Arbitrary<Action> session() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs().between(0, 200_000),
                Arbitraries.of("20260115", "20251231", "20361231", "20370101", "20260230"),
                Arbitraries.integers().between(0, 3))
                .as((purchase, amount, date, corruption) ->
                        new Action.Session(purchase, amount, new byte[] {0, 0x11, 0x22, 0x33, 0x44, 0x55}, date, "120000", corruption));
    }

    private static Arbitrary<Action> select() {
        return Arbitraries.integers().between(0, 3).map(Action.Select::new);
    }

    private static Arbitrary<Action> gpo() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(6),
                Arbitraries.of(new byte[] {0x01, 0x56}, new byte[] {0x08, 0x40}, new byte[] {(byte) 0xFF, 0x00}),
                Arbitraries.of(0, 0, 0, 1, 0x20), Arbitraries.of(0, 0, 0, 1, 0x0100))
                .as(Action.Gpo::new);
    }

    private static Action template(int t, int mask, int p1, int p2, byte[] data) {
        int[] h = Decoder.TEMPLATES[t];
        return new Action.Command(h[0], h[1], (mask & 4) != 0 ? p1 : h[2], (mask & 8) != 0 ? p2 : h[3],
                (mask & 16) != 0 ? data : java.util.Arrays.copyOf(data, h[4]), 256);
    }

    /** Template {@code t} with one field broken: 0 class, 1 instruction, 2 P1/P2, 3 length, 4 data content. */
    private static Action broken(int t, int what, int value, byte[] data) {
        int[] h = Decoder.TEMPLATES[t];
        int cla = h[0];
        int ins = h[1];
        int p1 = h[2];
        int p2 = h[3];
        byte[] body = java.util.Arrays.copyOf(data, h[4]);
        switch (what) {
            case 0 -> cla = value == h[0] ? value ^ 0x04 : value;
            case 1 -> ins = value == h[1] ? value ^ 0x01 : value;
            case 2 -> p1 = value == h[2] ? value ^ 0x01 : value;
            case 3 -> body = java.util.Arrays.copyOf(data, (h[4] + 1 + value % 5) % 40);
            default -> { }
        }
        return new Action.Command(cla, ins, p1, p2, body, 256);
    }
}

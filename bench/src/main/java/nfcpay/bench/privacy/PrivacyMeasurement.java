package nfcpay.bench.privacy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.smartcardio.CommandAPDU;
import nfcpay.bench.air.AirTimeModel;
import nfcpay.bench.measure.BenchSims;
import nfcpay.bench.workload.CardSpec;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;

/**
 * What a hostile reader learns (docs/benchmarks.md): for each wallet and each selection policy (and a
 * legacy PPSE), each of {@link HostileReader}'s three ways on a fresh simulated SIM with the real
 * applets, and how many exchanges it took until each card's balance was known. Every learned balance is
 * checked against the card's GET BALANCE after the attack, which also shows that the attack moved no money.
 */
public final class PrivacyMeasurement {

    /** The simulated purses' maximum balance, 50,000.00: the top of the reader's search. */
    public static final long CEILING_MINOR = SimulatedSim.DEFAULT_MAX_BALANCE;

    /** A SIM to attack: its cards in priority order. */
    public record Wallet(String name, List<CardSpec> cards) {}

    public enum Attack { GET_BALANCE, INITIALIZE_FOR_PURCHASE, GPO_SEARCH }

    /**
     * One card after one attack.
     *
     * @param afterExchanges exchanges of the attack until its balance was known; -1 when it stayed hidden
     * @param correct true when the learned balance is the card's (false also when hidden)
     */
    public record CardResult(String label, long balanceMinor, int afterExchanges, boolean correct) {}

    /** One attack on one SIM. {@code available} is false when the SIM does not answer it at all (GPO on a legacy PPSE). */
    public record Row(String wallet, String policy, Attack attack, boolean available, int exchanges, long bytes,
            double airMillis106, List<CardResult> cards) {

        public long learned() {
            return cards.stream().filter(c -> c.afterExchanges() >= 0).count();
        }

        public boolean allCorrect() {
            return cards.stream().allMatch(c -> c.afterExchanges() < 0 || c.correct());
        }
    }

    /** The demo wallet: balances grow down the priority order. */
    public static final Wallet DEMO = new Wallet("demo", List.of(new CardSpec("Daily Wallet", 1_500),
            new CardSpec("Salary Card", 32_000), new CardSpec("Travel Card", 150_000)));
    /** Five cards whose balances do not follow the order, so that some policies never pick some cards. */
    public static final Wallet MIXED = new Wallet("mixed", List.of(new CardSpec("Canteen", 8_640),
            new CardSpec("Salary Card", 231_000), new CardSpec("Bus Pass", 1_200), new CardSpec("Savings", 64_050),
            new CardSpec("Travel Card", 987_525)));

    private static final Clock LOAD_CLOCK = Clock.fixed(Instant.parse("2026-03-01T08:00:00Z"), ZoneOffset.UTC);
    private static final String LEGACY = "LEGACY";

    private final AirTimeModel model = AirTimeModel.standard();
    private final long seed;

    public PrivacyMeasurement(long seed) {
        this.seed = seed;
    }

    /** Every wallet, every policy and a legacy PPSE, every attack. */
    public List<Row> run(List<Wallet> wallets) {
        List<Row> rows = new ArrayList<>();
        for (Wallet w : wallets) {
            List<String> policies = new ArrayList<>();
            for (SelectionPolicy p : SelectionPolicy.values()) {
                policies.add(p.name());
            }
            policies.add(LEGACY);
            for (String policy : policies) {
                for (Attack attack : Attack.values()) {
                    rows.add(attack(w, policy, attack));
                }
            }
        }
        return rows;
    }

    /** One attack on a fresh SIM of {@code wallet} under {@code policy} (a policy name or LEGACY). */
    public Row attack(Wallet wallet, String policy, Attack attack) {
        boolean legacy = LEGACY.equals(policy);
        SimulatedSim sim = BenchSims.build(wallet.cards(), legacy, legacy ? SelectionPolicy.PRIORITY : SelectionPolicy.valueOf(policy),
                seed, seed ^ policy.hashCode() ^ attack.ordinal(), LOAD_CLOCK);
        HostileReader reader = new HostileReader(command -> {
            synchronized (sim.lock()) {
                return sim.platform().transmit(new CommandAPDU(command)).getBytes();
            }
        }, model, CEILING_MINOR, 8 * wallet.cards().size());
        HostileReader.Outcome o = switch (attack) {
            case GET_BALANCE -> reader.byGetBalance();
            case INITIALIZE_FOR_PURCHASE -> reader.byInitialize();
            case GPO_SEARCH -> reader.byGpoSearch(SelectionPolicy.ANY.name().equals(policy));
        };
        List<CardResult> cards = new ArrayList<>();
        for (SimCard c : sim.cards()) {
            String aid = c.aidHex();
            long balance = sim.balance(c.label());
            Optional<HostileReader.Learned> l = o.learned().stream().filter(x -> x.aid().equalsIgnoreCase(aid)).findFirst();
            cards.add(new CardResult(c.label(), balance, l.map(HostileReader.Learned::afterExchanges).orElse(-1),
                    l.isPresent() && l.get().balanceMinor() == balance));
        }
        long opening = wallet.cards().stream().mapToLong(CardSpec::initialBalanceMinor).sum();
        long after = cards.stream().mapToLong(CardResult::balanceMinor).sum();
        if (opening != after) {
            throw new IllegalStateException(attack + " under " + policy + " moved money: " + opening + " -> " + after);
        }
        return new Row(wallet.name(), policy, attack, o.available(), o.exchanges(), o.bytes(), o.airMillis106(), cards);
    }

    /** One table per wallet: exchanges until each card's balance was known, "hidden" when never. */
    public static String markdown(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        String wallet = null;
        for (Row r : rows) {
            if (!r.wallet().equals(wallet)) {
                wallet = r.wallet();
                out.append(String.format(Locale.ROOT, "%nWallet \"%s\" (search ceiling %s):%n%n", wallet, money(CEILING_MINOR)));
                out.append("| policy | attack | exchanges | air ms 106k | cards learned |");
                r.cards().forEach(c -> out.append(' ').append(c.label()).append(' ').append(money(c.balanceMinor())).append(" |"));
                out.append("\n|---|---|---:|---:|---:|");
                r.cards().forEach(c -> out.append("---:|"));
                out.append('\n');
            }
            out.append("| ").append(r.policy()).append(" | ").append(r.attack());
            if (!r.available()) {
                out.append(" | ").append(r.exchanges()).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", r.airMillis106())).append(" | not answered (6D00) |");
                r.cards().forEach(c -> out.append(" - |"));
                out.append('\n');
                continue;
            }
            out.append(String.format(Locale.ROOT, " | %d | %.1f | %d of %d |", r.exchanges(), r.airMillis106(), r.learned(),
                    r.cards().size()));
            for (CardResult c : r.cards()) {
                out.append(' ').append(c.afterExchanges() < 0 ? "hidden" : c.correct() ? "after " + c.afterExchanges() : "WRONG")
                        .append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String money(long minor) {
        return String.format(Locale.ROOT, "%d.%02d", minor / 100, minor % 100);
    }

    /** {@code java -cp ... nfcpay.bench.privacy.PrivacyMeasurement [seed]}: prints the tables. */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20260301L;
        System.out.print(markdown(new PrivacyMeasurement(seed).run(List.of(DEMO, MIXED))));
    }
}

package nfcpay.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import nfcpay.sim.LoadIssuer;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.TapBounds;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import nfcpay.terminal.transport.Transports;

/**
 * The card a command talks to: the one on a PC/SC reader, or a simulated SIM built in this process
 * (which lives as long as the command). Each {@link #tap} is one connection through the kernel's
 * transport stack, traced when --trace is on.
 */
final class Field {

    /** The demo wallet of {@link SimulatedSim#defaultWallet()}, as --card values (a test holds them equal). */
    static final List<CardArg> DEFAULT_WALLET = List.of(
            new CardArg("Daily Wallet", Money.cny(1_500)),
            new CardArg("Salary Card", Money.cny(32_000)),
            new CardArg("Travel Card", Money.cny(150_000)));

    @FunctionalInterface
    private interface Connector {
        Transport connect() throws TransportException;
    }

    private final Connector connector;
    private final Consumer<String> trace;
    /** The simulated SIM in this process; null on a reader. */
    private final SimulatedSim sim;

    private Field(Connector connector, Consumer<String> trace, SimulatedSim sim) {
        this.connector = connector;
        this.trace = trace;
        this.sim = sim;
    }

    /** The card on the named reader; nothing is opened until the first tap. */
    static Field reader(Environment.ReaderConnector readers, String name, Consumer<String> trace) {
        return reader(readers, name, TapBounds.NO_CARD_WAIT, trace);
    }

    /** As above, each tap waiting for the card and the reader within {@code bounds}. */
    static Field reader(Environment.ReaderConnector readers, String name, TapBounds bounds, Consumer<String> trace) {
        return new Field(() -> readers.connect(name, bounds), trace, null);
    }

    /** A simulated SIM in this process. */
    static Field simulated(SimulatedSim sim, Consumer<String> trace) {
        return new Field(() -> Readers.connect(sim.terminal()), trace, sim);
    }

    /** The simulated SIM this field holds, or null when the card is on a reader. */
    SimulatedSim simulatedSim() {
        return sim;
    }

    /**
     * Builds the simulated SIM of the --card specs, in priority order (the demo wallet when there
     * are none).
     *
     * @param policy the selector's policy, or null for its default (priority)
     * @throws IllegalArgumentException naming a card the SIM cannot hold (label too long, two alike, too many)
     */
    static SimulatedSim simulate(List<CardArg> specs, SelectionPolicy policy, boolean legacy) {
        return simulate(specs, policy, legacy, null);
    }

    /**
     * As above, the opening balances authorized by {@code issuer} (the issuer host, so that its ledger knows
     * where every unit came from), or by the simulator's in-process issuer when it is null.
     */
    static SimulatedSim simulate(List<CardArg> specs, SelectionPolicy policy, boolean legacy, LoadIssuer issuer) {
        return simulation(specs, policy, legacy, issuer).build();
    }

    /** The builder of {@link #simulate}, for a SIM on another platform ({@link SimPlatform}). */
    static SimulatedSim.Builder simulation(List<CardArg> specs, SelectionPolicy policy, boolean legacy, LoadIssuer issuer) {
        SimulatedSim.Builder b = SimulatedSim.builder();
        if (issuer != null) {
            b.issuer(issuer);
        }
        for (CardArg card : specs.isEmpty() ? DEFAULT_WALLET : specs) {
            b.card(card.label(), card.balance().minor(), card.balance().currency());
        }
        if (policy != null) {
            b.policy(policy);
        }
        if (legacy) {
            b.legacy();
        }
        return b;
    }

    /** One tap: a fresh connection to the card. Close it to end the tap. */
    Transport tap() throws TransportException {
        return Transports.stack(connector.connect(), trace);
    }

    /** A tap for the holder's commands: as {@link #tap}, with the holder PINs masked in the trace. */
    Transport holderTap() throws TransportException {
        Transport reader = connector.connect();
        return Transports.stack(trace == null ? reader : new HolderTrace(reader, trace), null);
    }

    /** The policy as people write it: priority, best-fit, most-funds, any. */
    static String policyName(SelectionPolicy p) {
        return p.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** picocli's hook for --policy. */
    static final class PolicyConverter implements picocli.CommandLine.ITypeConverter<SelectionPolicy> {
        @Override
        public SelectionPolicy convert(String value) {
            for (SelectionPolicy p : SelectionPolicy.values()) {
                if (policyName(p).equalsIgnoreCase(value.trim().replace('_', '-'))) {
                    return p;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "unknown policy '" + value + "' (priority, best-fit, most-funds or any)");
        }
    }
}

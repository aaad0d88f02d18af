package nfcpay.cli;

import java.util.ArrayList;
import java.util.List;
import nfcpay.sim.LoadIssuer;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.transport.TapBounds;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** --reader and --legacy, shared by every command that talks to a card, and the choice between reader and simulated SIM. */
final class FieldOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--reader", paramLabel = "NAME",
            description = "Use the card on this PC/SC reader (its full name, or a part only one reader's name has)"
                    + " instead of a simulated SIM.")
    String reader;

    @Option(names = "--legacy",
            description = "Simulated SIM only: a plain PPSE without smart selection, as SIMs carry today; the terminal"
                    + " falls back to priority order.")
    boolean legacy;

    @Option(names = "--platform", paramLabel = "PLATFORM", converter = SimPlatform.Converter.class,
            description = "Simulated SIM only: what it runs on, jcardsim (default, in this process) or cref (Oracle's"
                    + " Java Card 3.0.5 reference VM under Wine, from the CAP files; needs NFCPAY_CREF, docs/card.md).")
    SimPlatform platform;

    /**
     * The reader, or the simulated SIM of {@code cards} (the --card specs).
     *
     * @param policy the --policy given, or null
     * @throws ParameterException when simulated-SIM options come with --reader, or a card spec the SIM cannot hold
     */
    Field open(NfcpayCommand root, List<CardArg> cards, SelectionPolicy policy) {
        return open(root, cards, policy, null);
    }

    /** Whether the card is on a PC/SC reader (not the simulated SIM of this process). */
    boolean onReader() {
        return reader != null;
    }

    /**
     * As above; the simulated SIM's opening balances are loaded through {@code issuer} when it is not null (the
     * issuer host), else by the simulator's in-process issuer.
     */
    Field open(NfcpayCommand root, List<CardArg> cards, SelectionPolicy policy, LoadIssuer issuer) {
        return open(root, cards, policy, issuer, TapBounds.NO_CARD_WAIT);
    }

    /** As above, a tap on the reader waiting for the card and the reader within {@code bounds}. */
    Field open(NfcpayCommand root, List<CardArg> cards, SelectionPolicy policy, LoadIssuer issuer, TapBounds bounds) {
        if (reader != null) {
            List<String> simOnly = new ArrayList<>();
            if (!cards.isEmpty()) {
                simOnly.add("--card " + CardArg.SPEC_FORM);
            }
            if (policy != null) {
                simOnly.add("--policy");
            }
            if (legacy) {
                simOnly.add("--legacy");
            }
            if (platform != null) {
                simOnly.add("--platform");
            }
            if (!simOnly.isEmpty()) {
                throw new ParameterException(mixee.commandLine(), String.join(", ", simOnly)
                        + " describe" + (simOnly.size() == 1 ? "s" : "") + " the simulated SIM: not with --reader");
            }
            return Field.reader(root.environment().readers(), reader, bounds, root.trace());
        }
        return Field.simulated(simulate(mixee.commandLine(), cards, policy, legacy, issuer, platform, root), root.trace());
    }

    /**
     * {@link Field#simulate} for a command's options: a card the SIM cannot hold is bad input.
     *
     * @throws ParameterException naming the card spec the SIM cannot hold
     */
    static SimulatedSim simulate(CommandLine command, List<CardArg> cards, SelectionPolicy policy, boolean legacy,
            LoadIssuer issuer, SimPlatform platform, NfcpayCommand root) {
        SimulatedSim.Builder builder;
        try {
            builder = Field.simulation(cards, policy, legacy, issuer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command, "--card: " + e.getMessage());
        }
        try {
            return (platform == null ? SimPlatform.JCARDSIM : platform).build(builder, root);
        } catch (LoadIssuer.Refused e) {
            throw new HostRefusal(e.getMessage(), e);
        }
    }

    /** The issuer host refused or could not be reached while loading the simulated SIM's opening balances. */
    static final class HostRefusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HostRefusal(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

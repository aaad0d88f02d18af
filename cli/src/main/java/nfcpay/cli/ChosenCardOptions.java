package nfcpay.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.kernel.CardApplication;
import nfcpay.terminal.kernel.Directory;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.transport.Transport;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Which card a command reads or loads: {@code --card LABEL} or {@code --aid AID}, else the SIM's
 * priority-1 card. The same --card option also takes {@code LABEL=AMOUNT[@CUR]} specs that build
 * the simulated SIM, as pay's does; the '=' tells the two apart.
 */
final class ChosenCardOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--card", paramLabel = "LABEL[=AMOUNT[@CUR]]", converter = CardArg.Converter.class,
            description = {"The card, by label (default: the SIM's priority-1 card).",
                "With =AMOUNT: a card of the simulated SIM and its balance, as for pay; repeat it, the first is"
                    + " priority 1 (default: the demo wallet)."})
    List<CardArg> cards = new ArrayList<>();

    @Option(names = "--aid", paramLabel = "AID", description = "The card, by application identifier (hex).")
    String aid;

    /** The --card values that build the simulated SIM. */
    List<CardArg> specs() {
        return cards.stream().filter(CardArg::isSpec).toList();
    }

    /** Refuses two choices, before anything is opened. */
    void check() {
        List<String> labels = cards.stream().filter(c -> !c.isSpec()).map(CardArg::label).toList();
        if (labels.size() > 1) {
            throw new ParameterException(mixee.commandLine(), "name one card, not " + labels.size() + ": "
                    + String.join(", ", labels));
        }
        if (!labels.isEmpty() && aid != null) {
            throw new ParameterException(mixee.commandLine(), "give --card LABEL or --aid AID, not both");
        }
        if (aid != null && !aid.matches("([0-9A-Fa-f]{2}){5,16}")) {
            throw new ParameterException(mixee.commandLine(), "--aid: not an AID: '" + aid + "' (5 to 16 bytes in hex)");
        }
    }

    /**
     * The AID of the chosen card, one of the SIM's directory: by AID, by label (exactly, else
     * ignoring case, else by the start of one label only), or the priority-1 card.
     */
    String resolve(Kernel kernel, Transport card) throws TerminalException {
        Directory directory = kernel.readDirectory(card);
        List<CardApplication> apps = directory.applications();
        if (aid != null) {
            // Only the directory's cards: a payment terminal has no business with the SIM's other applications.
            return directory.find(aid).orElseThrow(() -> new TerminalException("no card with AID " + aid.toUpperCase(Locale.ROOT)
                    + " on this SIM (cards: " + describe(apps) + ")")).aid();
        }
        String label = cards.stream().filter(c -> !c.isSpec()).map(CardArg::label).findFirst().orElse(null);
        if (label == null) {
            return directory.candidates().stream().findFirst()
                    .orElseThrow(() -> new TerminalException("no card on this SIM")).aid();
        }
        return byLabel(apps, CardApplication::label, label).orElseThrow(() -> new TerminalException(
                "no one card labelled '" + label + "' on this SIM (cards: " + describe(apps) + ")")).aid();
    }

    /**
     * The one card whose label is {@code label} exactly, else ignoring case, else the only one whose
     * label starts with it (ignoring case): how every command names a card by label.
     */
    static <T> Optional<T> byLabel(List<T> cards, Function<T, String> labelOf, String label) {
        String lower = label.toLowerCase(Locale.ROOT);
        for (Predicate<String> match : List.<Predicate<String>>of(
                l -> l.equals(label),
                l -> l.equalsIgnoreCase(label),
                l -> l.toLowerCase(Locale.ROOT).startsWith(lower))) {
            List<T> found = cards.stream().filter(c -> match.test(labelOf.apply(c))).toList();
            if (found.size() == 1) {
                return Optional.of(found.get(0));
            }
        }
        return Optional.empty();
    }

    /** "Daily Wallet F000000824010101, Salary Card F000000824010102". */
    private static String describe(List<CardApplication> apps) {
        return String.join(", ", apps.stream().map(a -> a.label() + " " + a.aid()).toList());
    }
}

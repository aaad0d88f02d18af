package nfcpay.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.wallet.HolderException;
import nfcpay.sim.wallet.HolderSession;
import nfcpay.sim.wallet.WalletCard;
import nfcpay.sim.wallet.WrongPinException;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every {@code nfcpay wallet} command shares: where the SIM is (--reader, else the simulated SIM
 * of the --card options), where the holder PIN comes from, one holder session per tap, the refusals
 * told in one line, and the answer: what changed, then the listing as the SIM shows it afterwards.
 */
abstract class WalletSubcommand implements Callable<Integer> {

    /** What a change did, for the answer's first line and its JSON "card". */
    record Done(String line, WalletCard card) {}

    @Spec
    CommandSpec spec;

    @Mixin
    FieldOptions field;

    @Option(names = "--card", paramLabel = CardArg.SPEC_FORM, converter = CardArg.SpecConverter.class,
            description = "Simulated SIM only: a card and its balance, as for pay; repeat it, the first is priority 1"
                    + " (default: the demo wallet).")
    List<CardArg> cards = new ArrayList<>();

    @Option(names = "--pin-file", paramLabel = "FILE",
            description = "Read the holder PIN from this file (one line), else from $" + Pins.NFCPAY_PIN
                    + ", else ask without echo. Never give a PIN as an argument.")
    Path pinFile;

    /** Exists only to refuse: a PIN typed as an argument shows in ps and in the shell's history. */
    @Option(names = {"--pin", "--new-pin"}, hidden = true, paramLabel = "PIN")
    void pinAsArgument(String ignored) {
        throw new ParameterException(spec.commandLine(), "a PIN is never an argument (ps and the shell's history"
                + " would show it): use --pin-file FILE, $" + Pins.NFCPAY_PIN + " or the prompt");
    }

    /** The command's work; HolderSession's refusals and bad names may escape it, call() words them. */
    abstract int run() throws TerminalException;

    @Override
    public final Integer call() throws TerminalException {
        try {
            return run();
        } catch (ReaderFailure e) {
            throw e.getCause();
        } catch (WrongPinException e) {
            throw new TerminalException(e.triesLeft() == 0
                    ? "wrong holder PIN: no tries left, the holder PIN is now blocked"
                    : "wrong holder PIN: " + e.triesLeft() + (e.triesLeft() == 1 ? " try" : " tries") + " left", e);
        } catch (HolderException e) {
            throw new TerminalException(explain(e), e);
        } catch (IllegalArgumentException e) {
            // HolderSession's names and malformed answers, SimulatedSim's labels: written for people already
            throw new TerminalException(Main.oneLine(e.getMessage()), e);
        }
    }

    /** A refusal in the holder's terms, one line. */
    static String explain(HolderException e) {
        String sw = String.format(" (SW %04X)", e.sw());
        return switch (e.refusal()) {
            case WRONG_PIN -> "wrong holder PIN" + sw;
            case PIN_BLOCKED -> "the holder PIN is blocked: this SIM takes no more changes (its cards still pay, with"
                    + " the order and policy they have)" + sw;
            case PIN_REQUIRED -> "the SIM wants the holder PIN verified first" + sw;
            case TRANSPORT_PIN -> "the SIM still has its transport PIN: set your own first with 'nfcpay wallet pin"
                    + " change'" + sw;
            case CONTACTLESS -> "the SIM refuses holder commands over the contactless interface: use its contact"
                    + " interface, as a phone's wallet does" + sw;
            case LAST_ACTIVE_CARD -> "the last active card stays active: activate another card first" + sw;
            case UNKNOWN_CARD -> "no such card application on the SIM" + sw;
            case REJECTED -> "the SIM refused: " + Main.oneLine(e.getMessage());
        };
    }

    NfcpayCommand root() {
        return (NfcpayCommand) spec.root().userObject();
    }

    Pins pins() {
        return new Pins(root().environment().variables(), Pins.systemConsole());
    }

    /** The reader, or the simulated SIM of the --card specs (built now). */
    Field openField() {
        return field.open(root(), cards, null);
    }

    /** The simulated SIM, or a ParameterException saying why {@code what} has no meaning on a reader. */
    SimulatedSim simulatedOnly(Field f, String what) {
        if (f.simulatedSim() == null) {
            throw new ParameterException(spec.commandLine(), what + " works on the simulated SIM only: a real SIM gets"
                    + " its card applications through the issuer's GlobalPlatform install (its card manager), not from"
                    + " the holder's wallet");
        }
        return f.simulatedSim();
    }

    /** A holder session over one tap (it selects the PPSE); the tap's failures come back as ReaderFailure. */
    static HolderSession open(Transport tap) {
        return HolderSession.open(command -> {
            try {
                return tap.transceive(command);
            } catch (TransportException e) {
                throw new ReaderFailure(e);
            }
        });
    }

    /** VERIFY with {@code pin}, wiped whatever happens. */
    static void verify(HolderSession session, Pins.Pin pin) {
        try {
            session.verify(pin.digits());
        } finally {
            pin.wipe();
        }
    }

    /**
     * The holder's pattern for every change: the PIN (before the card is touched), one tap, VERIFY,
     * the change, the listing after it, the answer.
     */
    int change(String action, HolderChange work) throws TerminalException {
        Field f = openField();
        Pins.Pin pin = pins().holderPin(pinFile);
        try (Transport tap = f.holderTap()) {
            HolderSession session = open(tap);
            verify(session, pin);
            Done done = work.apply(session);
            answer(action, done, WalletListing.read(session), f);
        } finally {
            pin.wipe();
        }
        return Main.OK;
    }

    /** One change made in a verified session. */
    @FunctionalInterface
    interface HolderChange {
        Done apply(HolderSession session) throws TerminalException;
    }

    /** Prints what changed (null: nothing did) and the listing, as text or as one JSON object. */
    void answer(String action, Done done, WalletListing listing, Field f) {
        SimulatedSim sim = f.simulatedSim();
        Map<String, Object> json = Json.object();
        json.put("action", action);
        if (done != null && done.card() != null) {
            Map<String, Object> card = Json.object();
            card.put("label", done.card().label());
            card.put("aid", done.card().aidHex());
            json.put("card", card);
        }
        listing.putJson(json);
        json.put("simulated", sim != null);
        root().print(json, out -> {
            if (done != null) {
                out.println(done.line());
            }
            listing.print(out, "  ");
            if (sim != null && done != null) {
                out.println("(a simulated SIM built for this command: the change is forgotten when it ends)");
            }
        }, sim != null && sim.usesTestKeys());
    }

    /**
     * The card a name means: its label (exactly, else ignoring case, else the start of one label
     * only, as the other commands' --card LABEL), else its AID in hex.
     */
    static WalletCard resolve(List<WalletCard> cards, String name) throws TerminalException {
        return ChosenCardOptions.byLabel(cards, WalletCard::label, name)
                .or(() -> cards.stream().filter(c -> c.aidHex().equalsIgnoreCase(name)).findFirst())
                .orElseThrow(() -> new TerminalException("no card labelled or with AID '" + name + "' on the SIM (cards: "
                        + String.join(", ", cards.stream().map(c -> c.label() + " " + c.aidHex()).toList()) + ")"));
    }

    /** "Daily Wallet (F000000824010101)". */
    static String named(WalletCard c) {
        return c.label() + " (" + c.aidHex() + ")";
    }

    /** A reader failure carried through HolderSession, which takes an unchecked transport. */
    static final class ReaderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReaderFailure(TransportException cause) {
            super(cause);
        }

        @Override
        public synchronized TransportException getCause() {
            return (TransportException) super.getCause();
        }
    }
}

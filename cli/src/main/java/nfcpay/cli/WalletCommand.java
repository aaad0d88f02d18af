package nfcpay.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.Callable;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.wallet.HolderException;
import nfcpay.sim.wallet.HolderSession;
import nfcpay.sim.wallet.WalletCard;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nfcpay wallet}: the holder's side of the SIM (docs/wallet.md), one subcommand per choice. */
@Command(name = "wallet",
        description = {"The holder's side of the SIM: which card comes first, which rule the SIM picks by, which cards"
                + " take part, the holder PIN; on the simulated SIM, which cards are installed.",
            "",
            "Changes need the holder PIN: from --pin-file FILE, else $NFCPAY_PIN ($NFCPAY_NEW_PIN for the new one),"
                + " else asked without echo; never an argument. Every command ends with the cards as the SIM lists"
                + " them.",
            "",
            "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends:"
                + " the listing printed after a change shows its effect. With --reader (the SIM of 'nfcpay sim"
                + " --pcsc', a SIM on a contact reader) the SIM keeps it."},
        subcommands = {WalletCommand.ListCards.class, WalletCommand.Order.class, WalletCommand.Policy.class,
            WalletCommand.Activate.class, WalletCommand.Deactivate.class, WalletCommand.HolderPin.class,
            WalletCommand.Add.class, WalletCommand.Remove.class},
        exitCodeListHeading = WalletCommand.EXIT_CODES, exitCodeList = {WalletCommand.DONE, WalletCommand.REFUSED})
final class WalletCommand implements Callable<Integer> {

    // Every wallet command's (the root's list, which they would inherit, has a "declined" they never give)
    static final String EXIT_CODES = "%nExit codes:%n";
    static final String DONE = "0:done";
    static final String REFUSED = "1:an error or a refusal (wrong or blocked PIN, unknown card, ...), told in one line";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say what to do: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    @Command(name = "list",
            description = {"List the card applications in priority order, deactivated ones too: label, AID, active (yes,"
                    + " no, or new: registered and not yet approved with 'activate'), account status; with --balances, the balance of each (this listing asks for the holder PIN;"
                    + " the balances are no secret from a reader in the field, see docs/wallet.md \"Privacy\").",
                "",
                "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends."},
            exitCodeListHeading = EXIT_CODES, exitCodeList = {DONE, REFUSED})
    static final class ListCards extends WalletSubcommand {

        @Option(names = "--balances", description = "Verify the holder PIN and show each card's balance.")
        boolean balances;

        @Override
        int run() throws TerminalException {
            Field f = openField();
            Pins.Pin pin = balances ? pins().holderPin(pinFile) : null;
            try (Transport tap = f.holderTap()) {
                HolderSession session = open(tap);
                if (pin != null) {
                    verify(session, pin);
                }
                answer("list", null, WalletListing.read(session), f);
            } finally {
                if (pin != null) {
                    pin.wipe();
                }
            }
            return Main.OK;
        }
    }

    @Command(name = "order",
            description = {"Set the priority order: the cards named take the first places in this order, the others"
                    + " follow in the order they had. Needs the holder PIN.",
                "",
                "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends."},
            exitCodeListHeading = EXIT_CODES, exitCodeList = {DONE, REFUSED})
    static final class Order extends WalletSubcommand {

        @Parameters(arity = "1..*", paramLabel = "LABEL",
                description = "Cards by label (or the start of one, or AID), first first.")
        List<String> names;

        @Override
        int run() throws TerminalException {
            return change("order", session -> {
                List<WalletCard> all = session.list();
                List<WalletCard> named = new ArrayList<>();
                for (String name : names) {
                    WalletCard c = resolve(all, name);
                    if (named.contains(c)) {
                        throw new TerminalException(c.label() + " is named twice: name each card once");
                    }
                    named.add(c);
                }
                session.order(named.stream().map(WalletCard::aidHex).toList());
                String labels = String.join(", ", named.stream().map(WalletCard::label).toList());
                return new Done("order set: " + labels + (named.size() < all.size() ? ", then the others as they were"
                        : ""), null);
            });
        }
    }

    @Command(name = "policy",
            description = {"Set the selection policy, the rule the SIM picks by when several cards could pay:"
                    + " priority (the first in the order that can pay), best-fit (the smallest balance that covers"
                    + " the amount), most-funds (the largest balance), any. Needs the holder PIN.",
                "",
                "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends."},
            exitCodeListHeading = EXIT_CODES, exitCodeList = {DONE, REFUSED})
    static final class Policy extends WalletSubcommand {

        @Parameters(paramLabel = "POLICY", converter = Field.PolicyConverter.class,
                description = "priority, best-fit, most-funds or any.")
        SelectionPolicy policy;

        @Override
        int run() throws TerminalException {
            return change("policy", session -> {
                session.policy(policy);
                return new Done("policy set: " + Field.policyName(policy), null);
            });
        }
    }

    @Command(name = "activate",
            description = {"Bring a deactivated card back into the PPSE and smart selection, with its balance, keys"
                    + " and place; or approve a new one (listed as 'new': registered, never activated), which pays"
                    + " only from then on. Needs the holder PIN.",
                "",
                "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends."},
            exitCodeListHeading = EXIT_CODES, exitCodeList = {DONE, REFUSED})
    static final class Activate extends WalletSubcommand {

        @Parameters(paramLabel = "LABEL", description = "The card by label (or the start of one, or AID).")
        String name;

        @Override
        int run() throws TerminalException {
            return change("activate", session -> {
                WalletCard c = resolve(session.list(), name);
                session.activate(c.aidHex());
                return new Done("activated: " + named(c), c);
            });
        }
    }

    @Command(name = "deactivate",
            description = {"Take a card out of the tap: it leaves the PPSE and smart selection at once, and keeps its"
                    + " balance, keys and place for 'activate'. The last active card stays. Needs the holder PIN.",
                "",
                "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends."},
            exitCodeListHeading = EXIT_CODES, exitCodeList = {DONE, REFUSED})
    static final class Deactivate extends WalletSubcommand {

        @Parameters(paramLabel = "LABEL", description = "The card by label (or the start of one, or AID).")
        String name;

        @Override
        int run() throws TerminalException {
            return change("deactivate", session -> {
                WalletCard c = resolve(session.list(), name);
                try {
                    session.deactivate(c.aidHex());
                } catch (HolderException e) {
                    if (e.refusal() == HolderException.Refusal.LAST_ACTIVE_CARD) {
                        throw new TerminalException(c.label() + " is the last active card and stays active: activate"
                                + " another card first" + String.format(" (SW %04X)", e.sw()), e);
                    }
                    throw e;
                }
                return new Done("deactivated: " + named(c), c);
            });
        }
    }

    @Command(name = "pin", description = "The holder PIN.", subcommands = HolderPin.Change.class,
            exitCodeListHeading = EXIT_CODES, exitCodeList = {DONE, REFUSED})
    static final class HolderPin implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "say what to do: change");
        }

        @Command(name = "change",
                description = {"Change the holder PIN (also the transport PIN a new SIM comes with). The PIN today"
                        + " from --pin-file, $NFCPAY_PIN or the prompt; the new one from --new-pin-file,"
                        + " $NFCPAY_NEW_PIN or the prompt (typed twice). 4 to 8 digits.",
                    "",
                    "Without --reader, on a simulated SIM built from the --card options, forgotten when the command"
                        + " ends."},
                exitCodeListHeading = EXIT_CODES, exitCodeList = {DONE, REFUSED})
        static final class Change extends WalletSubcommand {

            @Option(names = "--new-pin-file", paramLabel = "FILE",
                    description = "Read the new holder PIN from this file (one line), else from $"
                            + Pins.NFCPAY_NEW_PIN + ", else ask twice without echo.")
            Path newPinFile;

            @Override
            int run() throws TerminalException {
                Field f = openField();
                Pins pins = pins();
                Pins.Pin old = pins.holderPin(pinFile);
                Pins.Pin fresh = null;
                try {
                    fresh = pins.newPin(newPinFile);
                    try (Transport tap = f.holderTap()) {
                        HolderSession session = open(tap);
                        session.changePin(old.digits(), fresh.digits());
                        answer("pin change", new Done("holder PIN changed", null), WalletListing.read(session), f);
                    }
                } finally {
                    old.wipe();
                    if (fresh != null) {
                        fresh.wipe();
                    }
                }
                return Main.OK;
            }
        }
    }

    @Command(name = "add",
            description = {"Simulated SIM only: install and personalize another card with this balance; it joins the"
                    + " end of the order. A real SIM gets card applications from its issuer (GlobalPlatform install),"
                    + " not from a wallet, so this is an error with --reader.",
                "",
                "On a simulated SIM built from the --card options, forgotten when the command ends."},
            exitCodeListHeading = EXIT_CODES, exitCodeList = {DONE, REFUSED})
    static final class Add extends WalletSubcommand {

        @Option(names = "--label", required = true, paramLabel = "LABEL",
                description = "The new card's label, 1 to 16 printable ASCII characters.")
        String label;

        @Option(names = "--balance", required = true, paramLabel = "AMOUNT",
                description = "Its opening balance, e.g. 50.00 (zero is fine).")
        String balance;

        @Option(names = "--currency", paramLabel = "CUR", defaultValue = "CNY",
                description = "Its ISO 4217 currency (default: ${DEFAULT-VALUE}).")
        String currency;

        @Option(names = "--balances", description = "Verify the holder PIN and show each card's balance afterwards.")
        boolean balances;

        @Option(names = "--new", description = {"Leave the card new, as a card its issuer installs on a real SIM: out"
                + " of the PPSE until 'nfcpay wallet activate' approves it with the holder PIN. Without it the simulated"
                + " SIM approves it at once, with the PIN it was built with."})
        boolean leaveNew;

        @Override
        int run() throws TerminalException {
            Field f = openField();
            SimulatedSim sim = simulatedOnly(f, "wallet add");
            Money opening = opening();
            Pins.Pin pin = balances ? pins().holderPin(pinFile) : null;
            try {
                SimCard added;
                try {
                    long max = Math.max(SimulatedSim.DEFAULT_MAX_BALANCE, opening.minor());
                    String name = label.strip();
                    added = leaveNew ? sim.addNewCard(name, opening.minor(), opening.currency(), max)
                            : sim.addCard(name, opening.minor(), opening.currency(), max);
                } catch (IllegalStateException e) {
                    throw new TerminalException(Main.oneLine(e.getMessage()), e); // the SIM is full
                }
                try (Transport tap = f.holderTap()) {
                    HolderSession session = open(tap);
                    if (pin != null) {
                        verify(session, pin);
                    }
                    WalletListing listing = WalletListing.read(session);
                    WalletCard card = resolve(listing.cards(), added.aidHex());
                    answer("add", new Done("added: " + named(card) + " with " + Text.money(opening)
                            + ", priority " + card.priority() + " of " + listing.cards().size()
                            + (card.isNew() ? "; new: it pays once 'nfcpay wallet activate' approves it" : ""), card),
                            listing, f);
                }
            } finally {
                if (pin != null) {
                    pin.wipe();
                }
            }
            return Main.OK;
        }

        private Money opening() {
            Currency c;
            try {
                c = Money.currency(currency);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--currency: " + e.getMessage());
            }
            try {
                return CardArg.balance(balance, c);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--balance: " + e.getMessage());
            }
        }
    }

    @Command(name = "remove",
            description = {"Simulated SIM only: delete a card application and its credential; the other cards keep"
                    + " their balances and order. A real SIM's applications are deleted by its issuer, not from a"
                    + " wallet, so this is an error with --reader.",
                "",
                "On a simulated SIM built from the --card options, forgotten when the command ends."},
            exitCodeListHeading = EXIT_CODES, exitCodeList = {DONE, REFUSED})
    static final class Remove extends WalletSubcommand {

        @Parameters(paramLabel = "LABEL", description = "The card by label (or the start of one, or AID).")
        String name;

        @Option(names = "--balances", description = "Verify the holder PIN and show each card's balance afterwards.")
        boolean balances;

        @Option(names = "--force", description = "Remove a card that still holds money, or the only card: its balance"
                + " is destroyed with it.")
        boolean force;

        @Override
        int run() throws TerminalException {
            Field f = openField();
            SimulatedSim sim = simulatedOnly(f, "wallet remove");
            Pins.Pin pin = balances ? pins().holderPin(pinFile) : null;
            try {
                WalletCard card;
                try (Transport tap = f.holderTap()) {
                    card = resolve(open(tap).list(), name);
                }
                String destroyed = RemovalGuard.check(sim, card.label(), force);
                sim.removeCard(card.label());
                try (Transport tap = f.holderTap()) {
                    HolderSession session = open(tap);
                    if (pin != null) {
                        verify(session, pin);
                    }
                    answer("remove", new Done("removed: " + named(card) + destroyed, card), WalletListing.read(session), f);
                }
            } finally {
                if (pin != null) {
                    pin.wipe();
                }
            }
            return Main.OK;
        }
    }
}

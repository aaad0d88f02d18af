package nfcpay.cli;

import static nfcpay.cli.PayCommandTest.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.transport.Readers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nfcpay wallet} on the simulated SIM built in the process: each command's good path, its
 * answer as text and JSON, where the PIN comes from, and the refusals. The SIM lives for one command,
 * so every assertion reads the listing the command prints after its change.
 */
class WalletCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path data;

    Cli cli;

    @BeforeEach
    void cli() {
        cli = new Cli(home);
    }

    Cli.Run run(String... args) {
        String[] full = Arrays.copyOf(args, args.length + 2);
        full[args.length] = "--data-dir";
        full[args.length + 1] = data.toString();
        return cli.run(full);
    }

    Cli.Run ok(String... args) {
        Cli.Run r = run(args);
        assertThat(r.exit()).as("%s: %s", String.join(" ", args), r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    Cli withPin(String pin) {
        return cli.variable(Pins.NFCPAY_PIN, pin);
    }

    static List<String> labels(JsonObject o) {
        return StreamSupport.stream(o.getAsJsonArray("cards").spliterator(), false)
                .map(c -> c.getAsJsonObject().get("label").getAsString()).toList();
    }

    static JsonObject card(JsonObject o, String label) {
        for (var c : o.getAsJsonArray("cards")) {
            if (c.getAsJsonObject().get("label").getAsString().equals(label)) {
                return c.getAsJsonObject();
            }
        }
        throw new AssertionError("no card " + label + " in " + o);
    }

    // ------------------------------------------------------------------ list

    @Test
    void listWithoutAPinShowsEveryCardButNoBalance() throws IOException {
        Cli.Run r = ok("wallet", "list");

        assertThat(r.out()).isEqualTo("""
                3 cards on the SIM; policy: priority; holder PIN: 3 tries left
                  PRIORITY  LABEL         AID               ACTIVE  STATUS
                  1         Daily Wallet  F000000824010101  yes     active
                  2         Salary Card   F000000824010102  yes     active
                  3         Travel Card   F000000824010103  yes     active
                (balances in this list need the holder PIN: --balances; any reader in the field reads them without it, as 'nfcpay cards' does)
                (test keys)
                """);
        try (var files = Files.list(data)) {
            assertThat(files.toList()).as("the wallet is no transaction: nothing journaled").isEmpty();
        }
    }

    @Test
    void listWithBalancesTakesThePinFromTheEnvironment() {
        Cli.Run r = withPin("1234").run("wallet", "list", "--balances", "--card", "Lunch=20", "--card", "Euro=5.5@EUR");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                2 cards on the SIM; policy: priority; holder PIN: verified, 3 tries left
                  PRIORITY  LABEL  AID               ACTIVE  STATUS  BALANCE
                  1         Lunch  F000000824010101  yes     active  CNY 20.00
                  2         Euro   F000000824010102  yes     active  EUR 5.50
                (test keys)
                """);
    }

    @Test
    void listWithBalancesTakesThePinFromAFileWithItsLineEnd() throws IOException {
        Path file = Files.writeString(home.resolve("pin"), "1234\r\n");

        Cli.Run r = ok("wallet", "list", "--balances", "--pin-file", file.toString(), "--json");

        JsonObject o = r.json();
        assertThat(string(card(o, "Salary Card"), "balance")).isEqualTo("320.00");
        assertThat(o.getAsJsonObject("pin").get("verified").getAsBoolean()).isTrue();
    }

    @Test
    void listAsJsonHasNoBalanceKeyWithoutThePin() {
        JsonObject o = ok("wallet", "list", "--json").json();

        assertThat(o.get("action").getAsString()).isEqualTo("list");
        assertThat(o.get("policy").getAsString()).isEqualTo("priority");
        assertThat(o.get("simulated").getAsBoolean()).isTrue();
        assertThat(o.get("test_keys").getAsBoolean()).isTrue();
        JsonObject pin = o.getAsJsonObject("pin");
        assertThat(pin.get("verified").getAsBoolean()).isFalse();
        assertThat(pin.get("tries_left").getAsInt()).isEqualTo(3);
        assertThat(pin.get("blocked").getAsBoolean()).isFalse();
        assertThat(pin.get("transport").getAsBoolean()).isFalse();
        JsonArray cards = o.getAsJsonArray("cards");
        assertThat(cards).hasSize(3);
        JsonObject daily = cards.get(0).getAsJsonObject();
        assertThat(daily.get("label").getAsString()).isEqualTo("Daily Wallet");
        assertThat(daily.get("aid").getAsString()).isEqualTo("F000000824010101");
        assertThat(daily.get("priority").getAsInt()).isEqualTo(1);
        assertThat(daily.get("active").getAsBoolean()).isTrue();
        assertThat(daily.get("status").getAsString()).isEqualTo("active");
        assertThat(daily.get("currency").getAsString()).isEqualTo("CNY");
        assertThat(daily.has("balance")).isFalse();
    }

    // ------------------------------------------------------------------ changes

    @Test
    void orderPutsTheNamedCardsFirstAndTheOthersAfterAsTheyWere() {
        Cli.Run r = withPin("1234").run("wallet", "order", "travel", "F000000824010102");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("order set: Travel Card, Salary Card, then the others as they were\n")
                .contains("""
                          1         Travel Card   F000000824010103  yes     active  CNY 1500.00
                          2         Salary Card   F000000824010102  yes     active  CNY 320.00
                          3         Daily Wallet  F000000824010101  yes     active  CNY 15.00
                        """)
                .contains("(a simulated SIM built for this command: the change is forgotten when it ends)");
        JsonObject o = withPin("1234").run("wallet", "order", "Salary Card", "--json").json();
        assertThat(o.get("action").getAsString()).isEqualTo("order");
        assertThat(labels(o)).containsExactly("Salary Card", "Daily Wallet", "Travel Card");
    }

    @Test
    void orderRefusesACardNamedTwice() {
        String error = withPin("1234").run("wallet", "order", "Travel Card", "travel").singleError();

        assertThat(error).isEqualTo("nfcpay: error: Travel Card is named twice: name each card once");
    }

    @Test
    void policyIsSetAndListed() {
        Cli.Run text = withPin("1234").run("wallet", "policy", "best-fit");
        JsonObject json = withPin("1234").run("wallet", "policy", "MOST_FUNDS", "--json").json();

        assertThat(text.out()).startsWith("policy set: best-fit\n3 cards on the SIM; policy: best-fit;");
        assertThat(json.get("action").getAsString()).isEqualTo("policy");
        assertThat(json.get("policy").getAsString()).isEqualTo("most-funds");
        assertThat(run("wallet", "policy", "cheapest").singleError())
                .contains("unknown policy 'cheapest' (priority, best-fit, most-funds or any)");
    }

    @Test
    void deactivateTakesTheCardOutAndActivateNamesIt() {
        Cli.Run off = withPin("1234").run("wallet", "deactivate", "Salary Card");
        JsonObject on = withPin("1234").run("wallet", "activate", "salary", "--json").json();

        assertThat(off.exit()).as(off.err()).isZero();
        assertThat(off.out()).startsWith("deactivated: Salary Card (F000000824010102)\n")
                .contains("  2         Salary Card   F000000824010102  no      active  CNY 320.00\n");
        assertThat(on.get("action").getAsString()).isEqualTo("activate");
        assertThat(on.getAsJsonObject("card").get("label").getAsString()).isEqualTo("Salary Card");
        assertThat(on.getAsJsonObject("card").get("aid").getAsString()).isEqualTo("F000000824010102");
        assertThat(card(on, "Salary Card").get("active").getAsBoolean()).isTrue();
    }

    @Test
    void pinChangeTakesBothPinsFromTheEnvironmentOrFromFiles() throws IOException {
        Cli.Run env = withPin("1234").variable(Pins.NFCPAY_NEW_PIN, "86420").run("wallet", "pin", "change");
        Path old = Files.writeString(home.resolve("old"), "1234\n");
        Path fresh = Files.writeString(home.resolve("new"), "13579\n");
        JsonObject files = new Cli(home).run("wallet", "pin", "change", "--pin-file", old.toString(),
                "--new-pin-file", fresh.toString(), "--json").json();

        assertThat(env.exit()).as(env.err()).isZero();
        assertThat(env.out()).startsWith("holder PIN changed\n3 cards on the SIM; policy: priority; holder PIN: verified,");
        assertThat(files.get("action").getAsString()).isEqualTo("pin change");
        assertThat(files.getAsJsonObject("pin").get("verified").getAsBoolean()).isTrue();
    }

    @Test
    void addInstallsACardAtTheEndOfTheOrder() {
        Cli.Run text = ok("wallet", "add", "--label", "Gift Card", "--balance", "50");
        JsonObject json = withPin("1234").run("wallet", "add", "--label", "Euro", "--balance", "0", "--currency", "eur",
                "--balances", "--json", "--card", "A=1", "--card", "B=2").json();

        assertThat(text.out()).startsWith("added: Gift Card (F000000824010104) with CNY 50.00, priority 4 of 4\n")
                .contains("  4         Gift Card     F000000824010104  yes     active\n");
        assertThat(json.get("action").getAsString()).isEqualTo("add");
        assertThat(json.getAsJsonObject("card").get("aid").getAsString()).isEqualTo("F000000824010103");
        assertThat(labels(json)).containsExactly("A", "B", "Euro");
        assertThat(string(card(json, "Euro"), "balance")).isEqualTo("0.00");
        assertThat(card(json, "Euro").get("currency").getAsString()).isEqualTo("EUR");
        assertThat(string(card(json, "B"), "balance")).isEqualTo("2.00");
    }

    @Test
    void addWithNewLeavesTheCardForTheHolderToApprove() {
        Cli.Run text = ok("wallet", "add", "--label", "Gift Card", "--balance", "50", "--new");
        assertThat(text.out()).startsWith("added: Gift Card (F000000824010104) with CNY 50.00, priority 4 of 4; new:"
                + " it pays once 'nfcpay wallet activate' approves it\n")
                .contains("  4         Gift Card     F000000824010104  new     active\n");
        JsonObject json = run("wallet", "add", "--label", "Gift Card", "--balance", "50", "--new", "--json").json();
        assertThat(card(json, "Gift Card").get("new").getAsBoolean()).isTrue();
        assertThat(card(json, "Gift Card").get("active").getAsBoolean()).isFalse();
        assertThat(card(json, "Daily Wallet").get("new").getAsBoolean()).isFalse();
    }

    @Test
    void addRefusesWhatTheSimCannotHold() {
        assertThat(run("wallet", "add", "--label", "Daily Wallet", "--balance", "1").singleError())
                .isEqualTo("nfcpay: error: there is already a card labelled Daily Wallet");
        assertThat(run("wallet", "add", "--label", "X", "--balance", "-1").singleError()).contains("--balance: ");
        assertThat(run("wallet", "add", "--label", "X", "--balance", "1", "--currency", "XYZ").singleError())
                .contains("--currency: unknown currency: 'XYZ'");
        assertThat(run("wallet", "add", "--balance", "1").singleError()).contains("--label");
    }

    @Test
    void removeKeepsTheOtherCardsBalancesAndOrder() {
        JsonObject o = withPin("1234").run("wallet", "remove", "B", "--force", "--balances", "--json",
                "--card", "A=1", "--card", "B=2", "--card", "C=3", "--card", "D=4").json();
        Cli.Run text = ok("wallet", "remove", "Travel Card", "--force");

        assertThat(o.get("action").getAsString()).isEqualTo("remove");
        assertThat(o.getAsJsonObject("card").get("aid").getAsString()).isEqualTo("F000000824010102");
        assertThat(labels(o)).containsExactly("A", "C", "D");
        assertThat(List.of("A", "C", "D").stream().map(l -> string(card(o, l), "balance")))
                .containsExactly("1.00", "3.00", "4.00");
        assertThat(text.out()).startsWith("removed: Travel Card (F000000824010103), its balance of CNY 1500.00 destroyed\n2 cards on the SIM;")
                .doesNotContain("F000000824010103  ");
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void aWrongPinSaysHowManyTriesAreLeft() {
        assertThat(withPin("0000").run("wallet", "order", "Travel Card").singleError())
                .isEqualTo("nfcpay: error: wrong holder PIN: 2 tries left");
    }

    @Test
    void anUnknownLabelNamesTheCardsThereAre() {
        String error = withPin("1234").run("wallet", "deactivate", "Gold").singleError();

        assertThat(error).isEqualTo("nfcpay: error: no card labelled or with AID 'Gold' on the SIM (cards: Daily Wallet"
                + " F000000824010101, Salary Card F000000824010102, Travel Card F000000824010103)");
        assertThat(run("wallet", "remove", "Gold").singleError()).contains("no card labelled or with AID 'Gold'");
    }

    @Test
    void theLastActiveCardStaysActive() {
        String error = withPin("1234").run("wallet", "deactivate", "Only", "--card", "Only=1").singleError();

        assertThat(error).isEqualTo("nfcpay: error: Only is the last active card and stays active: activate another"
                + " card first (SW 6985)");
    }

    @Test
    void aChangeWithNoPinSourceIsAnErrorNotAPrompt() {
        for (String[] args : List.of(new String[] {"wallet", "order", "Travel Card"},
                new String[] {"wallet", "policy", "any"}, new String[] {"wallet", "activate", "Salary Card"},
                new String[] {"wallet", "deactivate", "Salary Card"}, new String[] {"wallet", "list", "--balances"})) {
            assertThat(run(args).singleError()).as(String.join(" ", args)).isEqualTo("nfcpay: error: this needs the"
                    + " holder PIN and there is no terminal to ask it on: set NFCPAY_PIN or give --pin-file FILE");
        }
        assertThat(withPin("1234").run("wallet", "pin", "change").singleError()).isEqualTo("nfcpay: error: this needs"
                + " the holder new PIN and there is no terminal to ask it on: set NFCPAY_NEW_PIN or give --new-pin-file FILE");
    }

    @Test
    void aPinIsNeverAnArgumentAndTheRefusalDoesNotEchoIt() {
        for (String option : List.of("--pin", "--new-pin")) {
            Cli.Run r = run("wallet", "order", "Travel Card", option, "97531");

            assertThat(r.singleError()).startsWith("nfcpay: error: a PIN is never an argument").doesNotContain("97531");
        }
        assertThat(run("wallet", "list", "--pin=97531").err()).doesNotContain("97531");
        assertThat(run("wallet", "order", "--help").out()).doesNotContain("--pin=", "--new-pin");
    }

    @Test
    void aMalformedPinIsRefusedBeforeTheCardNamingItsSource() throws IOException {
        Path file = Files.writeString(home.resolve("pin"), "12\n34\n");

        assertThat(withPin("12a4").run("wallet", "policy", "any").singleError())
                .isEqualTo("nfcpay: error: the holder PIN from NFCPAY_PIN is not 4 to 8 digits");
        assertThat(run("wallet", "policy", "any", "--pin-file", file.toString()).singleError())
                .isEqualTo("nfcpay: error: --pin-file: " + file + " must hold the PIN alone, on one line");
        assertThat(run("wallet", "policy", "any", "--pin-file", home.resolve("absent").toString()).singleError())
                .startsWith("nfcpay: error: --pin-file: cannot read " + home.resolve("absent"));
    }

    @Test
    void addAndRemoveAreForTheSimulatedSimOnly() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        cli.reader("sim", name -> Readers.connect(sim.terminal()));

        String add = run("wallet", "add", "--label", "Gift", "--balance", "5", "--reader", "sim").singleError();
        String remove = run("wallet", "remove", "Daily Wallet", "--reader", "sim").singleError();

        for (String error : List.of(add, remove)) {
            assertThat(error).contains("works on the simulated SIM only: a real SIM gets its card applications through"
                    + " the issuer's GlobalPlatform install");
        }
        assertThat(sim.cards()).hasSize(3);
        assertThat(run("wallet", "list", "--reader", "sim", "--card", "A=1").singleError())
                .contains("--card LABEL=AMOUNT[@CUR] describes the simulated SIM: not with --reader");
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "order", "policy", "activate", "deactivate", "pin change", "add", "remove"})
    void everySubcommandHasHelpWithTheTargetAndThePinFile(String command) {
        List<String> args = new ArrayList<>(List.of("wallet"));
        args.addAll(List.of(command.split(" ")));
        args.add("--help");
        Cli.Run r = cli.run(args.toArray(String[]::new));

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: nfcpay wallet " + command + " ");
        assertThat(HelpAndVersionTest.flat(r.out())).contains("--reader=NAME", "--card=LABEL=AMOUNT[@CUR]",
                "--pin-file=FILE", "--json", "--trace", "forgotten when the command ends", "0 done")
                .doesNotContain("--pin=", "declined");
    }

    @Test
    void theTopLevelHelpListsWallet() {
        assertThat(cli.run("--help").out()).containsPattern("\\n  wallet +The holder's side of the SIM");
    }

    @Test
    void walletAloneSaysWhatItDoes() {
        assertThat(run("wallet").singleError()).startsWith("nfcpay: error: say what to do: list, order, policy,"
                + " activate, deactivate, pin, add, remove");
        assertThat(run("wallet", "pin").singleError()).startsWith("nfcpay: error: say what to do: change");
    }
}

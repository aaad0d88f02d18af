package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import javax.smartcardio.CardException;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.SmartcardioTransport;
import nfcpay.terminal.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nfcpay wallet} and {@code nfcpay pay} on one SIM that keeps its state: one {@link SimulatedSim}
 * behind the test reader "sim" (the {@link Cli} fixture), as the SIM of {@code nfcpay sim --pcsc} sits
 * behind a PC/SC reader. Both commands go through the same --reader code path as in production, so a
 * holder's change is checked where it matters: in the next purchase.
 */
class WalletOnOneSimTest {

    @TempDir
    Path home;

    @TempDir
    Path data;

    SimulatedSim sim;
    Cli cli;

    void on(SimulatedSim s) {
        sim = s;
        cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()))
                // jcardsim reports a T=CL connection as contactless (protocol 80), as a POS reader's field is
                .reader("field", name -> {
                    try {
                        return new SmartcardioTransport(sim.terminal().connect("T=CL"));
                    } catch (CardException e) {
                        throw new TransportException(e.getMessage(), e);
                    }
                });
    }

    Cli.Run run(String... args) {
        String[] full = Arrays.copyOf(args, args.length + 5);
        full[args.length] = "--data-dir";
        full[args.length + 1] = data.toString();
        full[args.length + 2] = "--reader";
        full[args.length + 3] = "sim";
        full[args.length + 4] = "--test-keys"; // the SIM behind the reader is this process's simulated one
        return cli.run(full);
    }

    Cli.Run ok(String... args) {
        Cli.Run r = run(args);
        assertThat(r.exit()).as("%s: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    /** The label of the card that paid. */
    String pay(String amount) {
        return ok("pay", "--amount", amount, "--json").json().get("card").getAsString();
    }

    @Test
    void anOrderChangeDecidesTheNextPurchase() {
        on(SimulatedSim.defaultWallet());
        cli.variable(Pins.NFCPAY_PIN, "1234");

        assertThat(pay("12")).isEqualTo("Daily Wallet");
        Cli.Run order = ok("wallet", "order", "Travel Card");
        assertThat(pay("12")).isEqualTo("Travel Card");

        assertThat(order.out()).doesNotContain("forgotten").contains("1         Travel Card");
        assertThat(ok("wallet", "list", "--json").json().get("simulated").getAsBoolean()).isFalse();
        assertThat(sim.balance("Travel Card")).isEqualTo(150_000 - 1_200);
    }

    @Test
    void aPolicyChangeDecidesTheNextPurchase() {
        on(SimulatedSim.defaultWallet());
        cli.variable(Pins.NFCPAY_PIN, "1234");

        ok("wallet", "policy", "most-funds");
        assertThat(pay("12")).isEqualTo("Travel Card");
        ok("wallet", "policy", "best-fit");
        assertThat(pay("12")).as("the smallest balance that covers 12.00: 15.00").isEqualTo("Daily Wallet");
        assertThat(pay("12")).as("3.00 left on the Daily Wallet: next smallest").isEqualTo("Salary Card");
        assertThat(ok("wallet", "list", "--json").json().get("policy").getAsString()).isEqualTo("best-fit");
    }

    @Test
    void aDeactivatedCardIsPassedOverAndComesBackWithItsBalance() {
        on(SimulatedSim.defaultWallet());
        cli.variable(Pins.NFCPAY_PIN, "1234");

        ok("wallet", "deactivate", "Daily Wallet");
        assertThat(pay("12")).isEqualTo("Salary Card");
        assertThat(ok("cards").out()).doesNotContain("Daily Wallet");
        ok("wallet", "activate", "Daily Wallet");
        assertThat(pay("12")).isEqualTo("Daily Wallet");
        assertThat(sim.balance("Daily Wallet")).isEqualTo(300);
    }

    @Test
    void wrongPinsCountDownToABlockedPinAndTheSimStillPays() {
        on(SimulatedSim.defaultWallet());
        cli.variable(Pins.NFCPAY_PIN, "9999");

        assertThat(run("wallet", "policy", "any").singleError()).isEqualTo("nfcpay: error: wrong holder PIN: 2 tries left");
        assertThat(run("wallet", "list", "--balances").singleError()).isEqualTo("nfcpay: error: wrong holder PIN: 1 try left");
        assertThat(run("wallet", "order", "Salary Card").singleError())
                .isEqualTo("nfcpay: error: wrong holder PIN: no tries left, the holder PIN is now blocked");
        cli.variable(Pins.NFCPAY_PIN, "1234");
        assertThat(run("wallet", "order", "Salary Card").singleError()).isEqualTo("nfcpay: error: the holder PIN is"
                + " blocked: this SIM takes no more changes (its cards still pay, with the order and policy they have)"
                + " (SW 6983)");

        assertThat(ok("wallet", "list").out()).startsWith("3 cards on the SIM; policy: priority; holder PIN: blocked\n");
        assertThat(pay("12")).isEqualTo("Daily Wallet");
    }

    @Test
    void theTransportPinMustBeChangedBeforeAnythingElse() {
        on(SimulatedSim.builder().card("A", 1_000).card("B", 2_000).transportPin().build());
        cli.variable(Pins.NFCPAY_PIN, "1234");

        Cli.Run list = ok("wallet", "list");
        assertThat(list.out()).contains("holder PIN: transport PIN, change it first; 3 tries left");
        // Nothing could approve the cards yet: both are new, and the SIM pays with neither.
        assertThat(list.out().lines().filter(l -> l.matches(".*F00000082401010[12]\\s+new\\s.*"))).hasSize(2);
        assertThat(ok("wallet", "list", "--json").json().getAsJsonArray("cards")).allSatisfy(
                c -> assertThat(c.getAsJsonObject().get("new").getAsBoolean()).isTrue());
        assertThat(run("wallet", "order", "B").singleError()).isEqualTo("nfcpay: error: the SIM still has its transport"
                + " PIN: set your own first with 'nfcpay wallet pin change' (SW 6984)");
        cli.variable(Pins.NFCPAY_NEW_PIN, "2468");
        assertThat(ok("wallet", "pin", "change").out()).startsWith("holder PIN changed\n");

        assertThat(run("wallet", "order", "B").singleError()).as("the old PIN is gone")
                .isEqualTo("nfcpay: error: wrong holder PIN: 2 tries left");
        cli.variable(Pins.NFCPAY_PIN, "2468");
        assertThat(run("pay", "--amount", "5").exit()).as("no card approved yet").isNotZero();
        assertThat(ok("wallet", "activate", "A").out()).startsWith("activated: A");
        assertThat(ok("wallet", "activate", "B").out()).startsWith("activated: B");
        assertThat(ok("wallet", "list").out()).doesNotContain(" new ");
        ok("wallet", "order", "B");
        assertThat(pay("5")).isEqualTo("B");
    }

    @Test
    void theSimRefusesHolderCommandsFromTheContactlessField() {
        on(SimulatedSim.defaultWallet());
        cli.variable(Pins.NFCPAY_PIN, "1234");

        for (String[] args : new String[][] {{"wallet", "list"}, {"wallet", "deactivate", "Daily Wallet"}}) {
            String[] full = Arrays.copyOf(args, args.length + 2);
            full[args.length] = "--reader";
            full[args.length + 1] = "field";
            assertThat(cli.run(full).singleError()).as(String.join(" ", args)).isEqualTo("nfcpay: error: the SIM"
                    + " refuses holder commands over the contactless interface: use its contact interface, as a"
                    + " phone's wallet does (SW 6982)");
        }
        assertThat(ok("wallet", "list").out()).as("no PIN try spent, nothing deactivated")
                .contains("holder PIN: 3 tries left").doesNotContain(" no ");
    }

    @Test
    void theTraceMasksThePinBlocks() {
        on(SimulatedSim.defaultWallet());
        cli.variable(Pins.NFCPAY_PIN, "1234").variable(Pins.NFCPAY_NEW_PIN, "97531");

        Cli.Run r = ok("wallet", "pin", "change", "--trace");
        cli.variable(Pins.NFCPAY_PIN, "97531");
        Cli.Run v = ok("wallet", "list", "--balances", "--trace", "--json");

        assertThat(r.err()).contains(">> 0024008010" + "**".repeat(16) + "\n<< 9000\n")
                .doesNotContain("31323334", "3937353331");
        assertThat(v.err()).as("the new PIN verifies").contains(">> 0020008008" + "**".repeat(8) + "\n<< 9000\n")
                .contains(">> 80F24000024F0000").doesNotContain("3937353331");
        assertThat(v.json().getAsJsonObject("pin").get("verified").getAsBoolean()).isTrue();
    }
}

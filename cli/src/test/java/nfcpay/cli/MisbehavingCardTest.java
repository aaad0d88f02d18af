package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.TerminalWire.Command;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A card that leaves the field mid-purchase, and one whose MAC2 does not verify. */
class MisbehavingCardTest {

    @TempDir
    Path home;

    @TempDir
    Path data;

    /** What happens to the card's answer to DEBIT FOR PURCHASE on its way back. */
    @FunctionalInterface
    interface DebitAnswer {
        byte[] arrive(byte[] response) throws TransportException;
    }

    /** A reader "sim" with this SIM on it, whose DEBIT answers go through {@code debit}. */
    Cli cliWithReader(SimulatedSim sim, DebitAnswer debit) {
        return new Cli(home).reader("sim", name -> {
            Transport card = Readers.connect(sim.terminal());
            return new Transport() {
                @Override
                public byte[] transceive(byte[] command) throws TransportException {
                    byte[] response = card.transceive(command);
                    return Command.of(command) == Command.DEBIT_FOR_PURCHASE ? debit.arrive(response) : response;
                }

                @Override
                public void close() throws TransportException {
                    card.close();
                }
            };
        });
    }

    @Test
    void aTornPurchaseIsPendingThenRecoveredOnTheNextTap() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        boolean[] tearNextDebit = {true};
        Cli cli = cliWithReader(sim, response -> {
            if (tearNextDebit[0]) {
                tearNextDebit[0] = false;
                throw new CardRemovedException("the card left the field"); // the card debited; its answer is lost
            }
            return response;
        });

        Cli.Run torn = cli.run(withData("pay", "--amount", "12", "--reader", "sim", "--test-keys"));
        JsonObject pending = cli.run(withData("journal", "--pending", "--json")).json();
        Cli.Run next = cli.run(withData("pay", "--amount", "1", "--reader", "sim", "--test-keys"));
        Cli.Run after = cli.run(withData("journal", "--pending"));

        assertThat(torn.singleError()).contains("the card left the field", "settled on that tap");
        assertThat(torn.out()).isEmpty();
        assertThat(pending.getAsJsonArray("records")).hasSize(1);
        assertThat(pending.getAsJsonArray("records").get(0).getAsJsonObject().get("state").getAsString())
                .isEqualTo("pending");
        assertThat(next.exit()).as(next.err()).isZero();
        assertThat(next.out()).startsWith("settled first: a torn purchase of CNY 12.00 on Daily Wallet (journal #1): recovered")
                .contains("approved: CNY 1.00 paid by Daily Wallet", "balance after  CNY 2.00");
        assertThat(after.out()).contains("no pending records");
        assertThat(sim.balance("Daily Wallet")).as("debited once, not twice").isEqualTo(200);
    }

    @Test
    void tappingAgainForTheSameSaleCompletesTheTornPurchaseInsteadOfPayingTwice() throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        boolean[] tearNextDebit = {true};
        Cli cli = cliWithReader(sim, response -> {
            if (tearNextDebit[0]) {
                tearNextDebit[0] = false;
                throw new CardRemovedException("the card left the field"); // the card debited; its answer is lost
            }
            return response;
        });

        Cli.Run torn = cli.run(withData("pay", "--amount", "12", "--reader", "sim", "--test-keys"));
        Cli.Run again = cli.run(withData("pay", "--amount", "12", "--reader", "sim", "--json", "--test-keys"));

        assertThat(torn.exit()).isEqualTo(1);
        assertThat(again.exit()).as(again.err()).isZero();
        JsonObject o = again.json();
        assertThat(o.get("status").getAsString()).isEqualTo("approved");
        assertThat(o.get("completes_torn_sale").getAsBoolean()).isTrue();
        assertThat(o.get("balance_after").getAsString()).isEqualTo("3.00");
        assertThat(o.get("tac").getAsString()).hasSize(8);
        assertThat(sim.balance("Daily Wallet")).as("the sale is paid once").isEqualTo(300);
        assertThat(Cli.journal(data)).extracting(JournalRecord::state).containsExactly(TransactionState.RECOVERED);
    }

    @Test
    void aDebitAnswered6F00AfterTheCardPaidExits3AndTheNextTapCompletesTheSale() throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        boolean[] failNextDebit = {true};
        Cli cli = cliWithReader(sim, response -> {
            if (failNextDebit[0]) {
                failNextDebit[0] = false;
                return new byte[] {0x6F, 0x00}; // the card committed the debit, then answered 6F00
            }
            return response;
        });

        Cli.Run unknown = cli.run(withData("pay", "--amount", "12", "--reader", "sim", "--test-keys"));
        Cli.Run again = cli.run(withData("pay", "--amount", "12", "--reader", "sim", "--json", "--test-keys"));

        assertThat(unknown.exit()).isEqualTo(Main.OUTCOME_UNKNOWN);
        assertThat(unknown.err()).startsWith(Main.ERROR_PREFIX + "outcome unknown").hasLineCount(1)
                .contains("6F00", "tap the same phone again");
        assertThat(unknown.out()).isEmpty();
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.json().get("completes_torn_sale").getAsBoolean()).isTrue();
        assertThat(sim.balance("Daily Wallet")).as("the sale is paid once").isEqualTo(300);
        assertThat(Cli.journal(data)).extracting(JournalRecord::state).containsExactly(TransactionState.RECOVERED);
    }

    @Test
    void aMac2ThatDoesNotVerifyIsNotApprovedAndExits1() throws TerminalException {
        Cli cli = cliWithReader(SimulatedSim.defaultWallet(), response -> {
            if (response.length == 10) {
                response[7] ^= 0x01; // TAC (4) | MAC2 (4) | 9000: one bit of MAC2
            }
            return response;
        });

        Cli.Run r = cli.run(withData("pay", "--amount", "12", "--reader", "sim", "--json", "--test-keys"));

        assertThat(r.singleError()).contains("MAC2 did not verify");
        assertThat(r.json().get("status").getAsString()).isEqualTo("mac2_failed");
        assertThat(Cli.journal(data)).extracting(JournalRecord::state).containsExactly(TransactionState.MAC2_FAILED);
    }

    private String[] withData(String... args) {
        String[] out = Arrays.copyOf(args, args.length + 2);
        out[args.length] = "--data-dir";
        out[args.length + 1] = data.toString();
        return out;
    }
}

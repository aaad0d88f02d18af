package nfcpay.cli;

import static nfcpay.cli.PayCommandTest.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path data;

    @Test
    void tellsTheThreeOutcomesAndTheBalancesBeforeAndAfter() throws IOException {
        Cli.Run r = new Cli(home).run("demo");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        String out = r.out();
        assertThat(out).containsSubsequence(
                "Balances before (smart selection: yes):",
                "Daily Wallet  F000000824010101  CNY 15.00",
                "1. CNY 12.00: Daily Wallet, the default card, covers it.",
                "approved: Daily Wallet paid CNY 12.00, balance after CNY 3.00, TAC ",
                "2. CNY 25.00: more than Daily Wallet has left.",
                "approved: Salary Card paid CNY 25.00, balance after CNY 295.00, TAC ",
                "3. CNY 2000.00: more than any card holds.",
                "declined: insufficient funds on every card",
                "Balances after:",
                "Daily Wallet  F000000824010101  CNY 3.00",
                "Salary Card   F000000824010102  CNY 295.00",
                "Travel Card   F000000824010103  CNY 1500.00",
                "4. CNY 25.00 on a legacy SIM",
                "approved: Salary Card paid CNY 25.00, balance after CNY 295.00",
                "Clearing: the issuer host (in-process: embedded PostgreSQL under a temporary directory, test keys,",
                "the terminal uploaded its purchases: 3 cleared, 0 already cleared, 0 rejected",
                "ledger check: balanced (all lines sum to 0; 6 card floats equal their loads minus their cleared purchases)",
                "(journal: a temporary one, deleted now",
                "(test keys)");
        assertThat(out.lines().filter(l -> l.equals("(test keys)"))).hasSize(1);
        try (Stream<Path> left = Files.list(home)) {
            assertThat(left).as("nothing written to the home directory").isEmpty();
        }
    }

    @Test
    void jsonTellsTheSameStory() {
        JsonObject o = new Cli(home).run("demo", "--json").json();

        JsonArray purchases = o.getAsJsonArray("purchases");
        assertThat(purchases).hasSize(3);
        JsonObject first = purchases.get(0).getAsJsonObject();
        JsonObject second = purchases.get(1).getAsJsonObject();
        JsonObject third = purchases.get(2).getAsJsonObject();
        assertThat(first.get("status").getAsString()).isEqualTo("approved");
        assertThat(first.get("card").getAsString()).isEqualTo("Daily Wallet");
        assertThat(string(first, "amount")).isEqualTo("12.00");
        assertThat(string(first, "balance_after")).isEqualTo("3.00");
        assertThat(second.get("card").getAsString()).isEqualTo("Salary Card");
        assertThat(string(second, "balance_after")).isEqualTo("295.00");
        assertThat(third.get("status").getAsString()).isEqualTo("declined");
        assertThat(third.get("reason").getAsString()).isEqualTo("insufficient funds on every card");
        assertThat(first.get("story").getAsString()).contains("default card");
        assertThat(string(o.getAsJsonArray("before").get(0).getAsJsonObject(), "balance")).isEqualTo("15.00");
        assertThat(string(o.getAsJsonArray("after").get(1).getAsJsonObject(), "balance")).isEqualTo("295.00");
        assertThat(o.getAsJsonObject("legacy").get("card").getAsString()).isEqualTo("Salary Card");
        assertThat(o.get("smart_selection").getAsBoolean()).isTrue();
        assertThat(o.get("journal").isJsonNull()).isTrue();
        assertThat(o.get("test_keys").getAsBoolean()).isTrue();
        JsonObject clearing = o.getAsJsonObject("clearing");
        assertThat(clearing.get("cleared").getAsInt()).as("two smart purchases and the legacy one").isEqualTo(3);
        assertThat(clearing.get("rejected").getAsInt()).isZero();
        assertThat(clearing.get("ledger_balanced").getAsBoolean()).isTrue();
        assertThat(clearing.get("cards_checked").getAsInt()).as("the cards of both SIMs, loaded through the host").isEqualTo(6);
    }

    @Test
    void withDataDirTheJournalIsKept() throws TerminalException {
        Cli.Run r = new Cli(home).run("demo", "--data-dir", data.toString());

        assertThat(r.out()).contains("(journal: " + data.resolve("journal.db") + ")");
        assertThat(Cli.journal(data)).as("two smart purchases and the legacy one; the decline journals nothing")
                .extracting(JournalRecord::state)
                .containsExactly(TransactionState.COMPLETED, TransactionState.COMPLETED, TransactionState.COMPLETED);
    }
}

package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path data;

    Cli cli() {
        return new Cli(home);
    }

    @Test
    void theDefaultCardPaysAndTheAnswerNamesCardAmountBalanceAndTac() throws TerminalException {
        Cli.Run r = cli().run("pay", "--amount", "12.34", "--data-dir", data.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("approved: CNY 12.34 paid by Daily Wallet\n")
                .contains("Daily Wallet (F000000824010101)", "balance after  CNY 2.66")
                .containsPattern("TAC +[0-9A-F]{8}\n");
        assertThat(r.out().lines().filter(l -> l.equals("(test keys)"))).hasSize(1);
        assertThat(r.out()).endsWith("(test keys)\n");

        List<JournalRecord> journal = Cli.journal(data);
        assertThat(journal).hasSize(1);
        assertThat(journal.get(0).state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(journal.get(0).label()).isEqualTo("Daily Wallet");
        assertThat(r.out()).contains("TAC            " + journal.get(0).tacHex());
    }

    @Test
    void jsonIsOneObjectWithDecimalStrings() {
        JsonObject o = cli().run("pay", "--amount", "20", "--json", "--data-dir", data.toString(),
                "--card", "Small=5", "--card", "Big=100.50").json();

        assertThat(o.get("status").getAsString()).isEqualTo("approved");
        assertThat(o.get("card").getAsString()).isEqualTo("Big");
        assertThat(o.get("aid").getAsString()).isEqualTo("F000000824010102");
        assertThat(string(o, "amount")).isEqualTo("20.00");
        assertThat(o.get("currency").getAsString()).isEqualTo("CNY");
        assertThat(string(o, "balance_after")).isEqualTo("80.50");
        assertThat(o.get("tac").getAsString()).matches("[0-9A-F]{8}");
        assertThat(o.get("reason").isJsonNull()).isTrue();
        assertThat(o.get("card_serial").getAsString()).matches("\\*{16}[0-9A-F]{4}");
        assertThat(o.get("journal_id").getAsLong()).isEqualTo(1);
        assertThat(o.get("recoveries").getAsJsonArray()).isEmpty();
        assertThat(o.get("test_keys").getAsBoolean()).isTrue();
    }

    @Test
    void theGlobalOptionsGoBeforeOrAfterTheCommand() {
        Cli.Run before = cli().run("--json", "--data-dir", data.toString(), "pay", "--amount", "1");
        Cli.Run after = cli().run("pay", "--amount", "1", "--data-dir", data.toString(), "--json");

        assertThat(before.json().get("journal_id").getAsLong()).isEqualTo(1);
        assertThat(after.json().get("journal_id").getAsLong()).isEqualTo(2);
    }

    @Test
    void noCardCanPayIsDeclinedWithExit2AndTheReason() throws TerminalException {
        Cli.Run text = cli().run("pay", "--amount", "2000", "--data-dir", data.toString());
        Cli.Run json = cli().run("pay", "--amount", "2000", "--data-dir", data.toString(), "--json");

        assertThat(text.exit()).isEqualTo(2);
        assertThat(text.out()).startsWith("declined: CNY 2000.00: insufficient funds on every card\n");
        assertThat(text.err()).isEmpty();
        assertThat(json.exit()).isEqualTo(2);
        JsonObject o = json.json();
        assertThat(o.get("status").getAsString()).isEqualTo("declined");
        assertThat(o.get("reason").getAsString()).isEqualTo("insufficient funds on every card");
        assertThat(string(o, "amount")).isEqualTo("2000.00");
        for (String none : List.of("card", "aid", "balance_after", "tac")) {
            assertThat(o.get(none).isJsonNull()).as(none).isTrue();
        }
        assertThat(Cli.journal(data)).as("a decline debits nothing and journals nothing").isEmpty();
    }

    @Test
    void thePolicyDecidesAmongTheCardsThatCover() {
        String[] wallet = {"--card", "A=10", "--card", "B=500", "--card", "C=50", "--json", "--data-dir", data.toString()};

        assertThat(pay("30", "priority", wallet)).isEqualTo("B");
        assertThat(pay("30", "best-fit", wallet)).isEqualTo("C");
        assertThat(pay("30", "most-funds", wallet)).isEqualTo("B");
        assertThat(pay("5", "priority", wallet)).isEqualTo("A");
        assertThat(pay("5", "BEST_FIT", wallet)).isEqualTo("A");
        assertThat(pay("30", "any", wallet)).isIn("B", "C");
    }

    private String pay(String amount, String policy, String... wallet) {
        String[] args = new String[wallet.length + 5];
        System.arraycopy(new String[] {"pay", "--amount", amount, "--policy", policy}, 0, args, 0, 5);
        System.arraycopy(wallet, 0, args, 5, wallet.length);
        Cli.Run r = cli().run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return r.json().get("card").getAsString();
    }

    @Test
    void aLegacySimIsPaidByTheTerminalsFallbackInOneTap() {
        Cli.Run r = cli().run("pay", "--amount", "25", "--legacy", "--data-dir", data.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("approved: CNY 25.00 paid by Salary Card\n").contains("balance after  CNY 295.00");
    }

    @Test
    void cardsInAnotherCurrencyPayInThatCurrency() {
        Cli.Run euro = cli().run("pay", "--amount", "7.5", "--currency", "eur", "--card", "Euro=10@EUR",
                "--data-dir", data.toString(), "--json");
        Cli.Run yuan = cli().run("pay", "--amount", "7.5", "--card", "Euro=10@EUR", "--data-dir", data.toString());
        Cli.Run legacyYuan = cli().run("pay", "--amount", "7.5", "--card", "Euro=10@EUR", "--legacy",
                "--data-dir", data.toString());

        assertThat(euro.exit()).as(euro.err()).isZero();
        assertThat(euro.json().get("currency").getAsString()).isEqualTo("EUR");
        assertThat(string(euro.json(), "balance_after")).isEqualTo("2.50");
        assertThat(yuan.exit()).as("the SIM finds no card for CNY").isEqualTo(2);
        assertThat(yuan.out()).startsWith("declined: CNY 7.50");
        assertThat(legacyYuan.exit()).isEqualTo(2);
        assertThat(legacyYuan.out()).contains("account in EUR, not CNY");
    }

    /** The value must be a JSON string, not a number: "20.00" keeps its zeros and never meets a double. */
    static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        assertThat(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()).as(key + " is a string").isTrue();
        return e.getAsString();
    }
}

package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import nfcpay.terminal.journal.JournalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merchant's side of a sale through the real command line: pay's receipt, journal show ID, journal totals per
 * currency (text and JSON), and errors under --json as one JSON object on stdout besides the line on stderr.
 */
class ReceiptsAndTotalsTest {

    @TempDir
    Path home;

    @TempDir
    Path data;

    Cli.Run run(String... args) {
        String[] full = java.util.Arrays.copyOf(args, args.length + 2);
        full[args.length] = "--data-dir";
        full[args.length + 1] = data.toString();
        return new Cli(home).run(full);
    }

    @Test
    void paysReceiptHasTerminalDateMaskedSerialAmountTacAndBalance() throws Exception {
        Cli.Run pay = run("pay", "--amount", "12.34");
        JsonObject json = run("pay", "--amount", "1", "--json").json();

        JournalRecord first = Cli.journal(data).get(1);
        assertThat(pay.exit()).as(pay.err()).isZero();
        assertThat(pay.out()).contains("balance after  CNY 2.66", "TAC            " + first.tacHex(),
                "card serial    " + first.maskedCardSerial(), "terminal       " + first.terminalIdHex(),
                "date           " + first.date() + " " + first.time());
        assertThat(first.maskedCardSerial()).startsWith("****************");
        assertThat(json.get("terminal_id").getAsString()).isEqualTo(first.terminalIdHex());
        assertThat(json.get("date").getAsString()).isEqualTo(LocalDate.now().toString());
        assertThat(json.get("time").getAsString()).matches("\\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void journalShowPrintsTheSameReceiptLater() throws Exception {
        run("pay", "--amount", "25", "--card", "Lunch=20", "--card", "Salary=300");
        JournalRecord r = Cli.journal(data).get(0);

        Cli.Run text = run("journal", "show", "1");
        JsonObject o = run("journal", "show", "1", "--json").json();

        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("receipt: purchase #1, approved\n")
                .contains("terminal       " + r.terminalIdHex(), "date           " + r.date() + " " + r.time(),
                        "card           Salary (F000000824010102)", "card serial    " + r.maskedCardSerial(),
                        "amount         CNY 25.00", "balance after  CNY 275.00", "TAC            " + r.tacHex(),
                        "transaction    journal #1, terminal serial 1")
                .doesNotContain(nfcpay.terminal.apdu.Bytes.hex(r.cardSerial()));
        assertThat(o.get("state").getAsString()).isEqualTo("completed");
        assertThat(o.get("balance_after").getAsString()).isEqualTo("275.00");
        assertThat(o.get("card_serial").getAsString()).isEqualTo(r.maskedCardSerial());
        assertThat(o.get("tac").getAsString()).isEqualTo(r.tacHex());
    }

    @Test
    void journalShowOfARecordThatIsNotThereIsOneLine() {
        run("pay", "--amount", "1");

        assertThat(run("journal", "show", "7").singleError()).contains("no journal record #7", "its records are #1 to #1");
        assertThat(run("journal", "show", "x").singleError()).contains("'x' is not a long");
    }

    @Test
    void totalsAddTheDaysSalesPerCurrencyInTextAndJson() {
        run("pay", "--amount", "12.34");
        run("pay", "--amount", "0.66");
        run("pay", "--amount", "5", "--currency", "EUR", "--card", "Euro=20@EUR");
        run("pay", "--amount", "2000"); // declined: nothing journaled, nothing counted

        Cli.Run text = run("journal", "totals");
        JsonObject o = run("journal", "totals", "--json").json();
        JsonObject yesterday = run("journal", "totals", "--date", LocalDate.now().minusDays(1).toString(), "--json").json();

        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("Totals for " + LocalDate.now(), "2 currencies")
                .containsPattern("CNY +2 +CNY 13.00 +0 +CNY 0.00 +0 +CNY 0.00 +0 +0")
                .containsPattern("EUR +1 +EUR 5.00");
        JsonArray currencies = o.getAsJsonArray("currencies");
        assertThat(currencies).hasSize(2);
        JsonObject cny = currencies.get(0).getAsJsonObject();
        assertThat(cny.get("currency").getAsString()).isEqualTo("CNY");
        assertThat(cny.get("sales").getAsInt()).isEqualTo(2);
        assertThat(cny.get("sales_total").getAsString()).isEqualTo("13.00");
        assertThat(currencies.get(1).getAsJsonObject().get("sales_total").getAsString()).isEqualTo("5.00");
        assertThat(yesterday.getAsJsonArray("currencies")).isEmpty();
        assertThat(run("journal", "totals", "--date", "yesterday").singleError()).contains("--date: not a date");
    }

    @Test
    void withJsonAnErrorIsAlsoOneJsonObjectOnStdout() {
        Cli.Run bad = run("pay", "--amount", ".5", "--json");
        Cli.Run early = new Cli(home).run("--json", "pay", "--amout", "5");
        Cli.Run failed = run("pay", "--amount", "1", "--reader", "no such reader 4711", "--test-keys", "--json");
        Cli.Run plain = run("pay", "--amount", ".5");

        for (Cli.Run r : List.of(bad, early, failed)) {
            assertThat(r.errLines()).hasSize(1);
            JsonObject o = r.json();
            assertThat(o.get("status").getAsString()).isEqualTo("error");
            assertThat(o.get("exit_code").getAsInt()).isEqualTo(1);
            assertThat(r.err()).startsWith("nfcpay: error: " + o.get("error").getAsString());
            assertThat(r.exit()).isEqualTo(1);
        }
        assertThat(bad.json().get("error").getAsString()).isEqualTo("--amount: write 0.5, not .5");
        assertThat(plain.out()).as("without --json stdout stays empty").isEmpty();
    }
}

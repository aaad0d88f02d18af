package nfcpay.cli;

import static nfcpay.cli.PayCommandTest.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.transport.Readers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cards, history, load and journal, on the in-process SIM and on a SIM behind a reader that keeps its state. */
class CommandsTest {

    @TempDir
    Path home;

    @TempDir
    Path data;

    SimulatedSim sim;
    Cli cli;

    @BeforeEach
    void aSimOnAReader() {
        sim = SimulatedSim.defaultWallet();
        cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()));
    }

    @TempDir
    static Path hostDir;
    static TestHost host;

    @BeforeAll
    static void startHost() throws Exception {
        host = TestHost.start(hostDir);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    /** The command with this test's data directory; a load goes through the test's host, a reader's card under --test-keys. */
    Cli.Run run(String... args) {
        List<String> full = new java.util.ArrayList<>(List.of(args));
        full.addAll(List.of("--data-dir", data.toString()));
        if (args[0].equals("load")) {
            try {
                full.addAll(List.of(host.args(data)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if ((args[0].equals("load") || args[0].equals("pay")) && full.contains("--reader")) {
            full.add("--test-keys");
        }
        return cli.run(full.toArray(String[]::new));
    }

    @Test
    void cardsListsTheDirectoryWithPriorityAidBalanceAndSmartSelection() {
        Cli.Run text = run("cards");
        Cli.Run legacy = run("cards", "--legacy", "--card", "Only=0.5@EUR");

        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).isEqualTo("""
                3 cards on the SIM; smart selection: yes
                  PRIORITY  LABEL         AID               BALANCE
                  1         Daily Wallet  F000000824010101  CNY 15.00
                  2         Salary Card   F000000824010102  CNY 320.00
                  3         Travel Card   F000000824010103  CNY 1500.00
                (test keys)
                """);
        assertThat(legacy.out()).startsWith("1 card on the SIM; smart selection: no\n").contains("Only", "EUR 0.50");
    }

    @Test
    void cardsAsJson() {
        JsonObject o = run("cards", "--json", "--card", "A=1", "--card", "B=2.5").json();

        assertThat(o.get("smart_selection").getAsBoolean()).isTrue();
        JsonArray cards = o.getAsJsonArray("cards");
        assertThat(cards).hasSize(2);
        JsonObject b = cards.get(1).getAsJsonObject();
        assertThat(b.get("label").getAsString()).isEqualTo("B");
        assertThat(b.get("aid").getAsString()).isEqualTo("F000000824010102");
        assertThat(b.get("priority").getAsInt()).isEqualTo(2);
        assertThat(string(b, "balance")).isEqualTo("2.50");
        assertThat(b.get("currency").getAsString()).isEqualTo("CNY");
        assertThat(o.get("test_keys").getAsBoolean()).isTrue();
    }

    @Test
    void aSimBehindAReaderKeepsItsStateFromCommandToCommand() throws TerminalException {
        assertThat(run("pay", "--amount", "12", "--reader", "sim").exit()).isZero();
        Cli.Run load = run("load", "--amount", "100", "--reader", "sim", "--card", "salary");
        Cli.Run history = run("history", "--reader", "sim", "--card", "Daily Wallet", "--json");
        Cli.Run cards = run("cards", "--reader", "sim");

        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(load.out()).startsWith("loaded: CNY 100.00 onto Salary Card\n")
                .contains("balance before  CNY 320.00", "balance after   CNY 420.00").containsPattern("TAC +[0-9A-F]{8}");
        assertThat(cards.out()).contains("CNY 3.00", "CNY 420.00");
        assertThat(sim.balance("Salary Card")).isEqualTo(42_000);

        JsonObject h = history.json();
        assertThat(h.get("card").getAsString()).isEqualTo("Daily Wallet");
        assertThat(h.get("aid").getAsString()).isEqualTo("F000000824010101");
        assertThat(h.get("card_serial").getAsString()).isEqualTo("****************" + hex(sim.card("Daily Wallet")
                .orElseThrow()).substring(16));
        JsonArray records = h.getAsJsonArray("records");
        assertThat(records).hasSize(2);
        JsonObject newest = records.get(0).getAsJsonObject();
        assertThat(newest.get("type").getAsString()).isEqualTo("purchase");
        assertThat(string(newest, "amount")).isEqualTo("12.00");
        assertThat(newest.get("number").getAsInt()).isEqualTo(1);
        assertThat(newest.get("terminal_id").getAsString()).isEqualTo(Cli.journal(data).get(0).terminalIdHex());
        assertThat(records.get(1).getAsJsonObject().get("type").getAsString()).as("the issuer's first load").isEqualTo("load");

        List<JournalRecord> journal = Cli.journal(data);
        assertThat(journal).extracting(JournalRecord::kind).containsExactly(TransactionKind.LOAD, TransactionKind.PURCHASE);
    }

    @Test
    void historyAndLoadChooseByAidAndDefaultToThePriorityOneCard() {
        Cli.Run byDefault = run("history");
        Cli.Run byAid = run("history", "--aid", "f000000824010103", "--json");
        Cli.Run load = run("load", "--amount", "5", "--json");

        assertThat(byDefault.out()).startsWith("Daily Wallet (F000000824010101), card ****************")
                .contains("1 transaction, newest first").containsPattern("1  load +CNY 15.00 +0 ");
        assertThat(byAid.json().get("card").getAsString()).isEqualTo("Travel Card");
        JsonObject l = load.json();
        assertThat(l.get("status").getAsString()).isEqualTo("loaded");
        assertThat(l.get("card").getAsString()).isEqualTo("Daily Wallet");
        assertThat(string(l, "amount")).isEqualTo("5.00");
        assertThat(string(l, "balance_before")).isEqualTo("15.00");
        assertThat(string(l, "balance_after")).isEqualTo("20.00");
        assertThat(l.get("tac").getAsString()).matches("[0-9A-F]{8}");
        assertThat(l.get("test_keys").getAsBoolean()).isTrue();
    }

    @Test
    void journalListsNewestFirstWithMaskedSerialsAndHonoursLimitAndPending() {
        run("pay", "--amount", "1", "--reader", "sim");
        run("pay", "--amount", "2", "--reader", "sim");
        run("load", "--amount", "3", "--reader", "sim");

        Cli.Run text = run("journal");
        JsonObject json = run("journal", "--json", "--limit", "2").json();
        Cli.Run pending = run("journal", "--pending");

        assertThat(text.exit()).isZero();
        assertThat(text.out()).startsWith("Journal " + data.resolve("journal.db") + ", terminal ")
                .contains("3 records, newest first");
        List<String> rows = text.out().lines().filter(l -> l.matches("  \\d.*")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).contains("completed", "load", "CNY 3.00", "Daily Wallet");
        assertThat(rows.get(2)).contains("completed", "purchase", "CNY 1.00");
        String daily = hex(sim.card("Daily Wallet").orElseThrow());
        assertThat(text.out()).doesNotContain(daily).contains("****************" + daily.substring(16, 20));
        JsonArray records = json.getAsJsonArray("records");
        assertThat(records).hasSize(2);
        JsonObject r = records.get(1).getAsJsonObject();
        assertThat(r.get("state").getAsString()).isEqualTo("completed");
        assertThat(r.get("kind").getAsString()).isEqualTo("purchase");
        assertThat(string(r, "amount")).isEqualTo("2.00");
        assertThat(r.get("card_serial").getAsString()).matches("\\*{16}[0-9A-F]{4}");
        assertThat(r.get("terminal_serial").getAsLong()).isEqualTo(2);
        assertThat(json.get("journal").getAsString()).isEqualTo(data.resolve("journal.db").toString());
        assertThat(pending.out()).contains("no pending records");
    }

    @Test
    void theJournalLivesInNfcpayHomeElseInTheHomeDirectory() {
        Path elsewhere = home.resolve("elsewhere");

        JsonObject byDefault = cli.run("journal", "--json").json();
        JsonObject byVariable = new Cli(home).variable("NFCPAY_HOME", elsewhere.toString()).run("journal", "--json").json();

        assertThat(byDefault.get("journal").getAsString()).isEqualTo(home.resolve(".nfcpay/journal.db").toString());
        assertThat(byVariable.get("journal").getAsString()).isEqualTo(elsewhere.resolve("journal.db").toString());
    }

    @Test
    void theCliDefaultWalletIsTheSimulatorsDefaultWallet() {
        SimulatedSim wallet = SimulatedSim.defaultWallet();

        assertThat(wallet.cards()).extracting(SimCard::label)
                .containsExactlyElementsOf(Field.DEFAULT_WALLET.stream().map(CardArg::label).toList());
        for (CardArg c : Field.DEFAULT_WALLET) {
            assertThat(wallet.balance(c.label())).as(c.label()).isEqualTo(c.balance().minor());
            assertThat(wallet.card(c.label()).orElseThrow().currency()).isEqualTo(c.balance().currency());
        }
    }

    static String hex(SimCard c) {
        return java.util.HexFormat.of().withUpperCase().formatHex(c.serial());
    }
}

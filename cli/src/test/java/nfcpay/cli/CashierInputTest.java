package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16's inputs that were accepted and should not be, through the real command line: one amount grammar for
 * every command, empty paths, balances above the card's maximum, labels with spaces, removing money, a vpcd host
 * that does not exist, misspelt options and commands, and I/O errors that say why.
 */
class CashierInputTest {

    @TempDir
    Path home;

    @TempDir
    Path data;

    Cli cli;

    @BeforeEach
    void cli() {
        cli = new Cli(home).variable(Pins.NFCPAY_PIN, "1234");
    }

    Cli.Run run(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        if (!full.contains("--data-dir")) {
            full.addAll(List.of("--data-dir", data.toString()));
        }
        return cli.run(full.toArray(String[]::new));
    }

    // ------------------------------------------------------------------ one amount grammar

    @ParameterizedTest(name = "--amount {0} pays {1}")
    @MethodSource("amounts")
    void theSameAmountsAreAcceptedByPayAndAsACardBalance(String text, String paid) {
        Cli.Run pay = run("pay", "--amount", text, "--json");
        Cli.Run card = run("cards", "--card", "A=" + text, "--json");
        Cli.Run add = run("wallet", "add", "--label", "New", "--balance", text, "--json");

        assertThat(pay.exit()).as(pay.err()).isZero();
        assertThat(pay.json().get("amount").getAsString()).isEqualTo(paid);
        assertThat(card.exit()).as(card.err()).isZero();
        assertThat(card.json().getAsJsonArray("cards").get(0).getAsJsonObject().get("balance").getAsString())
                .isEqualTo(paid);
        assertThat(add.exit()).as(add.err()).isZero();
    }

    static Stream<Arguments> amounts() {
        return Stream.of(Arguments.of("5", "5.00"), Arguments.of("5.", "5.00"), Arguments.of("5.5", "5.50"),
                Arguments.of("5.50", "5.50"), Arguments.of("0.50", "0.50"), Arguments.of("007", "7.00"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("notAmounts")
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a sim that took the amount would serve on
    void theSameTextIsRefusedByEveryCommandThatTakesAnAmount(String text, String message) throws Exception {
        List<Cli.Run> runs = List.of(
                run("pay", "--amount", text),
                run("load", "--amount", text, "--host", "http://127.0.0.1:9", "--token", "t"),
                run("pay", "--amount", "1", "--card", "A=" + text),
                run("sim", "--pcsc", "--card", "A=" + text),
                run("wallet", "add", "--label", "New", "--balance", text));

        for (Cli.Run r : runs) {
            assertThat(r.singleError()).contains(message);
            assertThat(r.out()).isEmpty();
        }
        assertThat(Cli.journal(data)).as("nothing journaled").isEmpty();
    }

    static Stream<Arguments> notAmounts() {
        return Stream.of(
                Arguments.of(".5", "write 0.5, not .5"),
                Arguments.of("+12", "no sign in an amount: write 12, not +12"),
                Arguments.of("-12", "amount must be above zero: -12"),
                Arguments.of(" 12", "no spaces in an amount: ' 12'"),
                Arguments.of("12 ", "no spaces in an amount: '12 '"),
                Arguments.of("12.00000", "amount 12.00000 has more than 2 decimal places for CNY"),
                Arguments.of("12.001", "amount 12.001 has more than 2 decimal places for CNY"),
                Arguments.of("1e3", "not an amount: '1e3'"),
                Arguments.of("1,000", "not an amount: '1,000'"),
                Arguments.of("", "not an amount: ''"),
                Arguments.of("12..5", "not an amount: '12..5'"));
    }

    @Test
    void zeroIsABalanceButNotAPayment() {
        assertThat(run("cards", "--card", "A=0.").exit()).isZero();
        assertThat(run("pay", "--amount", "0.").singleError()).contains("amount must be above zero: 0.");
    }

    @Test
    void aCurrencyWithoutMinorUnitsTakesNoDecimals() {
        Cli.Run yen = run("cards", "--card", "Yen=500.@JPY", "--json");

        assertThat(yen.exit()).as(yen.err()).isZero();
        assertThat(run("cards", "--card", "Yen=500.0@JPY").singleError())
                .contains("amount 500.0 has more than 0 decimal places for JPY");
    }

    // ------------------------------------------------------------------ the card's maximum balance

    @ParameterizedTest
    @ValueSource(strings = {"50000.01", "42949672.95"})
    void aCardBalanceAboveTheMaximumIsRefusedNotAMaximumRaised(String balance) {
        assertThat(run("cards", "--card", "A=" + balance).singleError())
                .contains("balance " + balance + " is above the card's maximum balance CNY 50000.00");
        assertThat(run("wallet", "add", "--label", "B", "--balance", balance).singleError())
                .contains("is above the card's maximum balance CNY 50000.00");
        assertThat(run("cards", "--card", "A=50000.00").exit()).as("the maximum itself").isZero();
    }

    // ------------------------------------------------------------------ labels

    @Test
    void labelsAreTrimmedSoTwoCardsCannotBothShowAsA() {
        Cli.Run one = run("cards", "--card", " A =1", "--json");
        String twice = run("cards", "--card", "A=1", "--card", "A =2").singleError();
        String added = run("wallet", "add", "--label", "Daily Wallet ", "--balance", "1").singleError();

        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.json().getAsJsonArray("cards").get(0).getAsJsonObject().get("label").getAsString()).isEqualTo("A");
        assertThat(twice).contains("two cards labelled A");
        assertThat(added).contains("there is already a card labelled Daily Wallet");
    }

    // ------------------------------------------------------------------ empty paths

    @Test
    void anEmptyPathIsRefusedInsteadOfMeaningTheCurrentDirectory() {
        for (String[] args : List.of(new String[] {"journal", "--data-dir", ""},
                new String[] {"pay", "--amount", "1", "--data-dir", ""},
                new String[] {"bench", "--smoke", "--out", "", "--data-dir", "x"},
                new String[] {"cards", "--key-file", ""})) {
            Cli.Run r = cli.run(args);
            assertThat(r.singleError()).as(String.join(" ", args))
                    .contains("an empty path (an unset variable?): name a file or directory");
        }
        assertThat(Path.of(NfcpayCommand.JOURNAL_FILE)).as("no journal in the current directory").doesNotExist();
        assertThat(Path.of("bench-results")).doesNotExist();
    }

    // ------------------------------------------------------------------ wallet remove

    @Test
    void removingACardWithMoneyNeedsForceAndSaysWhatIsDestroyed() {
        String refused = run("wallet", "remove", "Salary Card").singleError();
        String last = run("wallet", "remove", "A", "--card", "A=0").singleError();
        Cli.Run empty = run("wallet", "remove", "B", "--card", "A=1", "--card", "B=0");
        Cli.Run forced = run("wallet", "remove", "Salary Card", "--force", "--json");

        assertThat(refused).isEqualTo("nfcpay: error: Salary Card holds CNY 320.00: removing it destroys that balance;"
                + " --force removes it anyway");
        assertThat(last).contains("A holds nothing and is the only card on the SIM");
        assertThat(empty.exit()).as("an empty card that is not the last goes without --force").isZero();
        assertThat(forced.exit()).as(forced.err()).isZero();
        JsonObject o = forced.json();
        assertThat(o.getAsJsonArray("cards")).hasSize(2);
    }

    // ------------------------------------------------------------------ sim --vpcd

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the check it would retry forever
    void aVpcdHostThatDoesNotExistIsOneLineNotCardReady() {
        Cli.Run r = run("sim", "--pcsc", "--vpcd", "no-such-host.invalid:35963");

        assertThat(r.singleError()).contains("--vpcd: no host named 'no-such-host.invalid'");
        assertThat(r.out()).doesNotContain("card ready").isEmpty();
    }

    // ------------------------------------------------------------------ misspelt options and commands

    @Test
    void aMisspeltOptionOrCommandGetsASuggestion() {
        assertThat(run("pay", "--amout", "5").singleError())
                .contains("Unknown options: '--amout', '5'; did you mean --amount?");
        assertThat(cli.run("paay").singleError()).contains("'paay'", "did you mean pay?");
    }

    // ------------------------------------------------------------------ I/O errors

    @Test
    void anIoErrorSaysWhyAndNamesThePathOnce() throws Exception {
        Path file = Files.writeString(home.resolve("a-file"), "x");
        String journal = run("journal", "--data-dir", file.resolve("sub").toString()).singleError();
        String keys = run("cards", "--key-file", home.resolve("missing.keys").toString()).singleError();

        assertThat(journal).containsIgnoringCase("cannot open the journal " + file.resolve("sub").resolve("journal.db")
                + ": not a directory (at " + file.resolve("sub") + ")").doesNotContain("Exception");
        assertThat(keys).contains("cannot read key file " + home.resolve("missing.keys") + ": no such file or directory");
        assertThat(keys.split("missing.keys", -1)).as("path named once").hasSize(2);
    }
}

package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.transport.TapBounds;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import picocli.CommandLine;

/**
 * Runs {@code nfcpay} in this process through picocli's {@code execute}, with stdout and stderr
 * captured, a home directory of the test's own, and readers the test puts in place (a simulated SIM
 * behind a name keeps its state from one command to the next, like a SIM on a real reader). Any
 * other reader name goes to the machine's real PC/SC.
 */
final class Cli {

    /** What one run left behind. */
    record Run(int exit, String out, String err) {

        List<String> errLines() {
            return err.lines().toList();
        }

        /** stdout as the one JSON object it must be. */
        JsonObject json() {
            assertThat(out.lines().toList()).as("--json prints one line").hasSize(1);
            return JsonParser.parseString(out).getAsJsonObject();
        }

        /** Asserts the one-line error of a failed command and returns that line. */
        String singleError() {
            assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(1);
            assertThat(errLines()).as("stderr").hasSize(1);
            assertThat(err).startsWith("nfcpay: error: ").doesNotContain("\tat ", "Exception");
            return errLines().get(0);
        }
    }

    private final Path home;
    private final Map<String, String> variables = new HashMap<>();
    private final Map<String, Environment.ReaderConnector> readers = new HashMap<>();

    Cli(Path home) {
        this.home = home;
    }

    /** Puts a reader of this name in place. */
    Cli reader(String name, Environment.ReaderConnector connector) {
        readers.put(name, connector);
        return this;
    }

    Cli variable(String name, String value) {
        variables.put(name, value);
        return this;
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment.ReaderConnector connector = new Environment.ReaderConnector() {
            @Override
            public Transport connect(String name) throws TransportException {
                return connect(name, TapBounds.NO_CARD_WAIT);
            }

            @Override
            public Transport connect(String name, TapBounds bounds) throws TransportException {
                return Cli.this.connect(name, bounds);
            }
        };
        CommandLine cl = Main.commandLine(new Environment(variables, home, connector));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A reader put in place, as it is; any other name is the machine's real PC/SC reader, held as nfcpay holds it. */
    private Transport connect(String name, TapBounds bounds) throws TransportException {
        Environment.ReaderConnector c = readers.get(name);
        return c != null ? c.connect(name) : Environment.PCSC.connect(name, bounds);
    }

    /** Every record of the journal in {@code dir}, newest first (opening it creates it if need be). */
    static List<JournalRecord> journal(Path dir) throws TerminalException {
        try (Journal j = Journal.open(dir.resolve(NfcpayCommand.JOURNAL_FILE))) {
            return j.list(1_000);
        }
    }
}

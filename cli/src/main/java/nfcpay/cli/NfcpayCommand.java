package nfcpay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalException;
import nfcpay.terminal.security.KeyFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code nfcpay}: the global options, and what every command needs from them. */
// scope INHERIT: every command gets --help, --version and the exit code list.
@Command(name = "nfcpay", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = NfcpayCommand.Version.class,
        description = {"SIM-based NFC payment with automatic card selection: the POS terminal's command line.",
            "",
            "Without --reader, a command runs on a simulated SIM built in this process from its --card options"
                + " (the demo wallet when there are none): its cards and balances are forgotten when the command ends."},
        subcommands = {DemoCommand.class, PayCommand.class, CardsCommand.class, HistoryCommand.class, LoadCommand.class,
            JournalCommand.class, WalletCommand.class, BenchCommand.class, SimCommand.class,
            HostCommand.class, UploadCommand.class, IssuerScriptCommand.Block.class, IssuerScriptCommand.Unblock.class,
            CompletionCommand.class, ManCommand.class, picocli.CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:approved, or done", "2:declined: no card on the SIM can pay",
            "1:an error, told in one line on stderr"})
final class NfcpayCommand implements Callable<Integer> {

    static final String JOURNAL_FILE = "journal.db";
    static final String TEST_KEYS_FOOTER = "(test keys)";

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print one JSON object on stdout instead of text (amounts as decimal strings, e.g. \"20.00\").")
    boolean json;

    @Option(names = "--trace", scope = ScopeType.INHERIT,
            description = "Print every APDU on stderr (>> command, << response); keys, MACs, TACs and card serials masked.")
    boolean trace;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where the terminal keeps its journal (default: $NFCPAY_HOME, else ~/.nfcpay).")
    Path dataDir;

    @Option(names = "--key-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "The terminal's production keys: a properties file with mpk (purchases),"
                    + " 32 hex digits (default: the published test keys).")
    Path keyFile;

    @Option(names = "--test-keys", scope = ScopeType.INHERIT,
            description = "Use the published test keys with a card on a PC/SC reader (never for real money). The simulated"
                    + " SIM of this process always uses them; a reader without --key-file or --test-keys is an error.")
    boolean testKeys;

    @Spec
    CommandSpec spec;

    /** Whether the command printed its answer already (an error after it must not add a second JSON object). */
    boolean printed;

    private final Environment environment;
    /** What a command started and the command's end must stop, whichever way it ends (a reference VM process). */
    private final Deque<AutoCloseable> closeAtEnd = new ArrayDeque<>();

    private final Config config;

    NfcpayCommand(Environment environment, Config config) {
        this.environment = environment;
        this.config = config;
    }

    /**
     * Before any command runs: a config file that cannot be read stops it (one line naming file and line); a token
     * in a config that group or others may read is warned about; the config's terminal-id is given to a new journal
     * and must match an existing one.
     *
     * @param command the command about to run (for the error's help pointer)
     */
    void checkConfig(picocli.CommandLine command) {
        if (config.error() != null) {
            throw new ParameterException(command, config.error());
        }
        if (config.holdsToken() && config.readableByOthers()) {
            warn("config " + config.file() + " holds the host token and group or others may read it ("
                    + Config.FilePermissions.mode(config.file()) + "): chmod 600 " + config.file());
        }
        if (config.terminalId() != null) {
            String name = command.getCommandSpec().qualifiedName();
            boolean journals = name.matches("nfcpay (pay|load|upload|journal.*)");
            Path file = dataDir().resolve(JOURNAL_FILE);
            if (journals || java.nio.file.Files.exists(file)) {
                try (Journal j = Journal.open(file, nfcpay.terminal.apdu.Bytes.fromHex(config.terminalId()),
                        java.time.Clock.systemDefaultZone())) {
                    String id = nfcpay.terminal.apdu.Bytes.hex(j.terminalId());
                    if (!id.equals(config.terminalId())) {
                        throw new ParameterException(command, "the journal " + file + " is terminal " + id + ", the config "
                                + config.file() + " says terminal-id " + config.terminalId()
                                + ": one journal per terminal ID (another --data-dir, or fix the config)");
                    }
                } catch (JournalException e) {
                    throw new ParameterException(command, Main.oneLine(e.getMessage()));
                }
            }
        }
    }

    /** --test-keys typed on the command line wins over a key-file from the config, as every flag does. */
    private void testKeysOverConfig() {
        if (testKeys && keyFile != null && !typed("--key-file")) {
            keyFile = null;
        }
    }

    /** Whether {@code option} was typed on the command line, not taken from the config. */
    boolean typed(String option) {
        for (picocli.CommandLine.ParseResult p = spec.commandLine().getParseResult(); p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }

    /** One line on stderr that does not stop the command. */
    void warn(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("nfcpay: warning: " + message);
        err.flush();
    }

    /** {@code resource} is closed when the command ends ({@link #closeAll}), last opened first. */
    void closeAtEnd(AutoCloseable resource) {
        closeAtEnd.push(resource);
    }

    /** Closes what {@link #closeAtEnd} was given; the first failure is thrown after every one was tried. */
    void closeAll() throws Exception {
        Exception first = null;
        while (!closeAtEnd.isEmpty()) {
            try {
                closeAtEnd.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say which command: " + String.join(", ", spec.subcommands().keySet()));
    }

    Environment environment() {
        return environment;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where --trace writes, or null without it. */
    Consumer<String> trace() {
        if (!trace) {
            return null;
        }
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    /** The keys of --key-file, or the test keys; a key file that cannot be used fails here. */
    Keys keys() throws KeyFileException {
        testKeysOverConfig();
        Keys keys = Keys.of(keyFile);
        boolean production = keyFile != null && !keys.testKeys();
        if (keyFile != null && Config.FilePermissions.readableByOthers(keyFile)) {
            String what = "key file " + keyFile + " may be read by group or others ("
                    + Config.FilePermissions.mode(keyFile) + ")";
            if (production) {
                throw new KeyFileException(what + ": production keys are refused so; chmod 600 " + keyFile);
            }
            warn(what + ", it holds the published test keys; chmod 600 " + keyFile);
        }
        if (production && config.holdsToken() && config.readableByOthers()) {
            throw new KeyFileException("config " + config.file() + " holds the host token and group or others may read it ("
                    + Config.FilePermissions.mode(config.file()) + "): refused with production keys; chmod 600 "
                    + config.file());
        }
        return keys;
    }

    /**
     * Keys fail closed: a card on a PC/SC reader gets the published test keys only when asked with --test-keys;
     * without --key-file it is one error line. The simulated SIM of this process is issued under the test keys.
     *
     * @param command the command line of the command that uses keys (for the error's help pointer)
     */
    void requireKeysFor(picocli.CommandLine command, boolean onReader) {
        testKeysOverConfig();
        if (testKeys && keyFile != null) {
            throw new ParameterException(command, "--test-keys and --key-file: give one of them");
        }
        if (onReader && keyFile == null && !testKeys) {
            throw new ParameterException(command, "a card on a PC/SC reader needs the terminal's key file (--key-file FILE);"
                    + " --test-keys uses the published test keys instead (never for real money)");
        }
    }

    /** --data-dir, else $NFCPAY_HOME, else ~/.nfcpay. */
    Path dataDir() {
        return dataDir != null ? dataDir : environment.defaultDataDir();
    }

    /** The terminal's journal in {@code dir} (created with a new terminal ID the first time). */
    static Journal openJournal(Path dir) throws JournalException {
        return Journal.open(dir.resolve(JOURNAL_FILE));
    }

    /**
     * Prints a command's answer: the JSON object (with "test_keys" added) under --json, else the
     * text, followed by "(test keys)" when the published test keys were in use.
     */
    void print(Map<String, Object> json, Consumer<PrintWriter> text, boolean testKeys) {
        printed = true;
        PrintWriter out = out();
        if (this.json) {
            json.put("test_keys", testKeys);
            out.println(Json.write(json));
        } else {
            text.accept(out);
            if (testKeys) {
                out.println(TEST_KEYS_FOOTER);
            }
        }
        out.flush();
    }

    /** "nfcpay 0.1.0", from the version Maven wrote into the jar. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"nfcpay " + p.getProperty("version", "(version unknown)")};
        }
    }
}

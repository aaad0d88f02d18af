package nfcpay.cli;

import nfcpay.terminal.TerminalException;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.CardStalledException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code nfcpay} program. Exit codes: 0 approved or done, 2 declined, 3 outcome unknown (a DEBIT
 * the card may have made: tap again), 1 any other error; an error is one line on stderr
 * ({@code nfcpay: error: ...}), never a stack trace.
 */
public final class Main {

    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int DECLINED = 2;
    /** Neither approved nor declined: the card may have debited; the next tap of it settles the sale. */
    public static final int OUTCOME_UNKNOWN = 3;

    static final String ERROR_PREFIX = "nfcpay: error: ";

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine(Environment.system()).execute(args));
    }

    /** The command line with its error handling; set its out and err writers, then {@code execute}. */
    public static CommandLine commandLine(Environment environment) {
        Config config = Config.load(environment);
        NfcpayCommand root = new NfcpayCommand(environment, config);
        CommandLine cl = new CommandLine(root);
        cl.registerConverter(java.nio.file.Path.class, new PathArg()); // before the subcommands' options are read
        ExitCodes.apply(cl);
        cl.setDefaultValueProvider(config); // after the subcommands: it is handed down to every one
        cl.setParameterExceptionHandler((e, args) -> badInput(e, args, root));
        cl.setExecutionExceptionHandler((e, failing, parsed) -> failed(e, failing, root));
        // Whatever a command started (a reference VM) ends with it, also when it fails.
        cl.setExecutionStrategy(parsed -> {
            try {
                if (!helpRequested(parsed)) {
                    root.checkConfig(parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1));
                }
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                try {
                    root.closeAll();
                } catch (Exception e) {
                    cl.getErr().println(ERROR_PREFIX + "could not stop what the command started: " + describe(e));
                    cl.getErr().flush();
                }
            }
        });
        return cl;
    }

    private static boolean helpRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

    /** Input the command cannot take, found by picocli or by a command: one line, and where help is. */
    private static int badInput(ParameterException e, String[] args, NfcpayCommand root) {
        CommandLine cl = e.getCommandLine();
        ParseResult parsed = cl.getParseResult();
        if (e instanceof CommandLine.MissingParameterException && parsed != null && !parsed.unmatched().isEmpty()) {
            // "--amout 5" would otherwise be told as a missing --amount: the misspelling is the news
            e = new CommandLine.UnmatchedArgumentException(cl, parsed.unmatched());
        }
        String message = oneLine(e.getMessage()) + suggestion(e);
        cl.getErr().println(ERROR_PREFIX + message + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        cl.getErr().flush();
        // parsing may have stopped before --json was read into the root: the arguments tell
        JsonErrors.print(cl, root.json || java.util.Arrays.asList(args).contains("--json"), root, message, ERROR);
        return ERROR;
    }

    /** "; did you mean --amount?" for a misspelt option or command, from picocli's own near matches; else "". */
    static String suggestion(ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)) {
            return "";
        }
        java.util.List<String> near = unmatched.getSuggestions();
        if (near.isEmpty()) {
            return "";
        }
        return "; did you mean " + String.join(" or ", near.subList(0, Math.min(3, near.size()))) + "?";
    }

    private static int failed(Exception e, CommandLine cl, NfcpayCommand root) {
        String message = describe(e);
        cl.getErr().println(ERROR_PREFIX + message);
        cl.getErr().flush();
        int code = e instanceof nfcpay.terminal.kernel.OutcomeUnknownException ? OUTCOME_UNKNOWN : ERROR;
        JsonErrors.print(cl, root.json, root, message, code);
        return code;
    }

    /** What went wrong, in one line. Terminal messages are written for people already; anything else is a bug. */
    static String describe(Throwable e) {
        if (e instanceof CardStalledException) {
            return oneLine(e.getMessage()) + "; the card was given up: tap it again (a transaction it may have done"
                    + " stays pending in the journal and is settled on that tap)";
        }
        if (e instanceof CardRemovedException) {
            return "the card left the field too early: tap it again (a transaction it may have done stays pending in the"
                    + " journal and is settled on that tap)";
        }
        if (e instanceof TerminalException || e instanceof nfcpay.host.db.HostStartException
                || e instanceof SimPlatform.SimPlatformException || e instanceof FieldOptions.HostRefusal) {
            return oneLine(e.getMessage());
        }
        if (e instanceof nfcpay.sim.cref.CrefException) {
            return "the reference VM: " + oneLine(e.getMessage());
        }
        return "unexpected " + e.getClass().getName() + ": " + oneLine(String.valueOf(e.getMessage()))
                + " (a bug: please report it)";
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}

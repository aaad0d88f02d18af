package nfcpay.cli;

import java.nio.file.Path;
import java.util.Map;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * What the command line takes from the machine it runs on: environment variables, the home
 * directory and the PC/SC readers. Tests hand in their own, with a simulated SIM behind a reader name.
 *
 * @param variables the environment ({@code NFCPAY_HOME})
 * @param userHome the user's home directory (the default data directory is {@code ~/.nfcpay})
 * @param readers connects to the card on the reader of a given name
 */
public record Environment(Map<String, String> variables, Path userHome, ReaderConnector readers) {

    /** The environment variable that moves the default data directory. */
    public static final String NFCPAY_HOME = "NFCPAY_HOME";

    /** Opens a connection to the card on a named reader. */
    @FunctionalInterface
    public interface ReaderConnector {
        Transport connect(String readerName) throws TransportException;
    }

    public Environment {
        variables = Map.copyOf(variables);
    }

    /** This process's environment and the machine's PC/SC readers. */
    public static Environment system() {
        return new Environment(System.getenv(), Path.of(System.getProperty("user.home")), Readers::open);
    }

    /** Where the journal lives when no --data-dir is given: $NFCPAY_HOME, else ~/.nfcpay. */
    public Path defaultDataDir() {
        String home = variables.get(NFCPAY_HOME);
        return home != null && !home.isBlank() ? Path.of(home) : userHome.resolve(".nfcpay");
    }
}

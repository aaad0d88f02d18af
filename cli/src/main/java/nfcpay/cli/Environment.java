package nfcpay.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.TapBounds;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * What the command line takes from the machine it runs on: environment variables, the home
 * directory and the PC/SC readers. Tests hand in their own, with a simulated SIM behind a reader name.
 *
 * @param variables the environment ({@code NFCPAY_HOME})
 * @param userHome the user's home directory (the default data directory is {@code ~/.nfcpay})
 * @param readers connects to the card on the reader of a given name
 * @param stdin where {@code nfcpay sim} reads its presence commands from
 */
public record Environment(Map<String, String> variables, Path userHome, ReaderConnector readers, InputStream stdin) {

    /** The environment variable that moves the default data directory. */
    public static final String NFCPAY_HOME = "NFCPAY_HOME";

    /** Opens a connection to the card on a named reader. */
    @FunctionalInterface
    public interface ReaderConnector {
        Transport connect(String readerName) throws TransportException;

        /**
         * One tap's hold on the reader within these bounds ({@link Readers#claim}). A reader a test puts in place
         * is connected as it is, without them.
         */
        default Transport connect(String readerName, TapBounds bounds) throws TransportException {
            return connect(readerName);
        }
    }

    /** The machine's PC/SC readers: each tap holds its reader exclusively, within its bounds. */
    public static final ReaderConnector PCSC = new ReaderConnector() {
        @Override
        public Transport connect(String readerName) throws TransportException {
            return connect(readerName, TapBounds.NO_CARD_WAIT);
        }

        @Override
        public Transport connect(String readerName, TapBounds bounds) throws TransportException {
            return Readers.open(readerName, bounds);
        }
    };

    public Environment {
        variables = Map.copyOf(variables);
    }

    /** An environment whose standard input is empty. */
    public Environment(Map<String, String> variables, Path userHome, ReaderConnector readers) {
        this(variables, userHome, readers, InputStream.nullInputStream());
    }

    /** This process's environment, standard input and the machine's PC/SC readers. */
    public static Environment system() {
        return new Environment(System.getenv(), Path.of(System.getProperty("user.home")), PCSC, System.in);
    }

    /** Where the journal lives when no --data-dir is given: $NFCPAY_HOME, else ~/.nfcpay. */
    public Path defaultDataDir() {
        String home = variables.get(NFCPAY_HOME);
        return home != null && !home.isBlank() ? Path.of(home) : userHome.resolve(".nfcpay");
    }
}

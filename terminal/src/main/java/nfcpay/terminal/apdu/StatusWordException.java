package nfcpay.terminal.apdu;

import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.TerminalWire.Command;

/** A command ended with a status word its caller did not expect. Carries the SW and the command. */
public class StatusWordException extends TerminalException {

    private static final long serialVersionUID = 1L;

    private final int sw;
    private final transient Command command;

    public StatusWordException(Command command, int sw) {
        super((command == null ? "the command" : command.title()) + " answered "
                + String.format("%04X", sw) + " (" + TerminalWire.describe(sw) + ")");
        this.sw = sw;
        this.command = command;
    }

    /** The status word, SW1 in the high byte. */
    public int sw() {
        return sw;
    }

    /** The command that got it, or null when unknown. */
    public Command command() {
        return command;
    }
}

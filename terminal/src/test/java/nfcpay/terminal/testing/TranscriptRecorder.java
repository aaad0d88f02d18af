package nfcpay.terminal.testing;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import nfcpay.terminal.apdu.TerminalWire;
import nfcpay.terminal.apdu.TerminalWire.Command;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * Writes what passes through it as a {@link Transcript}, unmasked (transcripts hold the test keys'
 * MACs, nothing secret), with the command's name as a comment above each exchange.
 */
public final class TranscriptRecorder implements Transport {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final Transport inner;
    private final List<String> lines = new ArrayList<>();

    public TranscriptRecorder(Transport inner) {
        this.inner = inner;
    }

    public void comment(String text) {
        lines.add("# " + text);
    }

    public void nextTap(String why) {
        lines.add("");
        lines.add("== tap: " + why);
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        Command c = Command.of(command);
        lines.add("");
        lines.add("# " + (c == null ? "?" : c == Command.SELECT ? selectComment(command) : c.title()));
        lines.add(">> " + HEX.formatHex(command));
        try {
            byte[] r = inner.transceive(command);
            lines.add("<< " + HEX.formatHex(r, 0, r.length - 2) + (r.length > 2 ? " " : "") + HEX.formatHex(r, r.length - 2, r.length));
            return r;
        } catch (CardRemovedException e) {
            lines.add("<< card removed");
            throw e;
        }
    }

    private static String selectComment(byte[] command) {
        String aid = HEX.formatHex(command, 5, 5 + (command[4] & 0xFF));
        return aid.equals(HEX.formatHex(TerminalWire.PPSE_AID)) ? "SELECT PPSE" : "SELECT " + aid;
    }

    public String text() {
        return String.join("\n", lines) + "\n";
    }

    @Override
    public void close() throws TransportException {
        inner.close();
    }
}

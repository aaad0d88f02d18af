package nfcpay.terminal.apdu;

import java.util.Arrays;
import nfcpay.terminal.apdu.TerminalWire.Command;

/** A response APDU split into data and status word, remembering the command it answers. */
public final class Response {

    private final Command command;
    private final byte[] data;
    private final int sw;

    private Response(Command command, byte[] data, int sw) {
        this.command = command;
        this.data = data;
        this.sw = sw;
    }

    /** Splits a raw response; one shorter than the two status bytes is malformed. */
    public static Response of(Command command, byte[] raw) throws CardDataException {
        if (raw == null || raw.length < 2) {
            throw new CardDataException((command == null ? "the card" : command.title())
                    + " returned no status word");
        }
        return new Response(command, Arrays.copyOf(raw, raw.length - 2), Bytes.u16(raw, raw.length - 2));
    }

    /**
     * The response itself when its SW is one of {@code allowed} (9000 when none is given), else a
     * {@link StatusWordException} carrying the SW.
     */
    public static Response check(Response response, int... allowed) throws StatusWordException {
        if (allowed.length == 0) {
            if (response.sw == TerminalWire.SW_OK) {
                return response;
            }
        }
        for (int a : allowed) {
            if (response.sw == a) {
                return response;
            }
        }
        throw new StatusWordException(response.command, response.sw);
    }

    public int sw() {
        return sw;
    }

    public boolean isOk() {
        return sw == TerminalWire.SW_OK;
    }

    /** The response data without the status word (a copy). */
    public byte[] data() {
        return data.clone();
    }

    public Command command() {
        return command;
    }

    /**
     * The data when it is exactly {@code length} bytes: JR/T 0025 responses have fixed lengths, and
     * one of another length is not the card this terminal talks to.
     */
    public byte[] data(int length) throws CardDataException {
        if (data.length != length) {
            throw new CardDataException(command.title() + " returned " + data.length + " bytes, expected " + length);
        }
        return data.clone();
    }

    @Override
    public String toString() {
        // No data: responses carry serials and MACs.
        return "Response[" + command + ", " + data.length + " bytes, SW " + String.format("%04X", sw) + "]";
    }
}

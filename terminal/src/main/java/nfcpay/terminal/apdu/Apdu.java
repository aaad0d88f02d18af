package nfcpay.terminal.apdu;

import java.io.ByteArrayOutputStream;
import nfcpay.terminal.apdu.TerminalWire.Command;

/**
 * A command APDU of PROTOCOL.md, built from {@link TerminalWire}. Short APDUs only (ISO 7816-4
 * cases 1 to 4): nothing in the contract needs the extended form.
 */
public final class Apdu {

    /** Le 00: "up to 256 bytes", for responses whose length the terminal does not fix. */
    public static final int LE_ANY = 0x100;

    private final Command command;
    private final byte[] bytes;

    private Apdu(Command command, byte[] bytes) {
        this.command = command;
        this.bytes = bytes;
    }

    /**
     * @param p1 P1 (the command's own when it is fixed)
     * @param p2 P2 (the command's own when it is fixed)
     * @param data the command data, or null for none
     * @param le the expected length 1..256, or 0 for no Le
     */
    public static Apdu of(Command command, int p1, int p2, byte[] data, int le) {
        if (data != null && (data.length == 0 || data.length > 255)) {
            throw new IllegalArgumentException("command data must be 1..255 bytes");
        }
        if (le < 0 || le > LE_ANY) {
            throw new IllegalArgumentException("Le must be 0..256");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(command.cla());
        out.write(command.ins());
        out.write(p1);
        out.write(p2);
        if (data != null) {
            out.write(data.length);
            out.writeBytes(data);
        }
        if (le > 0) {
            out.write(le == LE_ANY ? 0 : le);
        }
        return new Apdu(command, out.toByteArray());
    }

    /** A command with its own fixed P1 and P2. */
    public static Apdu of(Command command, byte[] data, int le) {
        return of(command, command.p1(), command.p2(), data, le);
    }

    public Command command() {
        return command;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        // No bytes: a DEBIT carries MAC1.
        return "Apdu[" + command + "]";
    }
}

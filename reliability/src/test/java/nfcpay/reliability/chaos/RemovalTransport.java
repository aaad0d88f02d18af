package nfcpay.reliability.chaos;

import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * The card leaves the field at one APDU of a tap: before the command reaches it, or after it ran the
 * command and before its answer reaches the terminal. Either way the card loses power at that
 * moment ({@code powerLoss}: the card is reset, as a real removal does) and every later APDU of the
 * tap fails too. Sits next to the reader, under the kernel's GET RESPONSE and 6Cxx wrappers, so APDU
 * numbers count the exchanges really made.
 */
final class RemovalTransport implements Transport {

    enum Removal {
        /** The command never reached the card. */
        BEFORE_COMMAND,
        /** The card ran the command; its answer is lost. */
        AFTER_COMMAND
    }

    private final Transport reader;
    private final Runnable powerLoss;
    private final int removeAt;
    private final Removal mode;
    private int sent;
    private Removal removed;
    private byte[] removedCommand;

    /**
     * @param removeAt the 0-based APDU of this tap at which the card leaves, or -1 for a tap it stays for
     * @param mode which side of that command it leaves on
     */
    RemovalTransport(Transport reader, Runnable powerLoss, int removeAt, Removal mode) {
        this.reader = reader;
        this.powerLoss = powerLoss;
        this.removeAt = removeAt;
        this.mode = mode;
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        int index = sent++;
        if (removed != null) {
            throw new CardRemovedException("the card left the field");
        }
        if (index == removeAt) {
            if (mode == Removal.AFTER_COMMAND) {
                reader.transceive(command);
            }
            removed = mode;
            removedCommand = command.clone();
            powerLoss.run();
            throw new CardRemovedException("the card left the field at APDU " + index + " (" + mode + ")");
        }
        return reader.transceive(command);
    }

    /** How many APDUs this tap sent (the one the card left at included). */
    int apdus() {
        return sent;
    }

    /** How the card left, or null if it stayed for the whole tap. */
    Removal removed() {
        return removed;
    }

    /** The command the card left at, or null. */
    byte[] removedCommand() {
        return removedCommand == null ? null : removedCommand.clone();
    }

    @Override
    public void close() throws TransportException {
        reader.close();
    }
}

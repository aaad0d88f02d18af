package nfcpay.reliability.chaos;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;

/**
 * The parent's side of the loopback APDU bridge: it holds the SIM, so the card's state survives the
 * terminal process, and serves one terminal process's connection, tap by tap, through the SIM's
 * {@code javax.smartcardio} reader ({@link Readers#connect}, closed with a reset). It counts the
 * APDUs and kills the terminal process with SIGKILL ({@link Process#destroyForcibly}) at the APDU its
 * {@link KillPlan} says: before the command reaches the card, after the card ran it (the answer never
 * goes back), or a moment after the answer went back (while the terminal verifies MAC2 and writes
 * its journal). Whatever tap was open when the process died ends as a card leaving the field: a reset.
 *
 * <p>Frames, terminal to parent: {@code T} (tap: the card enters the field), {@code A} + length (2) +
 * command APDU, {@code E} (end of tap). Parent to terminal: {@code K} for T and E; length (2) +
 * response APDU for A.
 */
final class ApduBridge {

    static final byte TAP = 'T';
    static final byte APDU = 'A';
    static final byte END = 'E';
    static final byte ACK = 'K';

    enum KillMode {
        BEFORE_COMMAND("killed before the command reached the card"),
        AFTER_COMMAND("killed after the card ran the command, answer lost"),
        AFTER_ANSWER("killed 0-4 ms after the answer reached it");

        final String text;

        KillMode(String text) {
            this.text = text;
        }
    }

    /**
     * Kill the terminal at its {@code apdu}-th APDU (0-based, counted over its whole life), or with
     * {@code atMoneyCommand} at the first DEBIT FOR PURCHASE or CREDIT FOR LOAD from there on.
     */
    record KillPlan(int apdu, boolean atMoneyCommand, KillMode mode, long delayNanos) {

        boolean killsAt(int index, byte[] command) {
            if (!atMoneyCommand) {
                return index == apdu;
            }
            int ins = command.length > 1 ? command[1] & 0xFF : -1;
            return index >= apdu && (ins == 0x54 || ins == 0x52);
        }
    }

    /** What happened to the process this bridge served: killed (how, at which command) or not. */
    record Served(KillMode killedBy, String command, int apdus) {}

    private ApduBridge() {}

    /** Serves one terminal process until it disconnects or is killed as {@code plan} says (null: never). */
    static Served serve(Socket socket, SimulatedSim sim, Process terminal, KillPlan plan)
            throws IOException, TerminalException, InterruptedException {
        socket.setTcpNoDelay(true);
        Transport tap = null;
        int apdus = 0;
        try (socket;
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()))) {
            while (true) {
                int op;
                try {
                    op = in.readByte();
                } catch (EOFException e) {
                    return new Served(null, null, apdus);
                } catch (IOException e) {
                    return new Served(null, null, apdus); // the connection reset: the process died
                }
                switch (op) {
                    case TAP -> {
                        synchronized (sim.cardSimulator()) {
                            tap = Readers.connect(sim.terminal());
                        }
                        out.writeByte(ACK);
                        out.flush();
                    }
                    case END -> {
                        closeTap(sim, tap);
                        tap = null;
                        out.writeByte(ACK);
                        out.flush();
                    }
                    case APDU -> {
                        byte[] command = new byte[in.readUnsignedShort()];
                        in.readFully(command);
                        int index = apdus++;
                        boolean kill = plan != null && plan.killsAt(index, command);
                        if (kill && plan.mode() == KillMode.BEFORE_COMMAND) {
                            return killed(terminal, plan, command, apdus);
                        }
                        byte[] response;
                        synchronized (sim.cardSimulator()) {
                            response = tap.transceive(command);
                        }
                        if (kill && plan.mode() == KillMode.AFTER_COMMAND) {
                            return killed(terminal, plan, command, apdus);
                        }
                        out.writeShort(response.length);
                        out.write(response);
                        out.flush();
                        if (kill) {
                            LockSupport.parkNanos(plan.delayNanos());
                            return killed(terminal, plan, command, apdus);
                        }
                    }
                    default -> throw new IOException("unknown bridge frame " + op);
                }
            }
        } finally {
            closeTap(sim, tap); // the terminal is gone: the card leaves the field
        }
    }

    private static Served killed(Process terminal, KillPlan plan, byte[] command, int apdus) throws InterruptedException {
        terminal.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, no journal close
        if (!terminal.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the terminal process outlived SIGKILL");
        }
        return new Served(plan.mode(), Commands.name(command), apdus);
    }

    private static void closeTap(SimulatedSim sim, Transport tap) throws TerminalException {
        if (tap != null) {
            synchronized (sim.cardSimulator()) {
                tap.close();
            }
        }
    }
}

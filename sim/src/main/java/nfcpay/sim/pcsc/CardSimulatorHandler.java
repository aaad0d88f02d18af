package nfcpay.sim.pcsc;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.util.Objects;

/**
 * A jcardsim {@link CardSimulator} as an {@link ApduHandler}. A reset is jcardsim's
 * {@link CardSimulator#reset()}: applets are deselected and CLEAR_ON_RESET/CLEAR_ON_DESELECT arrays
 * are zeroed, the applets' fields (the card's persistent memory) stay.
 *
 * <p>jcardsim is not thread-safe. Every call here holds the simulator's monitor, so in-process code
 * that also talks to the same simulator (for example to read a balance while the card is in the
 * reader) should do so inside {@code synchronized (simulator)}.
 */
public final class CardSimulatorHandler implements ApduHandler {

    private final CardSimulator simulator;

    public CardSimulatorHandler(CardSimulator simulator) {
        this.simulator = Objects.requireNonNull(simulator, "simulator");
    }

    public CardSimulator simulator() {
        return simulator;
    }

    @Override
    public byte[] atr() {
        synchronized (simulator) {
            return simulator.getATR();
        }
    }

    @Override
    public byte[] transmit(byte[] command) {
        synchronized (simulator) {
            return simulator.transmitCommand(command);
        }
    }

    @Override
    public void reset() {
        synchronized (simulator) {
            simulator.reset();
        }
    }
}

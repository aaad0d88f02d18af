package nfcpay.sim.pcsc;

import java.util.Objects;
import javax.smartcardio.CommandAPDU;
import nfcpay.sim.CardPlatform;

/**
 * Any {@link CardPlatform} (Oracle's reference VM, say) as an {@link ApduHandler}, so that the virtual reader serves
 * it to every PC/SC client as it serves jcardsim ({@link CardSimulatorHandler}). Every call holds {@code lock}, the
 * monitor in-process code holds too when it talks to the same card.
 */
public final class PlatformHandler implements ApduHandler {

    private final CardPlatform platform;
    private final Object lock;

    public PlatformHandler(CardPlatform platform, Object lock) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    @Override
    public byte[] atr() {
        synchronized (lock) {
            return platform.atr();
        }
    }

    @Override
    public byte[] transmit(byte[] command) {
        synchronized (lock) {
            return platform.transmit(new CommandAPDU(command)).getBytes();
        }
    }

    @Override
    public void reset() {
        synchronized (lock) {
            platform.reset();
        }
    }
}

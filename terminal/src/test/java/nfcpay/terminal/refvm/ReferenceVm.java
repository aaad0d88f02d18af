package nfcpay.terminal.refvm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javacard.framework.Applet;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.CardPlatform;
import nfcpay.sim.SimAssembly;
import nfcpay.sim.cref.CrefException;
import nfcpay.sim.cref.CrefPlatform;
import nfcpay.sim.cref.CrefResources;
import nfcpay.sim.cref.JavaCardSdk;

/**
 * One Oracle reference VM (cref) for a whole test class: started once with the card module's four CAP files
 * (and any test applet's) loaded, shared by the tests, each of which assembles a SIM on {@link #platform()} and
 * gives the card back empty with {@link #clear()}. The SIM's {@code close()} cannot stop cref: the view it gets is
 * not {@link AutoCloseable}; {@link #close()} does, from the class's {@code @AfterAll}.
 */
public final class ReferenceVm implements AutoCloseable {

    /** Every purse AID a test SIM can use: the demo wallets' prefix and indexes 01..MAX_INDEX. */
    private static final int MAX_INDEX = 8;

    private final CrefPlatform cref;
    private final long startedNanos = System.nanoTime();

    private ReferenceVm(CrefPlatform cref) {
        this.cref = cref;
    }

    /** cref with the card CAPs and those under {@code extraCapRoots} loaded; the caller skips without the SDK. */
    public static ReferenceVm startOrSkip(List<Path> extraCapRoots) {
        Path exe = JavaCardSdk.crefOrSkip();
        Path caps = JavaCardSdk.cardCapsOrSkip();
        List<Path> roots = new ArrayList<>(List.of(caps));
        roots.addAll(extraCapRoots);
        CrefPlatform cref = CrefPlatform.start(exe, roots);
        try {
            cref.loadAll();
            cref.snapshot();
        } catch (RuntimeException e) {
            cref.close();
            throw e;
        }
        return new ReferenceVm(cref);
    }

    /** The card, for {@code SimulatedSim.builder().build(...)}: everything but closing cref. */
    public CardPlatform platform() {
        return new CardPlatform() {
            @Override
            public void install(byte[] aid, Class<? extends Applet> applet, byte[] parameters) {
                cref.install(aid, applet, parameters);
            }

            @Override
            public ResponseAPDU transmit(CommandAPDU command) {
                return cref.transmit(command);
            }

            @Override
            public void reset() {
                cref.reset();
            }

            @Override
            public byte[] atr() {
                return cref.atr();
            }

            @Override
            public void delete(byte[] aid) {
                cref.delete(aid);
            }

            @Override
            public String toString() {
                return "Oracle's Java Card 3.0.5 reference VM";
            }
        };
    }

    public CrefPlatform cref() {
        return cref;
    }

    /**
     * Gives the card back as it was with the packages loaded and nothing installed: the EEPROM of then, restored
     * (deleting applets would not do: the reference VM does not give their transient memory back).
     */
    public void clear() {
        cref.restore();
    }

    /** cref's last memory figures (at its last start). */
    public CrefResources resources() {
        return cref.resources().orElseThrow(() -> new IllegalStateException("cref printed no memory figures"));
    }

    @Override
    public void close() {
        cref.close();
        System.out.printf("reference VM: up %d ms in all%n", (System.nanoTime() - startedNanos) / 1_000_000);
    }
}

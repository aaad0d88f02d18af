package nfcpay.sim;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.util.Arrays;
import javacard.framework.AID;
import javacard.framework.Applet;
import javacard.framework.SystemException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/**
 * A card a simulated SIM can be assembled on ({@link SimAssembly}): jcardsim's {@link CardSimulator}
 * ({@link #of}), or any runtime that runs the same applets, such as the reliability module's card with
 * transaction semantics and tearing. The SIM is then the same byte for byte whichever card it is built on.
 */
public interface CardPlatform {

    /**
     * Installs {@code applet} under {@code aid} with the GlobalPlatform install data {@link #installData}
     * of {@code parameters}. A platform that loads the applet classes itself may go by the class's name.
     */
    void install(byte[] aid, Class<? extends Applet> applet, byte[] parameters);

    ResponseAPDU transmit(CommandAPDU command);

    /** Power down and up: transient memory cleared, nothing selected. */
    void reset();

    /** The answer to reset the card gives when powered up. */
    default byte[] atr() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " reports no ATR");
    }

    /** Deletes the applet instance {@code aid} as a card manager would (its package stays). */
    default void delete(byte[] aid) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot delete applets");
    }

    /** The jcardsim card {@code simulator}. */
    static CardPlatform of(CardSimulator simulator) {
        return new CardPlatform() {
            @Override
            public void install(byte[] aid, Class<? extends Applet> applet, byte[] parameters) {
                byte[] install = installData(aid, parameters);
                AID instance = new AID(aid, (short) 0, (byte) aid.length);
                try {
                    try {
                        simulator.loadApplet(instance, applet);
                    } catch (SystemException e) {
                        // jcardsim keeps the class of a deleted instance loaded under its AID: a reinstall creates it again.
                    }
                    simulator.createApplet(instance, install, (short) 0, (byte) install.length);
                } finally {
                    Arrays.fill(install, (byte) 0); // the selector's parameters carry the holder PIN
                }
            }

            @Override
            public ResponseAPDU transmit(CommandAPDU command) {
                return simulator.transmitCommand(command);
            }

            @Override
            public void reset() {
                simulator.reset();
            }

            @Override
            public byte[] atr() {
                return simulator.getATR();
            }

            @Override
            public void delete(byte[] aid) {
                simulator.deleteApplet(new AID(aid, (short) 0, (byte) aid.length));
            }
        };
    }

    /**
     * GlobalPlatform INSTALL [for install] data, {@code Li AID | Lc privileges (none) | La parameters}, which
     * jcardsim hands to {@code install} unchanged and the applets register from.
     */
    static byte[] installData(byte[] aid, byte[] parameters) {
        byte[] install = new byte[1 + aid.length + 1 + 1 + parameters.length];
        install[0] = (byte) aid.length;
        System.arraycopy(aid, 0, install, 1, aid.length);
        install[1 + aid.length] = 0;
        install[2 + aid.length] = (byte) parameters.length;
        System.arraycopy(parameters, 0, install, 3 + aid.length, parameters.length);
        return install;
    }
}

package nfcpay.card.link;

import javacard.security.CryptoException;
import javacard.security.Signature;
import javacardx.crypto.Cipher;

/**
 * Crypto engines for code that runs behind a Shareable Interface Object, while another applet is the
 * selected one. Such an engine must be created with {@code externalAccess} true: with false a card may
 * keep its state in CLEAR_ON_DESELECT memory of the owner and refuse it then (SecurityException), and
 * smart selection would find no card that covers.
 *
 * <p>A platform may refuse the shared access mode with NO_SUCH_ALGORITHM (the API allows it; jcardsim
 * does for every cipher). The engine is then requested unshared, which works where there is no firewall
 * and is what such a card can do at all; docs/card.md says what that costs.
 */
public final class Engines {

    private Engines() {}

    /** {@code Cipher.getInstance(algorithm, externalAccess)}, unshared when the platform has no shared mode. */
    public static Cipher cipher(byte algorithm, boolean externalAccess) {
        if (externalAccess) {
            try {
                return Cipher.getInstance(algorithm, true);
            } catch (CryptoException e) {
                if (e.getReason() != CryptoException.NO_SUCH_ALGORITHM) {
                    throw e;
                }
            }
        }
        return Cipher.getInstance(algorithm, false);
    }

    /** {@code Signature.getInstance(algorithm, externalAccess)}, unshared when the platform has no shared mode. */
    public static Signature signature(byte algorithm, boolean externalAccess) {
        if (externalAccess) {
            try {
                return Signature.getInstance(algorithm, true);
            } catch (CryptoException e) {
                if (e.getReason() != CryptoException.NO_SUCH_ALGORITHM) {
                    throw e;
                }
            }
        }
        return Signature.getInstance(algorithm, false);
    }
}

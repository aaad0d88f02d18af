package nfcpay.card.link;

import javacard.security.CryptoException;
import javacard.security.RandomData;

/**
 * The card's random number generator, whichever it has (the applets' one engine choice that no card guarantees).
 */
public final class CardRandom {

    private CardRandom() {}

    /**
     * The best random number generator the card has: {@code ALG_SECURE_RANDOM}, else {@code ALG_KEYGENERATION},
     * else {@code ALG_TRNG}, else {@code ALG_PSEUDO_RANDOM}. Oracle's 3.0.5 reference VM has only the last; a SIM
     * that issues money has one of the first three, and docs/card.md says what the last one costs.
     */
    @SuppressWarnings("deprecation")
    public static RandomData best() {
        try {
            return RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
        } catch (CryptoException e) {
            requireNoSuchAlgorithm(e);
        }
        try {
            return RandomData.getInstance(RandomData.ALG_KEYGENERATION);
        } catch (CryptoException e) {
            requireNoSuchAlgorithm(e);
        }
        try {
            return RandomData.getInstance(RandomData.ALG_TRNG);
        } catch (CryptoException e) {
            requireNoSuchAlgorithm(e);
        }
        return RandomData.getInstance(RandomData.ALG_PSEUDO_RANDOM);
    }

    private static void requireNoSuchAlgorithm(CryptoException e) {
        if (e.getReason() != CryptoException.NO_SUCH_ALGORITHM) {
            throw e;
        }
    }
}

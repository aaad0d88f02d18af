package nfcpay.terminal.kernel;

import java.security.SecureRandom;

/** Where the terminal's unpredictable numbers come from; tests inject a fixed one. */
@FunctionalInterface
public interface RandomSource {

    byte[] nextBytes(int length);

    /** The platform's {@link SecureRandom}. */
    static RandomSource secure() {
        SecureRandom random = new SecureRandom();
        return length -> {
            byte[] b = new byte[length];
            random.nextBytes(b);
            return b;
        };
    }
}

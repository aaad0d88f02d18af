package nfcpay.reliability.applets;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.OwnerPIN;
import javacard.security.KeyBuilder;
import javacard.security.KeyPair;

/**
 * Test-only: state the runtime does not model, so loading must fail rather than run unmodelled: a key
 * pair generated in {@code process()}, and ({@link CountingPin}) a subclass of {@code OwnerPIN}.
 */
public final class UnmodelledApplet extends Applet {

    private final KeyPair pair = new KeyPair(KeyPair.ALG_EC_FP, KeyBuilder.LENGTH_EC_FP_256);

    @Override
    public void process(APDU apdu) {
        pair.genKeyPair();
    }

    /** An OwnerPIN whose validated flag lives elsewhere: the protected methods PinBarrier does not model. */
    public static final class CountingPin extends OwnerPIN {
        private boolean validated;

        public CountingPin() {
            super((byte) 3, (byte) 8);
        }

        @Override
        protected boolean getValidatedFlag() {
            return validated;
        }

        @Override
        protected void setValidatedFlag(boolean value) {
            validated = value;
        }
    }
}

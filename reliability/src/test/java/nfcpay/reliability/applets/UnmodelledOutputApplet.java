package nfcpay.reliability.applets;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.security.KeyAgreement;

/** Test-only: a platform API writing into a caller's array that the runtime does not model; loading must fail. */
public final class UnmodelledOutputApplet extends Applet {

    private final byte[] secret = new byte[32];
    private final KeyAgreement agreement = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH, false);

    @Override
    public void process(APDU apdu) {
        agreement.generateSecret(apdu.getBuffer(), (short) 5, (short) 65, secret, (short) 0);
    }
}

package nfcpay.reliability.applets;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.OwnerPIN;

/** Test-only: an applet with a PIN, whose try counter the runtime does not model; loading it must fail. */
public final class PinApplet extends Applet {

    private final OwnerPIN pin = new OwnerPIN((byte) 3, (byte) 8);

    @Override
    public void process(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        pin.check(buf, (short) 5, (byte) 4);
    }
}

package nfcpay.card.purse;

import nfcpay.card.TestAids;
import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;
import nfcpay.card.link.AccountInfoSource;
import nfcpay.card.link.Link;
import nfcpay.card.link.SelectorRegistry;

/**
 * Test-only stand-in for the PPSE selector (install it with {@link TestAids#ppse}): it hands out
 * {@link #CREDENTIAL} at registration, or fails the way its install parameter says, and on command
 * fetches a purse's account record through the purse's {@link AccountInfoSource}.
 *
 * <p>Commands (CLA 80): {@code 10} answers the last registration as client AID length | client AID |
 * L | label | priority; {@code 20 <sio param> <where>} with data challenge (8) | purse AID fetches the
 * record and answers returned length (1) | the 24 record bytes | the guard bytes after them (where = 0), or
 * returned length | the last 24 bytes of the APDU buffer (where = 1, the record at the very end), or
 * returned length (where = 2, an offset too close to the end); {@code 30 <mode> 00} changes the behaviour.
 */
public class FakeSelectorApplet extends Applet implements SelectorRegistry {

    /** AES-128 encryption key | AES-128 CMAC key. */
    public static final byte[] CREDENTIAL = PurseCard.HEX.parseHex(
            "2B7E151628AED2A6ABF7158809CF4F3C" + "000102030405060708090A0B0C0D0E0F");

    public static final byte MODE_NORMAL = 0;
    public static final byte MODE_NULL_SIO = 1;
    public static final byte MODE_REJECT = 2;
    public static final byte MODE_SHORT_CREDENTIAL = 3;
    public static final byte MODE_CRASH = 4;

    public static final byte INS_LAST_REGISTRATION = 0x10;
    public static final byte INS_READ_ACCOUNT = 0x20;
    public static final byte INS_SET_MODE = 0x30;
    public static final short RECORD_AT = 100;
    public static final short GUARD = 16;
    public static final byte GUARD_BYTE = 0x5A;

    private byte mode;
    private final byte[] registration = new byte[64];
    private short registrationLength;
    private final byte[] client = new byte[16];
    private byte clientLength;

    private FakeSelectorApplet(byte mode) {
        this.mode = mode;
    }

    /** Installs the fake with {@code aidHex} and behaviour {@code mode} (GlobalPlatform install format). */
    public static void install(CardSimulator sim, String aidHex, byte mode) {
        byte[] aid = PurseCard.HEX.parseHex(aidHex);
        byte[] params = PurseCard.concat(new byte[] {(byte) aid.length}, aid, new byte[] {0, 1, mode});
        sim.installApplet(AIDUtil.create(aidHex), FakeSelectorApplet.class, params, (short) 0, (byte) params.length);
    }

    public static String ppseAid() {
        return PurseCard.HEX.formatHex(TestAids.ppse());
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        short li = bArray[bOffset];
        short lc = bArray[(short) (bOffset + 1 + li)];
        short la = bArray[(short) (bOffset + 2 + li + lc)];
        byte mode = la > 0 ? bArray[(short) (bOffset + 3 + li + lc)] : MODE_NORMAL;
        new FakeSelectorApplet(mode).register(bArray, (short) (bOffset + 1), (byte) li);
    }

    @Override
    public Shareable getShareableInterfaceObject(AID clientAID, byte parameter) {
        clientLength = clientAID.getBytes(client, (short) 0);
        if (mode == MODE_NULL_SIO || parameter != Link.SIO_REGISTRY) {
            return null;
        }
        return this;
    }

    @Override
    public short register(byte[] buffer, short offset) {
        registrationLength = (short) (buffer[offset] + 2);
        Util.arrayCopy(buffer, offset, registration, (short) 0, registrationLength);
        switch (mode) {
            case MODE_REJECT:
                ISOException.throwIt((short) 0x6A84);
                return 0;
            case MODE_SHORT_CREDENTIAL:
                return 16;
            case MODE_CRASH:
                throw new SecurityException();
            default:
                Util.arrayCopy(CREDENTIAL, (short) 0, buffer, offset, Link.CREDENTIAL_LENGTH);
                return Link.CREDENTIAL_LENGTH;
        }
    }

    /** A fake selector never forgets: it knows whoever registered once. */
    @Override
    public boolean isRegistered() {
        return registrationLength != 0;
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        switch (buf[ISO7816.OFFSET_INS]) {
            case INS_LAST_REGISTRATION:
                if (registrationLength == 0) {
                    ISOException.throwIt(ISO7816.SW_RECORD_NOT_FOUND);
                }
                buf[0] = clientLength;
                Util.arrayCopy(client, (short) 0, buf, (short) 1, clientLength);
                Util.arrayCopy(registration, (short) 0, buf, (short) (1 + clientLength), registrationLength);
                apdu.setOutgoingAndSend((short) 0, (short) (1 + clientLength + registrationLength));
                return;
            case INS_READ_ACCOUNT:
                readAccount(apdu, buf);
                return;
            case INS_SET_MODE:
                mode = buf[ISO7816.OFFSET_P1];
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private void readAccount(APDU apdu, byte[] buf) {
        short lc = apdu.setIncomingAndReceive();
        byte[] challenge = new byte[Link.CHALLENGE_LENGTH];
        Util.arrayCopy(buf, ISO7816.OFFSET_CDATA, challenge, (short) 0, Link.CHALLENGE_LENGTH);
        AID purse = JCSystem.lookupAID(buf, (short) (ISO7816.OFFSET_CDATA + 8), (byte) (lc - 8));
        if (purse == null) {
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND);
        }
        Shareable sio = JCSystem.getAppletShareableInterfaceObject(purse, buf[ISO7816.OFFSET_P1]);
        if (sio == null) {
            ISOException.throwIt(ISO7816.SW_DATA_INVALID);
        }
        byte where = buf[ISO7816.OFFSET_P2];
        short at = where == 0 ? RECORD_AT : (short) (buf.length - Link.RECORD_LENGTH + where - 1);
        Util.arrayFillNonAtomic(buf, RECORD_AT, (short) (buf.length - RECORD_AT), GUARD_BYTE);
        Util.arrayCopy(challenge, (short) 0, buf, at, (short) Math.min(8, buf.length - at));
        short returned = ((AccountInfoSource) sio).readAccountInfo(buf, at);
        buf[0] = (byte) returned;
        short length = 1;
        if (where == 0) {
            length = (short) (1 + Link.RECORD_LENGTH + GUARD);
            Util.arrayCopy(buf, RECORD_AT, buf, (short) 1, (short) (length - 1));
        } else if (where == 1) {
            length = (short) (1 + Link.RECORD_LENGTH);
            Util.arrayCopy(buf, at, buf, (short) 1, Link.RECORD_LENGTH);
        }
        apdu.setOutgoingAndSend((short) 0, length);
    }
}

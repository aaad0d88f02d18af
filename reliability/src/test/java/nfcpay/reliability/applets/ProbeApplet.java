package nfcpay.reliability.applets;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.OwnerPIN;
import javacard.framework.PIN;
import javacard.framework.Util;
import javacard.security.AESKey;
import javacard.security.KeyBuilder;

/**
 * Test-only applet that writes its persistent and transient state in every way the runtime models, so
 * that {@code TransactionalRuntimeTest} can check each against the Java Card rules. CLA 80, INS:
 * <ul>
 *   <li>10: in one transaction, {@code p[0..3] = data} with four different writes ({@code arrayCopy},
 *       an array store, {@code setShort}, a field), {@code key} set from the data, {@code refs[0]}
 *       and {@code flags[0]} changed; then P1: 00 commit, 01 abort, 02 throw 6A80 without commit,
 *       03 return with the transaction open, 04 throw a RuntimeException without commit.</li>
 *   <li>20: {@code p[0..3] = data} with {@code arrayCopyNonAtomic}, inside a transaction that is aborted
 *       when P1 = 01, outside any transaction when P1 = 00.</li>
 *   <li>30: {@code t[0..3] = data} (a transient array) inside a transaction that is aborted.</li>
 *   <li>40: answers {@code p (4) | counter (2) | t (4) | key set (1) | flags[0] (1) | refs[0] is key (1)}.</li>
 *   <li>50: {@code counter++} outside a transaction, P1 times.</li>
 *   <li>60: begins a transaction twice (TransactionException), 61: commits without one.</li>
 *   <li>70: lets the platform write into a persistent array ({@code AID.getBytes} into {@code aidCopy}),
 *       a write no barrier sees: the audit must notice it.</li>
 *   <li>80: {@code pin.check(data)}, answers 01 on a match; P1 01: inside a transaction that is then
 *       aborted; P1 02: through the {@code PIN} interface.</li>
 *   <li>81: {@code pin.update(data)}; P1 00 outside a transaction, 01 inside one that is aborted, 02 inside
 *       one that is committed.</li>
 *   <li>82: {@code pin.resetAndUnblock()}; P1 01 inside a transaction that is aborted. 83: {@code pin.reset()}.</li>
 *   <li>84: answers {@code tries left (1) | validated (1)}.</li>
 *   <li>85: changes the PIN to {@code data} from a constructor, which is not instrumented: a PIN write no
 *       barrier sees, which the audit must notice (and which card code must never do: it allocates).</li>
 * </ul>
 */
public final class ProbeApplet extends Applet {

    private final byte[] p = new byte[4];
    private final short[] words = new short[2];
    private final boolean[] flags = new boolean[1];
    private final Object[] refs = new Object[1];
    private short counter;
    private final byte[] t = JCSystem.makeTransientByteArray((short) 4, JCSystem.CLEAR_ON_DESELECT);
    private final AESKey key = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
    private final byte[] keyBytes = new byte[16];
    private final byte[] aidCopy = new byte[16];
    private final OwnerPIN pin = new OwnerPIN((byte) 3, (byte) 8);

    private ProbeApplet() {
        pin.update(new byte[] {'1', '2', '3', '4'}, (short) 0, (byte) 4);
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new ProbeApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        apdu.setIncomingAndReceive();
        byte p1 = buf[ISO7816.OFFSET_P1];
        short data = ISO7816.OFFSET_CDATA;
        switch (buf[ISO7816.OFFSET_INS]) {
            case 0x10:
                JCSystem.beginTransaction();
                Util.arrayCopy(buf, data, p, (short) 0, (short) 1);
                p[1] = buf[(short) (data + 1)];
                Util.setShort(p, (short) 2, Util.getShort(buf, (short) (data + 2)));
                counter = Util.getShort(buf, data);
                words[0] = counter;
                Util.arrayFillNonAtomic(keyBytes, (short) 0, (short) 16, buf[data]);
                key.setKey(keyBytes, (short) 0);
                flags[0] = true;
                refs[0] = key;
                if (p1 == 0) {
                    JCSystem.commitTransaction();
                } else if (p1 == 1) {
                    JCSystem.abortTransaction();
                } else if (p1 == 2) {
                    ISOException.throwIt(ISO7816.SW_WRONG_DATA);
                } else if (p1 == 4) {
                    throw new IllegalStateException("escapes process()");
                }
                return;
            case 0x20:
                if (p1 == 1) {
                    JCSystem.beginTransaction();
                }
                Util.arrayCopyNonAtomic(buf, data, p, (short) 0, (short) 4);
                if (p1 == 1) {
                    JCSystem.abortTransaction();
                }
                return;
            case 0x30:
                JCSystem.beginTransaction();
                Util.arrayCopyNonAtomic(buf, data, t, (short) 0, (short) 4);
                JCSystem.abortTransaction();
                return;
            case 0x40:
                Util.arrayCopyNonAtomic(p, (short) 0, buf, (short) 0, (short) 4);
                Util.setShort(buf, (short) 4, counter);
                Util.arrayCopyNonAtomic(t, (short) 0, buf, (short) 6, (short) 4);
                buf[10] = key.isInitialized() ? (byte) 1 : (byte) 0;
                buf[11] = flags[0] ? (byte) 1 : (byte) 0;
                buf[12] = refs[0] == key ? (byte) 1 : (byte) 0;
                apdu.setOutgoingAndSend((short) 0, (short) 13);
                return;
            case 0x50:
                for (short i = 0; i < p1; i++) {
                    counter++;
                }
                return;
            case 0x60:
                JCSystem.beginTransaction();
                JCSystem.beginTransaction();
                return;
            case 0x61:
                JCSystem.commitTransaction();
                return;
            case 0x70:
                JCSystem.getAID().getBytes(aidCopy, (short) 0);
                return;
            case (byte) 0x80:
                processCheck(apdu, p1);
                return;
            case (byte) 0x81:
                if (p1 != 0) {
                    JCSystem.beginTransaction();
                }
                pin.update(buf, data, buf[ISO7816.OFFSET_LC]);
                finish(p1);
                return;
            case (byte) 0x82:
                if (p1 != 0) {
                    JCSystem.beginTransaction();
                }
                pin.resetAndUnblock();
                finish(p1);
                return;
            case (byte) 0x83:
                pin.reset();
                return;
            case (byte) 0x84:
                buf[0] = pin.getTriesRemaining();
                buf[1] = pin.isValidated() ? (byte) 1 : (byte) 0;
                apdu.setOutgoingAndSend((short) 0, (short) 2);
                return;
            case (byte) 0x85:
                new PinChanger(pin, buf, data, buf[ISO7816.OFFSET_LC]);
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private void processCheck(APDU apdu, byte p1) {
        byte[] buf = apdu.getBuffer();
        byte length = buf[ISO7816.OFFSET_LC];
        boolean match;
        if (p1 == 2) {
            PIN asInterface = pin;
            match = asInterface.check(buf, ISO7816.OFFSET_CDATA, length);
        } else {
            if (p1 == 1) {
                JCSystem.beginTransaction();
            }
            match = pin.check(buf, ISO7816.OFFSET_CDATA, length);
            if (p1 == 1) {
                JCSystem.abortTransaction();
            }
        }
        buf[0] = match ? (byte) 1 : (byte) 0;
        apdu.setOutgoingAndSend((short) 0, (short) 1);
    }

    /** P1 01: abort the transaction begun for the command; 02: commit it. */
    private static void finish(byte p1) {
        if (p1 == 1) {
            JCSystem.abortTransaction();
        } else if (p1 == 2) {
            JCSystem.commitTransaction();
        }
    }

    /** Updates a PIN in its constructor, where the runtime does not instrument. */
    private static final class PinChanger {
        PinChanger(OwnerPIN pin, byte[] value, short offset, byte length) {
            pin.update(value, offset, length);
        }
    }
}

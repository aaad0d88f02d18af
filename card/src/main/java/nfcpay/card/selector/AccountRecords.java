package nfcpay.card.selector;

import javacard.framework.AID;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;
import javacard.security.AESKey;
import javacard.security.CryptoException;
import javacardx.crypto.Cipher;
import nfcpay.card.link.AccountInfoSource;
import nfcpay.card.link.Link;
import nfcpay.card.link.OneBlockCmac;

/**
 * Opens a card application's account record (docs/protocol.md 4): {@code C (16) | T (8)} with
 * {@code T} the leftmost 8 bytes of AES-CMAC(Kmac, C) and {@code C} = AES-128-CBC(Kenc, IV 0, P).
 * Encrypt-then-MAC: nothing in the record is looked at, let alone decrypted, before the tag verifies.
 */
final class AccountRecords {

    private static final short MAC_OFFSET = 0;
    private static final short MAC_FULL_LENGTH = 16;
    private static final short PLAIN_OFFSET = MAC_FULL_LENGTH;
    private static final short SCRATCH_LENGTH = (short) (MAC_FULL_LENGTH + Link.PLAINTEXT_LENGTH);
    private static final short TAG_OFFSET = Link.PLAINTEXT_LENGTH;
    /** status (1) | currency (2) | balance (4): what {@link #open} hands out. */
    static final short ACCOUNT_LENGTH = 7;

    private final Cipher cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, false);
    /** Used only in the selector's own context, while the PPSE is selected: no external access. */
    private final OneBlockCmac cmac;
    /**
     * Computed tag (or, first, the CMAC subkey it needs) and decrypted plaintext; cleared before every
     * return. Used only while the PPSE is selected.
     */
    private final byte[] scratch = JCSystem.makeTransientByteArray(SCRATCH_LENGTH, JCSystem.CLEAR_ON_DESELECT);

    /** {@code cmacFromBlockCipher}: build the tag from AES even where the platform has AES-CMAC. */
    AccountRecords(boolean cmacFromBlockCipher) {
        cmac = new OneBlockCmac(cipher, cmacFromBlockCipher);
    }

    /**
     * True when the {@link Link#RECORD_LENGTH}-byte record at {@code record[offset]} is authentic under
     * {@code (enc, mac)}, version 01, echoes {@code challenge}, says active, is in {@code currency} and
     * its balance is at least {@code amount} (4 bytes binary). The balance is then copied to
     * {@code balanceOut[balanceOffset]}; on false nothing is written there.
     */
    boolean covers(byte[] record, short offset, AESKey enc, AESKey mac, byte[] challenge, short challengeOffset,
            byte[] currency, short currencyOffset, byte[] amount, short amountOffset,
            byte[] balanceOut, short balanceOffset) {
        boolean accepted = opens(record, offset, enc, mac, challenge, challengeOffset)
                && scratch[(short) (PLAIN_OFFSET + Link.P_STATUS)] == Link.STATUS_ACTIVE
                && Util.arrayCompare(scratch, (short) (PLAIN_OFFSET + Link.P_CURRENCY),
                        currency, currencyOffset, (short) 2) == 0
                && Amounts.compareUnsigned(scratch, (short) (PLAIN_OFFSET + Link.P_BALANCE),
                        amount, amountOffset, Amounts.BINARY_LENGTH) >= 0;
        if (accepted) {
            Util.arrayCopyNonAtomic(scratch, (short) (PLAIN_OFFSET + Link.P_BALANCE),
                    balanceOut, balanceOffset, Amounts.BINARY_LENGTH);
        }
        Util.arrayFillNonAtomic(scratch, (short) 0, SCRATCH_LENGTH, (byte) 0);
        return accepted;
    }

    /**
     * For the holder's listing (docs/protocol.md 5.3): when the record is authentic, version 01 and echoes
     * {@code challenge}, copies {@code status (1) | currency (2) | balance (4)} to {@code out[outOffset]}
     * and returns true; otherwise writes nothing and returns false.
     */
    boolean open(byte[] record, short offset, AESKey enc, AESKey mac, byte[] challenge, short challengeOffset,
            byte[] out, short outOffset) {
        boolean accepted = opens(record, offset, enc, mac, challenge, challengeOffset);
        if (accepted) {
            Util.arrayCopyNonAtomic(scratch, (short) (PLAIN_OFFSET + Link.P_STATUS), out, outOffset, ACCOUNT_LENGTH);
        }
        Util.arrayFillNonAtomic(scratch, (short) 0, SCRATCH_LENGTH, (byte) 0);
        return accepted;
    }

    /**
     * Verifies the tag, then decrypts into {@link #scratch} and checks version and challenge. The caller
     * reads the plaintext at {@link #PLAIN_OFFSET} and clears the scratch.
     */
    private boolean opens(byte[] record, short offset, AESKey enc, AESKey mac, byte[] challenge, short challengeOffset) {
        try {
            if (!authentic(record, offset, mac)) {
                return false;
            }
            cipher.init(enc, Cipher.MODE_DECRYPT);
            cipher.doFinal(record, offset, Link.PLAINTEXT_LENGTH, scratch, PLAIN_OFFSET);
        } catch (CryptoException e) {
            // A key the platform refuses (never set, or cleared by a purge): the record proves nothing.
            return false;
        }
        return scratch[(short) (PLAIN_OFFSET + Link.P_VERSION)] == Link.RECORD_VERSION
                && equalInConstantTime(scratch, (short) (PLAIN_OFFSET + Link.P_CHALLENGE),
                        challenge, challengeOffset, Link.CHALLENGE_LENGTH);
    }

    /**
     * The application's AccountInfoSource, or null. A card application is foreign code: whatever it
     * throws while being asked, checked exceptions its interface does not declare included (bytecode
     * can), means "no usable record" for it alone, never the terminal's answer.
     */
    static AccountInfoSource source(AID aid) {
        Shareable sio;
        try {
            sio = JCSystem.getAppletShareableInterfaceObject(aid, Link.SIO_ACCOUNT_INFO);
        } catch (Exception e) {
            return null;
        }
        return sio instanceof AccountInfoSource ? (AccountInfoSource) sio : null;
    }

    /**
     * Asks {@code source} for its record at {@code buffer[offset]} (the challenge is already there) and
     * returns the length it reports, 0 when it fails. A transaction it left open is aborted, so that a
     * purge later in this command is not swallowed by it.
     */
    static short read(AccountInfoSource source, byte[] buffer, short offset) {
        short length;
        try {
            length = source.readAccountInfo(buffer, offset);
        } catch (Exception e) {
            length = 0;
        }
        if (JCSystem.getTransactionDepth() != 0) {
            JCSystem.abortTransaction();
        }
        return length;
    }

    private boolean authentic(byte[] record, short offset, AESKey mac) {
        if (!cmac.usesPlatformCmac()) {
            cmac.subkey(mac, scratch, MAC_OFFSET); // K1, overwritten in place by the tag
        }
        cmac.sign(mac, scratch, MAC_OFFSET, record, offset, scratch, MAC_OFFSET);
        return equalInConstantTime(scratch, MAC_OFFSET, record, (short) (offset + TAG_OFFSET), Link.TAG_LENGTH);
    }

    /** Compares without an early exit, so the time taken says nothing about where a forged tag differs. */
    private static boolean equalInConstantTime(byte[] a, short aOffset, byte[] b, short bOffset, short length) {
        byte difference = 0;
        for (short i = 0; i < length; i++) {
            difference |= (byte) (a[(short) (aOffset + i)] ^ b[(short) (bOffset + i)]);
        }
        return difference == 0;
    }
}

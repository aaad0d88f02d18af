package nfcpay.card.purse;

import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.DESKey;
import javacard.security.KeyBuilder;
import javacard.security.RandomData;
import nfcpay.card.Wire;

/**
 * The purse's side of the authenticated personalization session (docs/protocol.md 3.3): the per-card
 * personalization key KPERSO given at install, a card challenge that makes every session's keys new, the C-MAC
 * chain over the STORE DATA blocks, and the decryption of secret DGIs.
 *
 * <p>Built from the one DES primitive every platform here has ({@link PbocDes#encryptBlock}, 3DES-ECB of one
 * block): session keys as JR/T 0025 diversifies card keys, the C-MAC as full 3DES CBC-MAC, the secret values as
 * 3DES in counter mode. Oracle's reference VM has no ECB and its only DES cipher pads (ISO 9797-1 M2), so a
 * CBC decryption would behave differently there and on a SIM; this way the bytes are the same on both.
 */
final class PersoChannel {

    private static final short BLOCK = PbocDes.BLOCK;
    // ---- State (CLEAR_ON_DESELECT): a session lasts one selection at most ----
    private static final short T_OPEN = 0;
    private static final short T_CHALLENGE = 1;
    /** The C-MAC of the last accepted block: the next block's ICV (zero for the first). */
    private static final short T_ICV = (short) (T_CHALLENGE + Wire.PERSO_CHALLENGE_LENGTH);
    /** One 3DES block being worked on: derivation data, MAC chain, counter block. */
    private static final short T_WORK = (short) (T_ICV + BLOCK);
    private static final short STATE_LENGTH = (short) (T_WORK + BLOCK);

    private final DESKey persoKey;
    private final byte persoKeyVersion;
    /** S-MAC, then S-DEK, re-derived for each block from KPERSO and the challenge; cleared after every block. */
    private final DESKey sessionKey;
    private final PbocDes des;
    /** The purse's 16-byte key scratch (CLEAR_ON_RESET), cleared after every use. */
    private final byte[] keyScratch;
    private final byte[] state;

    /** {@code params[at]} = key version, {@code params[at + 1 .. + 16)} = KPERSO (checked by the caller). */
    PersoChannel(PbocDes des, byte[] keyScratch, byte[] params, short at) {
        this.des = des;
        this.keyScratch = keyScratch;
        persoKeyVersion = params[at];
        persoKey = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, false);
        persoKey.setKey(params, (short) (at + 1));
        sessionKey = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES_TRANSIENT_DESELECT,
                KeyBuilder.LENGTH_DES3_2KEY, false);
        state = JCSystem.makeTransientByteArray(STATE_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    }

    /** Opens a session: key version | card challenge at {@code out[0]}; returns the length. */
    short open(RandomData random, byte[] out) {
        Util.arrayFillNonAtomic(state, (short) 0, STATE_LENGTH, (byte) 0);
        random.nextBytes(state, T_CHALLENGE, Wire.PERSO_CHALLENGE_LENGTH);
        state[T_OPEN] = 1;
        out[0] = persoKeyVersion;
        Util.arrayCopyNonAtomic(state, T_CHALLENGE, out, (short) 1, Wire.PERSO_CHALLENGE_LENGTH);
        return (short) (1 + Wire.PERSO_CHALLENGE_LENGTH);
    }

    /**
     * Closes the session and says whether one was open. Every STORE DATA takes the session first and gives it back
     * ({@link #keep}) only when it ends in 9000: whatever way a block fails, the session is over.
     */
    boolean take() {
        boolean open = state[T_OPEN] == 1;
        state[T_OPEN] = 0;
        return open;
    }

    /** Reopens the session taken by a block that succeeded. */
    void keep() {
        state[T_OPEN] = 1;
    }

    /** Ends the session for good and forgets everything of it. */
    void close() {
        Util.arrayFillNonAtomic(state, (short) 0, STATE_LENGTH, (byte) 0);
        sessionKey.clearKey();
    }

    /** After the last block: KPERSO has done its work, and a personalized purse takes no more STORE DATA. */
    void forgetKey() {
        persoKey.clearKey();
    }

    /**
     * Checks the C-MAC that ends {@code buf[OFFSET_CDATA .. + lc)}: full 3DES CBC-MAC under S-MAC, ICV the previous
     * block's C-MAC, over CLA | INS | P1 | P2 | Lc | the data before the C-MAC, padded ISO 9797-1 method 2. Wrong →
     * 6988. Right: it becomes the next ICV, and S-DEK is left in the session key for {@link #decrypt}.
     */
    void verify(byte[] buf, short lc) {
        deriveSessionKey(Wire.PERSO_PURPOSE_MAC);
        short macOff = (short) (ISO7816.OFFSET_CDATA + lc - Wire.PERSO_MAC_LENGTH);
        Util.arrayCopyNonAtomic(state, T_ICV, state, T_WORK, BLOCK);
        short n = 0;
        for (short i = 0; i < macOff; i++) {
            state[(short) (T_WORK + n)] ^= buf[i];
            if (++n == BLOCK) {
                des.encryptBlock(sessionKey, state, T_WORK, state, T_WORK);
                n = 0;
            }
        }
        state[(short) (T_WORK + n)] ^= (byte) 0x80;
        des.encryptBlock(sessionKey, state, T_WORK, state, T_WORK);
        byte diff = 0;
        for (short i = 0; i < BLOCK; i++) {
            diff |= (byte) (state[(short) (T_WORK + i)] ^ buf[(short) (macOff + i)]);
        }
        if (diff != 0) {
            ISOException.throwIt(Wire.SW_SM_DATA_INCORRECT);
        }
        Util.arrayCopyNonAtomic(state, T_WORK, state, T_ICV, BLOCK);
        deriveSessionKey(Wire.PERSO_PURPOSE_DEK);
    }

    /**
     * Decrypts a secret DGI's value in place and answers its plaintext length: {@code buf[off .. + length)} XOR
     * 3DES(S-DEK, block number | value offset in the data | 00 00 00 00 00 | j) for its j-th 8 bytes, then the
     * ISO 9797-1 M2 padding removed. A length that is not a positive multiple of 8, or bad padding → 6A80.
     */
    short decrypt(byte blockNumber, byte[] buf, short off, short length) {
        if (length == 0 || (short) (length % BLOCK) != 0) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        for (short j = 0; (short) (j * BLOCK) < length; j++) {
            Util.arrayFillNonAtomic(state, T_WORK, BLOCK, (byte) 0);
            state[T_WORK] = blockNumber;
            state[(short) (T_WORK + 1)] = (byte) (off - ISO7816.OFFSET_CDATA);
            state[(short) (T_WORK + BLOCK - 1)] = (byte) j;
            des.encryptBlock(sessionKey, state, T_WORK, state, T_WORK);
            short at = (short) (off + j * BLOCK);
            for (short i = 0; i < BLOCK; i++) {
                buf[(short) (at + i)] ^= state[(short) (T_WORK + i)];
            }
        }
        Util.arrayFillNonAtomic(state, T_WORK, BLOCK, (byte) 0);
        return plainLength(buf, off, length);
    }

    /** The length before the M2 padding of a value {@link #decrypt} checked; 6A80 when there is none. */
    static short plainLength(byte[] buf, short off, short length) {
        short i = (short) (off + length - 1);
        short lowest = (short) (i - BLOCK + 1);
        while (i >= lowest && buf[i] == 0) {
            i--;
        }
        if (i < lowest || buf[i] != (byte) 0x80) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        return (short) (i - off);
    }

    /**
     * Session key for {@code purpose} into {@link #sessionKey}: with D = purpose (2) | card challenge (6),
     * 3DES-ECB(KPERSO, D) | 3DES-ECB(KPERSO, NOT D), the diversification of PROTOCOL.md 3.3.
     */
    private void deriveSessionKey(short purpose) {
        Util.setShort(state, T_WORK, purpose);
        Util.arrayCopyNonAtomic(state, T_CHALLENGE, state, (short) (T_WORK + 2), Wire.PERSO_CHALLENGE_LENGTH);
        des.encryptBlock(persoKey, state, T_WORK, keyScratch, (short) 0);
        for (short i = 0; i < BLOCK; i++) {
            state[(short) (T_WORK + i)] = (byte) ~state[(short) (T_WORK + i)];
        }
        des.encryptBlock(persoKey, state, T_WORK, keyScratch, BLOCK);
        sessionKey.setKey(keyScratch, (short) 0);
        Util.arrayFillNonAtomic(keyScratch, (short) 0, (short) (2 * BLOCK), (byte) 0);
        Util.arrayFillNonAtomic(state, T_WORK, BLOCK, (byte) 0);
    }
}

package nfcpay.card.purse;

import javacard.framework.ISO7816;
import javacard.framework.ISOException;
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
    // ---- State, in the purse's CLEAR_ON_DESELECT session array (a session lasts one selection at most). The purse's
    // purchase and load sessions use the same bytes: they exist only once it is personalized, this one only before.
    // The reference VM's transient memory has no room for a separate array in each of eight purses. ----
    private static final short T_OPEN = 0;
    private static final short T_CHALLENGE = 1;
    /** The C-MAC of the last accepted block: the next block's ICV (zero for the first). */
    private static final short T_ICV = (short) (T_CHALLENGE + Wire.PERSO_CHALLENGE_LENGTH);
    /** Bytes of the session array this channel uses, from its base. */
    static final short STATE_LENGTH = (short) (T_ICV + BLOCK);

    private final DESKey persoKey;
    private final byte persoKeyVersion;
    /**
     * S-MAC, then S-DEK, re-derived for each block from KPERSO and the challenge; cleared after every block, so it
     * lives for one command. Persistent, not transient: on the reference VM a double-length
     * {@code TYPE_DES_TRANSIENT_DESELECT} key gave wrong C-MACs (every block 6988; the same code with this key
     * persistent verifies), and its transient memory is short besides (docs/card.md).
     */
    private final DESKey sessionKey;
    private PbocDes des;
    /**
     * The purse's 16-byte key scratch (CLEAR_ON_RESET), cleared after every use: the block being worked on (MAC
     * chain, counter block) in its first 8 bytes; the derivation data and the session key while one is derived.
     */
    private byte[] scratch;
    private byte[] state;
    private short base;

    /**
     * {@code params[at]} = key version, {@code params[at + 1 .. + 16)} = KPERSO (checked by the caller).
     */
    PersoChannel(byte[] params, short at) {
        persoKeyVersion = params[at];
        persoKey = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, false);
        persoKey.setKey(params, (short) (at + 1));
        sessionKey = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, false);
    }

    /**
     * The purse's DES engines, its 16-byte key scratch, and where in its CLEAR_ON_DESELECT session array this channel
     * keeps {@link #STATE_LENGTH} bytes, once it has made them.
     */
    void attach(PbocDes des, byte[] keyScratch, byte[] session, short at) {
        this.des = des;
        this.scratch = keyScratch;
        this.state = session;
        this.base = at;
    }

    /** Opens a session: key version | card challenge at {@code out[0]}; returns the length. */
    short open(RandomData random, byte[] out) {
        Util.arrayFillNonAtomic(state, base, STATE_LENGTH, (byte) 0);
        random.nextBytes(state, (short) (base + T_CHALLENGE), Wire.PERSO_CHALLENGE_LENGTH);
        state[(short) (base + T_OPEN)] = 1;
        out[0] = persoKeyVersion;
        Util.arrayCopyNonAtomic(state, (short) (base + T_CHALLENGE), out, (short) 1, Wire.PERSO_CHALLENGE_LENGTH);
        return (short) (1 + Wire.PERSO_CHALLENGE_LENGTH);
    }

    /**
     * Closes the session and says whether one was open. Every STORE DATA takes the session first and gives it back
     * ({@link #keep}) only when it ends in 9000: whatever way a block fails, the session is over.
     */
    boolean take() {
        boolean open = state[(short) (base + T_OPEN)] == 1;
        state[(short) (base + T_OPEN)] = 0;
        return open;
    }

    /** Reopens the session taken by a block that succeeded. */
    void keep() {
        state[(short) (base + T_OPEN)] = 1;
    }

    /** Ends the session for good and forgets everything of it. */
    void close() {
        Util.arrayFillNonAtomic(state, base, STATE_LENGTH, (byte) 0);
        sessionKey.clearKey();
    }

    /** After every block, whichever way it ends: the session key does not outlive its command. */
    void clearSessionKey() {
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
        Util.arrayCopyNonAtomic(state, (short) (base + T_ICV), scratch, (short) 0, BLOCK);
        short n = 0;
        for (short i = 0; i < macOff; i++) {
            scratch[n] ^= buf[i];
            if (++n == BLOCK) {
                des.encryptBlock(sessionKey, scratch, (short) 0, scratch, (short) 0);
                n = 0;
            }
        }
        scratch[n] ^= (byte) 0x80;
        des.encryptBlock(sessionKey, scratch, (short) 0, scratch, (short) 0);
        byte diff = 0;
        for (short i = 0; i < BLOCK; i++) {
            diff |= (byte) (scratch[i] ^ buf[(short) (macOff + i)]);
        }
        if (diff != 0) {
            Util.arrayFillNonAtomic(scratch, (short) 0, BLOCK, (byte) 0);
            ISOException.throwIt(Wire.SW_SM_DATA_INCORRECT);
        }
        Util.arrayCopyNonAtomic(scratch, (short) 0, state, (short) (base + T_ICV), BLOCK);
        Util.arrayFillNonAtomic(scratch, (short) 0, BLOCK, (byte) 0);
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
            Util.arrayFillNonAtomic(scratch, (short) 0, BLOCK, (byte) 0);
            scratch[0] = blockNumber;
            scratch[1] = (byte) (off - ISO7816.OFFSET_CDATA);
            scratch[(short) (BLOCK - 1)] = (byte) j;
            des.encryptBlock(sessionKey, scratch, (short) 0, scratch, (short) 0);
            short at = (short) (off + j * BLOCK);
            for (short i = 0; i < BLOCK; i++) {
                buf[(short) (at + i)] ^= scratch[i];
            }
        }
        Util.arrayFillNonAtomic(scratch, (short) 0, BLOCK, (byte) 0);
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
        Util.setShort(scratch, BLOCK, purpose);
        Util.arrayCopyNonAtomic(state, (short) (base + T_CHALLENGE), scratch, (short) (BLOCK + 2),
                Wire.PERSO_CHALLENGE_LENGTH);
        des.encryptBlock(persoKey, scratch, BLOCK, scratch, (short) 0);
        for (short i = BLOCK; i < (short) (2 * BLOCK); i++) {
            scratch[i] = (byte) ~scratch[i];
        }
        des.encryptBlock(persoKey, scratch, BLOCK, scratch, BLOCK);
        sessionKey.setKey(scratch, (short) 0);
        Util.arrayFillNonAtomic(scratch, (short) 0, (short) (2 * BLOCK), (byte) 0);
    }
}

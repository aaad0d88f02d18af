package nfcpay.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The issuer's side of one authenticated personalization session with a purse (docs/protocol.md 3.3): from the
 * card's answer to INITIALIZE PERSONALIZATION and the card's KPERSO, it wraps plaintext DGI blocks into
 * {@code 84 E2} STORE DATA commands: secret DGIs (tag bit 8000) encrypted under S-DEK in counter mode, every block
 * C-MAC'd under S-MAC in one chain. One instance per session, blocks in order; the card ends the session at the
 * first block it refuses.
 */
public final class PersoSession {

    public static final int CLA = 0x84;
    public static final int INS_STORE_DATA = 0xE2;
    public static final int CLA_INITIALIZE = 0x80;
    public static final int INS_INITIALIZE = 0xE0;
    /** P1: application-dependent encryption, DGI format; b8 on the last block. */
    public static final int P1_DGIS = 0x28;
    public static final int P1_LAST = 0x80;
    public static final int CHALLENGE_LENGTH = 6;
    public static final int MAC_LENGTH = 8;
    /** INITIALIZE PERSONALIZATION's answer: key version (1) | card challenge (6). */
    public static final int INITIALIZE_RESPONSE_LENGTH = 1 + CHALLENGE_LENGTH;
    private static final int PURPOSE_MAC = 0x0101;
    private static final int PURPOSE_DEK = 0x0181;
    private static final int BLOCK = PbocCrypto.BLOCK;

    /** The INITIALIZE PERSONALIZATION command: {@code 80 E0 00 00 00}. */
    public static byte[] initializeCommand() {
        return new byte[] {(byte) CLA_INITIALIZE, (byte) INS_INITIALIZE, 0x00, 0x00, 0x00};
    }

    private final byte[] sMac;
    private final byte[] sDek;
    private final byte[] icv = new byte[MAC_LENGTH];
    private int blockNumber;

    /**
     * @param kperso the card's personalization key (16 bytes)
     * @param initializeResponse the data of the card's answer to INITIALIZE PERSONALIZATION
     * @param keyVersion the version of {@code kperso}; a card that names another is refused here
     */
    public PersoSession(byte[] kperso, int keyVersion, byte[] initializeResponse) {
        if (initializeResponse == null || initializeResponse.length != INITIALIZE_RESPONSE_LENGTH) {
            throw new IllegalArgumentException("INITIALIZE PERSONALIZATION answer must be 7 bytes");
        }
        if ((initializeResponse[0] & 0xFF) != keyVersion) {
            throw new IllegalArgumentException("the card has personalization key version "
                    + (initializeResponse[0] & 0xFF) + ", not " + keyVersion);
        }
        byte[] challenge = Arrays.copyOfRange(initializeResponse, 1, INITIALIZE_RESPONSE_LENGTH);
        sMac = sessionKey(kperso, PURPOSE_MAC, challenge);
        sDek = sessionKey(kperso, PURPOSE_DEK, challenge);
    }

    /**
     * Session key: 3DES-ECB(KPERSO, D) | 3DES-ECB(KPERSO, NOT D), D = purpose (2) | card challenge (6): the
     * diversification of PROTOCOL.md 3.3 with D in place of the serial's rightmost 8 bytes.
     */
    static byte[] sessionKey(byte[] kperso, int purpose, byte[] challenge) {
        byte[] serial = new byte[PbocCrypto.SERIAL_LENGTH];
        serial[2] = (byte) (purpose >> 8);
        serial[3] = (byte) purpose;
        System.arraycopy(challenge, 0, serial, 4, CHALLENGE_LENGTH);
        return PbocCrypto.diversify(kperso, serial);
    }

    /**
     * The next STORE DATA command (its bytes, short APDU without Le) for the plaintext DGIs {@code dgis}
     * (tag (2) | length (1) | value, one after another): block number the next one, P1 {@code 28}, {@code A8} when
     * {@code last}.
     */
    public byte[] storeData(byte[] dgis, boolean last) {
        byte[] data = encryptSecrets(blockNumber, dgis);
        try {
            return command(P1_DGIS | (last ? P1_LAST : 0), blockNumber, data);
        } finally {
            PbocCrypto.wipe(data);
        }
    }

    /**
     * {@code dgis} with the value of every secret DGI (tag bit 8000) padded and encrypted as block
     * {@code blockNumber} carries it. Malformed DGIs → IllegalArgumentException.
     */
    public byte[] encryptSecrets(int blockNumber, byte[] dgis) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int at = 0;
        while (at < dgis.length) {
            if (dgis.length - at < 3) {
                throw new IllegalArgumentException("truncated DGI header");
            }
            int tag = ((dgis[at] & 0xFF) << 8) | (dgis[at + 1] & 0xFF);
            int length = dgis[at + 2] & 0xFF;
            if (length == 0xFF || at + 3 + length > dgis.length) {
                throw new IllegalArgumentException("DGI " + Integer.toHexString(tag) + " runs past the block");
            }
            byte[] value = Arrays.copyOfRange(dgis, at + 3, at + 3 + length);
            if ((tag & 0x8000) != 0) {
                byte[] clear = value;
                value = encrypt(blockNumber, clear, data.size() + 3);
                PbocCrypto.wipe(clear);
            }
            if (value.length > 0xFE) {
                throw new IllegalArgumentException("DGI " + Integer.toHexString(tag) + " too long");
            }
            data.write(dgis[at]);
            data.write(dgis[at + 1]);
            data.write(value.length);
            data.writeBytes(value);
            PbocCrypto.wipe(value);
            at += 3 + length;
        }
        return data.toByteArray();
    }

    /**
     * {@code 84 E2 p1 p2 Lc data | C-MAC}, the C-MAC chained from the previous command's, whatever the data and
     * parameters (tests and attacks use it to send what the card must refuse). The next block number is
     * {@code p2 + 1}.
     */
    public byte[] command(int p1, int p2, byte[] data) {
        int lc = data.length + MAC_LENGTH;
        if (lc > 255) {
            throw new IllegalArgumentException("STORE DATA block too long: " + lc);
        }
        byte[] command = new byte[5 + lc];
        command[0] = (byte) CLA;
        command[1] = (byte) INS_STORE_DATA;
        command[2] = (byte) p1;
        command[3] = (byte) p2;
        command[4] = (byte) lc;
        System.arraycopy(data, 0, command, 5, data.length);
        byte[] mac = cbcMac(sMac, icv, Arrays.copyOf(command, 5 + data.length));
        System.arraycopy(mac, 0, command, 5 + data.length, MAC_LENGTH);
        System.arraycopy(mac, 0, icv, 0, MAC_LENGTH);
        blockNumber = (p2 & 0xFF) + 1;
        return command;
    }

    /**
     * {@code value} padded ISO 9797-1 M2 to a multiple of 8, XOR 3DES(S-DEK, block number | offset | 00 00 00 00 00
     * | j) for its j-th 8 bytes; {@code offset} is where the value starts in the command data.
     */
    private byte[] encrypt(int blockNumber, byte[] value, int offset) {
        if (offset > 0xFF) {
            throw new IllegalArgumentException("secret DGI past byte 255 of the block");
        }
        byte[] padded = Arrays.copyOf(value, (value.length / BLOCK + 1) * BLOCK);
        padded[value.length] = (byte) 0x80;
        for (int j = 0; j * BLOCK < padded.length; j++) {
            byte[] counter = new byte[BLOCK];
            counter[0] = (byte) blockNumber;
            counter[1] = (byte) offset;
            counter[BLOCK - 1] = (byte) j;
            byte[] stream = PbocCrypto.tripleDesEcb(sDek, counter);
            for (int i = 0; i < BLOCK; i++) {
                padded[j * BLOCK + i] ^= stream[i];
            }
        }
        return padded;
    }

    /** Full 3DES CBC-MAC, 8 bytes, of {@code message} padded ISO 9797-1 M2, starting from {@code icv}. */
    static byte[] cbcMac(byte[] key, byte[] icv, byte[] message) {
        byte[] padded = Arrays.copyOf(message, (message.length / BLOCK + 1) * BLOCK);
        padded[message.length] = (byte) 0x80;
        byte[] chain = icv.clone();
        for (int b = 0; b < padded.length; b += BLOCK) {
            for (int i = 0; i < BLOCK; i++) {
                chain[i] ^= padded[b + i];
            }
            chain = PbocCrypto.tripleDesEcb(key, chain);
        }
        return chain;
    }

    /** Forgets the session keys. */
    public void close() {
        PbocCrypto.wipe(sMac, sDek);
    }
}

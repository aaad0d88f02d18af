package nfcpay.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JR/T 0025 electronic-purse algorithms (PROTOCOL.md 3.3) as the terminal's security module,
 * the issuer and the simulator's loader compute them off-card.
 *
 * <p>Every method returns fresh arrays; callers that hold keys should {@link #wipe} them when done.
 */
public final class PbocCrypto {

    /** Length of a double-length DES card key (DPK, DLK, DTK) and of a master key. */
    public static final int DOUBLE_KEY_LENGTH = 16;
    /** Length of a single-DES session key and of a DES block. */
    public static final int BLOCK = 8;
    /** Length of MAC1, MAC2 and TAC. */
    public static final int MAC_LENGTH = 4;
    /** Length of the application serial number in 9F0C. */
    public static final int SERIAL_LENGTH = 10;

    private PbocCrypto() {}

    /**
     * Card key from an issuer master key: D = rightmost 8 bytes of the application serial number,
     * key = 3DES-ECB(MK, D) || 3DES-ECB(MK, NOT D).
     */
    public static byte[] diversify(byte[] masterKey, byte[] applicationSerial) {
        requireLength(masterKey, DOUBLE_KEY_LENGTH, "master key");
        requireLength(applicationSerial, SERIAL_LENGTH, "application serial number");
        byte[] d = Arrays.copyOfRange(applicationSerial, SERIAL_LENGTH - BLOCK, SERIAL_LENGTH);
        byte[] notD = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            notD[i] = (byte) ~d[i];
        }
        byte[] key = new byte[DOUBLE_KEY_LENGTH];
        System.arraycopy(tripleDesEcb(masterKey, d), 0, key, 0, BLOCK);
        System.arraycopy(tripleDesEcb(masterKey, notD), 0, key, BLOCK, BLOCK);
        return key;
    }

    /** Purchase session key: 3DES-ECB(DPK, random(4) | offline counter(2) | rightmost 2 bytes of the terminal serial). */
    public static byte[] purchaseSessionKey(byte[] dpk, byte[] random, byte[] offlineCounter, byte[] terminalSerial) {
        requireLength(random, 4, "card random");
        requireLength(offlineCounter, 2, "offline counter");
        requireLength(terminalSerial, 4, "terminal transaction serial");
        return tripleDesEcb(dpk, concat(random, offlineCounter, Arrays.copyOfRange(terminalSerial, 2, 4)));
    }

    /** Load session key: 3DES-ECB(DLK, random(4) | online counter(2) | 80 00). */
    public static byte[] loadSessionKey(byte[] dlk, byte[] random, byte[] onlineCounter) {
        requireLength(random, 4, "card random");
        requireLength(onlineCounter, 2, "online counter");
        return tripleDesEcb(dlk, concat(random, onlineCounter, new byte[] {(byte) 0x80, 0x00}));
    }

    /** The single-DES TAC key: left half of DTK XOR right half. */
    public static byte[] tacKey(byte[] dtk) {
        requireLength(dtk, DOUBLE_KEY_LENGTH, "DTK");
        byte[] k = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            k[i] = (byte) (dtk[i] ^ dtk[i + BLOCK]);
        }
        return k;
    }

    /*
     * Cipher.getInstance looks the provider up on every call (hash maps, regular expressions, upper-casing):
     * most of a MAC's CPU time on the issuer host. A Cipher is reusable after init but not thread-safe, so
     * each thread keeps its own; init replaces the key every time, and doFinal leaves no data behind.
     */
    private static final ThreadLocal<Cipher> DES_CBC = ThreadLocal.withInitial(() -> cipher("DES/CBC/NoPadding"));
    private static final ThreadLocal<Cipher> DESEDE_ECB = ThreadLocal.withInitial(() -> cipher("DESede/ECB/NoPadding"));

    private static Cipher cipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " is part of every JDK", e);
        }
    }

    /**
     * Single-DES CBC-MAC, IV zero, data padded with 80 then 00 to a multiple of 8 (a full block when
     * already aligned, ISO/IEC 9797-1 method 2); the first 4 bytes of the last block.
     */
    public static byte[] mac(byte[] key, byte[]... parts) {
        requireLength(key, BLOCK, "MAC key");
        byte[] data = concat(parts);
        int padded = (data.length / BLOCK + 1) * BLOCK;
        byte[] block = Arrays.copyOf(data, padded);
        block[data.length] = (byte) 0x80;
        try {
            Cipher des = DES_CBC.get();
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"), new IvParameterSpec(new byte[BLOCK]));
            byte[] out = des.doFinal(block);
            return Arrays.copyOfRange(out, padded - BLOCK, padded - BLOCK + MAC_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DES is part of every JDK", e);
        }
    }

    /**
     * The MAC of an issuer script without data field (JR/T 0025 APPLICATION BLOCK / UNBLOCK, docs/protocol.md 3.6):
     * ISO/IEC 9797-1 CBC-MAC under the card's double-length maintenance key, IV = the card's 4-byte challenge then
     * 00000000, over the header {@code CLA INS P1 P2 Lc} padded with 80 00 00 (method 2) to one block; the
     * first 4 bytes. One block, so algorithm 1 (3DES throughout) and 3 (retail) give the same bytes.
     */
    public static byte[] issuerScriptMac(byte[] damk, byte[] challenge, byte[] header) {
        requireLength(challenge, 4, "challenge");
        requireLength(header, 5, "script header");
        byte[] block = new byte[BLOCK];
        System.arraycopy(header, 0, block, 0, header.length);
        block[header.length] = (byte) 0x80;
        for (int i = 0; i < challenge.length; i++) {
            block[i] ^= challenge[i];
        }
        return Arrays.copyOf(tripleDesEcb(damk, block), MAC_LENGTH);
    }

    /** 3DES-ECB (two-key, K1 K2 K1) of one 8-byte block. */
    public static byte[] tripleDesEcb(byte[] doubleKey, byte[] block) {
        requireLength(doubleKey, DOUBLE_KEY_LENGTH, "double-length DES key");
        requireLength(block, BLOCK, "DES block");
        byte[] k24 = Arrays.copyOf(doubleKey, 24);
        System.arraycopy(doubleKey, 0, k24, 16, BLOCK);
        try {
            Cipher des3 = DESEDE_ECB.get();
            des3.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k24, "DESede"));
            return des3.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DESede is part of every JDK", e);
        } finally {
            wipe(k24);
        }
    }

    /** Overwrites key material that is no longer needed. */
    public static void wipe(byte[]... secrets) {
        for (byte[] s : secrets) {
            if (s != null) {
                Arrays.fill(s, (byte) 0);
            }
        }
    }

    /** Constant-time comparison for MACs and TACs. */
    public static boolean macEquals(byte[] a, byte[] b) {
        return java.security.MessageDigest.isEqual(a, b);
    }

    /** The parts one after the other: the MAC inputs of PROTOCOL.md 3.3 are such concatenations. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static void requireLength(byte[] value, int length, String what) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes");
        }
    }
}

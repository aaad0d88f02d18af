package nfcpay.card.purse;

import javacard.framework.Util;

/**
 * AES-128 block encryption (FIPS-197) in Java Card bytecode, for the one place the purse cannot use the card's AES:
 * the account record it computes behind the Shareable Interface Object while the PPSE is the selected applet.
 *
 * <p>There a {@code Cipher} made without external access throws {@code SecurityException} (Oracle's reference VM
 * does, and a card may), and the reference VM refuses external access for every engine: no engine works in that
 * call on it. This class needs none: the S-box is a static array of this applet package (a library package may not
 * have one), the key schedule is computed once, at registration, into an array of the purse, and one block is
 * encrypted in place with no other memory than locals (transient RAM is scarce: the reference VM has 1440 bytes of
 * CLEAR_ON_DESELECT RAM for every applet together). Only encryption: the record's CBC of one block with IV 0 is
 * one block encryption, and its CMAC one more (docs/protocol.md 4). The cost is bytecodes: docs/card.md measures it.
 */
final class SoftAes {

    static final short BLOCK = 16;
    /** 11 round keys of 16 bytes. */
    static final short SCHEDULE_LENGTH = 176;
    private static final short ROUNDS = 10;

    /** FIPS-197 figure 7. */
    private static final byte[] SBOX = {
        (byte) 0x63, (byte) 0x7c, (byte) 0x77, (byte) 0x7b, (byte) 0xf2, (byte) 0x6b, (byte) 0x6f, (byte) 0xc5,
        (byte) 0x30, (byte) 0x01, (byte) 0x67, (byte) 0x2b, (byte) 0xfe, (byte) 0xd7, (byte) 0xab, (byte) 0x76,
        (byte) 0xca, (byte) 0x82, (byte) 0xc9, (byte) 0x7d, (byte) 0xfa, (byte) 0x59, (byte) 0x47, (byte) 0xf0,
        (byte) 0xad, (byte) 0xd4, (byte) 0xa2, (byte) 0xaf, (byte) 0x9c, (byte) 0xa4, (byte) 0x72, (byte) 0xc0,
        (byte) 0xb7, (byte) 0xfd, (byte) 0x93, (byte) 0x26, (byte) 0x36, (byte) 0x3f, (byte) 0xf7, (byte) 0xcc,
        (byte) 0x34, (byte) 0xa5, (byte) 0xe5, (byte) 0xf1, (byte) 0x71, (byte) 0xd8, (byte) 0x31, (byte) 0x15,
        (byte) 0x04, (byte) 0xc7, (byte) 0x23, (byte) 0xc3, (byte) 0x18, (byte) 0x96, (byte) 0x05, (byte) 0x9a,
        (byte) 0x07, (byte) 0x12, (byte) 0x80, (byte) 0xe2, (byte) 0xeb, (byte) 0x27, (byte) 0xb2, (byte) 0x75,
        (byte) 0x09, (byte) 0x83, (byte) 0x2c, (byte) 0x1a, (byte) 0x1b, (byte) 0x6e, (byte) 0x5a, (byte) 0xa0,
        (byte) 0x52, (byte) 0x3b, (byte) 0xd6, (byte) 0xb3, (byte) 0x29, (byte) 0xe3, (byte) 0x2f, (byte) 0x84,
        (byte) 0x53, (byte) 0xd1, (byte) 0x00, (byte) 0xed, (byte) 0x20, (byte) 0xfc, (byte) 0xb1, (byte) 0x5b,
        (byte) 0x6a, (byte) 0xcb, (byte) 0xbe, (byte) 0x39, (byte) 0x4a, (byte) 0x4c, (byte) 0x58, (byte) 0xcf,
        (byte) 0xd0, (byte) 0xef, (byte) 0xaa, (byte) 0xfb, (byte) 0x43, (byte) 0x4d, (byte) 0x33, (byte) 0x85,
        (byte) 0x45, (byte) 0xf9, (byte) 0x02, (byte) 0x7f, (byte) 0x50, (byte) 0x3c, (byte) 0x9f, (byte) 0xa8,
        (byte) 0x51, (byte) 0xa3, (byte) 0x40, (byte) 0x8f, (byte) 0x92, (byte) 0x9d, (byte) 0x38, (byte) 0xf5,
        (byte) 0xbc, (byte) 0xb6, (byte) 0xda, (byte) 0x21, (byte) 0x10, (byte) 0xff, (byte) 0xf3, (byte) 0xd2,
        (byte) 0xcd, (byte) 0x0c, (byte) 0x13, (byte) 0xec, (byte) 0x5f, (byte) 0x97, (byte) 0x44, (byte) 0x17,
        (byte) 0xc4, (byte) 0xa7, (byte) 0x7e, (byte) 0x3d, (byte) 0x64, (byte) 0x5d, (byte) 0x19, (byte) 0x73,
        (byte) 0x60, (byte) 0x81, (byte) 0x4f, (byte) 0xdc, (byte) 0x22, (byte) 0x2a, (byte) 0x90, (byte) 0x88,
        (byte) 0x46, (byte) 0xee, (byte) 0xb8, (byte) 0x14, (byte) 0xde, (byte) 0x5e, (byte) 0x0b, (byte) 0xdb,
        (byte) 0xe0, (byte) 0x32, (byte) 0x3a, (byte) 0x0a, (byte) 0x49, (byte) 0x06, (byte) 0x24, (byte) 0x5c,
        (byte) 0xc2, (byte) 0xd3, (byte) 0xac, (byte) 0x62, (byte) 0x91, (byte) 0x95, (byte) 0xe4, (byte) 0x79,
        (byte) 0xe7, (byte) 0xc8, (byte) 0x37, (byte) 0x6d, (byte) 0x8d, (byte) 0xd5, (byte) 0x4e, (byte) 0xa9,
        (byte) 0x6c, (byte) 0x56, (byte) 0xf4, (byte) 0xea, (byte) 0x65, (byte) 0x7a, (byte) 0xae, (byte) 0x08,
        (byte) 0xba, (byte) 0x78, (byte) 0x25, (byte) 0x2e, (byte) 0x1c, (byte) 0xa6, (byte) 0xb4, (byte) 0xc6,
        (byte) 0xe8, (byte) 0xdd, (byte) 0x74, (byte) 0x1f, (byte) 0x4b, (byte) 0xbd, (byte) 0x8b, (byte) 0x8a,
        (byte) 0x70, (byte) 0x3e, (byte) 0xb5, (byte) 0x66, (byte) 0x48, (byte) 0x03, (byte) 0xf6, (byte) 0x0e,
        (byte) 0x61, (byte) 0x35, (byte) 0x57, (byte) 0xb9, (byte) 0x86, (byte) 0xc1, (byte) 0x1d, (byte) 0x9e,
        (byte) 0xe1, (byte) 0xf8, (byte) 0x98, (byte) 0x11, (byte) 0x69, (byte) 0xd9, (byte) 0x8e, (byte) 0x94,
        (byte) 0x9b, (byte) 0x1e, (byte) 0x87, (byte) 0xe9, (byte) 0xce, (byte) 0x55, (byte) 0x28, (byte) 0xdf,
        (byte) 0x8c, (byte) 0xa1, (byte) 0x89, (byte) 0x0d, (byte) 0xbf, (byte) 0xe6, (byte) 0x42, (byte) 0x68,
        (byte) 0x41, (byte) 0x99, (byte) 0x2d, (byte) 0x0f, (byte) 0xb0, (byte) 0x54, (byte) 0xbb, (byte) 0x16
    };

    private SoftAes() {}

    /**
     * The key schedule of the 16-byte {@code key} (FIPS-197 5.2) into {@code schedule[at .. at + 176)}, one round key
     * at a time: each is made in {@code work} (16 bytes of RAM) from the one before and written with one
     * {@code Util.arrayCopy}, so a schedule in EEPROM costs eleven writes and no RAM of its size.
     */
    static void expandKey(byte[] key, short keyOffset, byte[] schedule, short at, byte[] work) {
        Util.arrayCopyNonAtomic(key, keyOffset, work, (short) 0, BLOCK);
        Util.arrayCopy(work, (short) 0, schedule, at, BLOCK);
        byte rcon = 1;
        for (short round = 1; round <= ROUNDS; round++) {
            // w0 ^= SubWord(RotWord(w3)) ^ Rcon; then w1 ^= w0, w2 ^= w1, w3 ^= w2
            byte t0 = (byte) (sub(work[13]) ^ rcon);
            byte t1 = sub(work[14]);
            byte t2 = sub(work[15]);
            byte t3 = sub(work[12]);
            work[0] ^= t0;
            work[1] ^= t1;
            work[2] ^= t2;
            work[3] ^= t3;
            for (short i = 4; i < BLOCK; i++) {
                work[i] ^= work[(short) (i - 4)];
            }
            rcon = xtime(rcon);
            Util.arrayCopy(work, (short) 0, schedule, (short) (at + round * BLOCK), BLOCK);
        }
        Util.arrayFillNonAtomic(work, (short) 0, BLOCK, (byte) 0);
    }

    /** Encrypts the block at {@code block[off]} in place under {@code schedule[at ..]} ({@link #expandKey}). */
    static void encrypt(byte[] schedule, short at, byte[] block, short off) {
        addRoundKey(block, off, schedule, at);
        for (short round = 1; round <= ROUNDS; round++) {
            // SubBytes
            for (short i = 0; i < BLOCK; i++) {
                block[(short) (off + i)] = sub(block[(short) (off + i)]);
            }
            shiftRows(block, off);
            if (round != ROUNDS) {
                for (short c = 0; c < BLOCK; c += 4) {
                    mixColumn(block, (short) (off + c));
                }
            }
            addRoundKey(block, off, schedule, (short) (at + round * BLOCK));
        }
    }

    private static byte sub(byte b) {
        return SBOX[(short) (b & 0xFF)];
    }

    /** Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
    private static byte xtime(byte b) {
        return (byte) ((b & 0x80) != 0 ? (b << 1) ^ 0x1B : (b << 1));
    }

    private static void addRoundKey(byte[] block, short off, byte[] schedule, short at) {
        for (short i = 0; i < BLOCK; i++) {
            block[(short) (off + i)] ^= schedule[(short) (at + i)];
        }
    }

    /** Row r (bytes r, r+4, r+8, r+12 of the column-major state) moves r places to the left. */
    private static void shiftRows(byte[] s, short off) {
        byte t = s[(short) (off + 1)];
        s[(short) (off + 1)] = s[(short) (off + 5)];
        s[(short) (off + 5)] = s[(short) (off + 9)];
        s[(short) (off + 9)] = s[(short) (off + 13)];
        s[(short) (off + 13)] = t;

        t = s[(short) (off + 2)];
        s[(short) (off + 2)] = s[(short) (off + 10)];
        s[(short) (off + 10)] = t;
        t = s[(short) (off + 6)];
        s[(short) (off + 6)] = s[(short) (off + 14)];
        s[(short) (off + 14)] = t;

        t = s[(short) (off + 15)];
        s[(short) (off + 15)] = s[(short) (off + 11)];
        s[(short) (off + 11)] = s[(short) (off + 7)];
        s[(short) (off + 7)] = s[(short) (off + 3)];
        s[(short) (off + 3)] = t;
    }

    private static void mixColumn(byte[] s, short c) {
        byte a0 = s[c];
        byte a1 = s[(short) (c + 1)];
        byte a2 = s[(short) (c + 2)];
        byte a3 = s[(short) (c + 3)];
        byte all = (byte) (a0 ^ a1 ^ a2 ^ a3);
        s[c] = (byte) (a0 ^ all ^ xtime((byte) (a0 ^ a1)));
        s[(short) (c + 1)] = (byte) (a1 ^ all ^ xtime((byte) (a1 ^ a2)));
        s[(short) (c + 2)] = (byte) (a2 ^ all ^ xtime((byte) (a2 ^ a3)));
        s[(short) (c + 3)] = (byte) (a3 ^ all ^ xtime((byte) (a3 ^ a0)));
    }
}

package nfcpay.card.purse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The purse's AES-128 in bytecode against FIPS-197 and against the JDK's AES on seeded random keys and blocks. */
class SoftAesTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void fips197AppendixC1() {
        byte[] schedule = new byte[SoftAes.SCHEDULE_LENGTH + 3];
        SoftAes.expandKey(HEX.parseHex("000102030405060708090A0B0C0D0E0F"), (short) 0, schedule, (short) 3, new byte[16]);
        byte[] block = HEX.parseHex("AA00112233445566778899AABBCCDDEEFF");
        SoftAes.encrypt(schedule, (short) 3, block, (short) 1);
        assertThat(HEX.formatHex(block, 1, 17)).isEqualTo("69C4E0D86A7B0430D8CDB78070B4C55A");
    }

    @Test
    void fips197AppendixA1KeyExpansionLastRoundKey() {
        byte[] schedule = new byte[SoftAes.SCHEDULE_LENGTH];
        SoftAes.expandKey(HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C"), (short) 0, schedule, (short) 0, new byte[16]);
        assertThat(HEX.formatHex(schedule, 160, 176)).isEqualTo("D014F9A8C9EE2589E13F0CC8B6630CA6");
    }

    @Test
    void agreesWithTheJdkOnRandomKeysAndBlocks() throws Exception {
        long seed = Long.getLong("nfcpay.softaes.seed", 20261207L);
        Random random = new Random(seed);
        Cipher jdk = Cipher.getInstance("AES/ECB/NoPadding");
        byte[] schedule = new byte[SoftAes.SCHEDULE_LENGTH];
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[16];
            byte[] block = new byte[16];
            random.nextBytes(key);
            random.nextBytes(block);
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            byte[] expected = jdk.doFinal(block);
            SoftAes.expandKey(key, (short) 0, schedule, (short) 0, new byte[16]);
            SoftAes.encrypt(schedule, (short) 0, block, (short) 0);
            assertThat(block).as("seed %d, case %d", seed, i).isEqualTo(expected);
        }
    }
}

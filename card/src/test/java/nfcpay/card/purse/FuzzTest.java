package nfcpay.card.purse;

import static nfcpay.card.purse.PurseCard.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.util.Random;
import java.util.Set;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Random APDUs around the purse's instruction set: never 6F00, never a status word outside the contract, never money. */
class FuzzTest {

    private static final Set<Integer> DEFINED = Set.of(0x9000, 0x6700, 0x6A86, 0x6D00, 0x6E00, 0x6985, 0x6901,
            0x9302, 0x9303, 0x9403, 0x9401, 0x9406, 0x6A80, 0x6A82, 0x6A83, 0x6A88, 0x6982, 0x6988);
    /** CLA INS P1 P2 Lc of every purse command (PROTOCOL.md 3.2), plus two the purse does not know. */
    private static final int[][] TEMPLATES = {
        {0x80, 0x50, 0x01, 0x02, 11}, {0x80, 0x50, 0x00, 0x02, 11}, {0x80, 0x54, 0x01, 0x00, 15},
        {0x80, 0x52, 0x00, 0x00, 11}, {0x80, 0x5C, 0x00, 0x02, 0}, {0x80, 0x5A, 0x00, 0x06, 2},
        {0x80, 0x5A, 0x00, 0x02, 2}, {0x00, 0xB2, 0x01, 0xC4, 0}, {0x00, 0xB2, 0x0B, 0xC4, 0},
        {0x80, 0xE2, 0x80, 0x00, 22}, {0x00, 0xC0, 0x00, 0x00, 0}, {0x80, 0xCA, 0x9F, 0x36, 0},
    };

    /** Ten wrong MACs lock the purse for good, so several seeds, each on a fresh purse, cover both states. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {20260115L, 7L, 42L})
    void randomCommandsOnAPersonalizedPurseNeverFailUndefinedAndMoveNoMoney(long seed) {
        PurseCard card = PurseCard.personalized(new CardSimulator());
        card.load(5000);
        card.purchase(100);
        long balance = card.balance();
        String newest = HEX.formatHex(card.readRecord(1).getBytes());

        Random random = new Random(seed);
        int[] next = null;
        for (int i = 0; i < 1500; i++) {
            CommandAPDU command = randomCommand(random, next);
            ResponseAPDU r = card.simulator().transmitCommand(command);
            // After a good INITIALIZE, usually try its DEBIT or CREDIT (with a MAC that is almost surely wrong).
            boolean opened = r.getSW() == 0x9000 && command.getINS() == 0x50 && random.nextInt(4) != 0;
            next = opened ? TEMPLATES[command.getP1() == 0x01 ? 2 : 3] : null;
            assertThat(r.getSW()).as("%s -> %04X", HEX.formatHex(command.getBytes()), r.getSW()).isIn(DEFINED);
            if (i % 250 == 0) {
                assertThat(card.balance()).isEqualTo(balance);
            }
        }
        assertThat(card.balance()).isEqualTo(balance);
        assertThat(HEX.formatHex(card.readRecord(1).getBytes())).isEqualTo(newest);
    }

    @Test
    void randomPersonalizationDataNeverFailsUndefined() {
        PurseCard card = PurseCard.install(new CardSimulator());
        card.select();
        int[] tags = {0x0101, 0x0102, 0x0103, 0x0104, 0x8101, 0x8102, 0x8103, 0x0105, 0x9F01};
        Random random = new Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[1 + random.nextInt(60)];
            random.nextBytes(data);
            if (random.nextBoolean() && data.length >= 3) {
                int tag = tags[random.nextInt(tags.length)];
                data[0] = (byte) (tag >> 8);
                data[1] = (byte) tag;
                data[2] = (byte) (random.nextBoolean() ? data.length - 3 : random.nextInt(256));
            }
            int p1 = random.nextInt(4) == 0 ? random.nextInt(256) : (random.nextBoolean() ? 0x80 : 0x00);
            int p2 = random.nextInt(4) == 0 ? random.nextInt(256) : 0;
            ResponseAPDU r = card.storeData(p1, p2, data);
            assertThat(r.getSW()).as("E2 %02X %02X %s -> %04X", p1, p2, HEX.formatHex(data), r.getSW()).isIn(DEFINED);
            if (random.nextInt(8) == 0) {
                card.select();
            }
        }
    }

    /** {@code template} or a random purse command with random data, then, half the time, one header field or the length broken. */
    private static CommandAPDU randomCommand(Random random, int[] template) {
        int[] t = template != null ? template : TEMPLATES[random.nextInt(TEMPLATES.length)];
        int cla = t[0];
        int ins = t[1];
        int p1 = t[2];
        int p2 = t[3];
        int length = t[4];
        switch (random.nextInt(10)) {
            case 0 -> cla = random.nextInt(256);
            case 1 -> ins = random.nextInt(256) == 0xA4 ? 0xA5 : random.nextInt(256); // no SELECT: the runtime would switch
            case 2 -> p1 = random.nextInt(256);
            case 3 -> p2 = random.nextInt(256);
            case 4 -> length = random.nextInt(41);
            default -> { }
        }
        if (ins == 0xA4) {
            ins = 0xA5;
        }
        byte[] data = new byte[length];
        random.nextBytes(data);
        if (ins == 0x50 && length == 11 && random.nextInt(4) != 0) {
            data[0] = 0x01; // the right key index and a payable amount, to reach DEBIT and CREDIT often
            data[1] = 0;
            data[2] = 0;
        }
        int ne = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(256);
        return length == 0 ? new CommandAPDU(cla, ins, p1, p2, ne) : new CommandAPDU(cla, ins, p1, p2, data, ne);
    }
}

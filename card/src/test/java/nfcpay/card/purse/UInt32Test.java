package nfcpay.card.purse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The 4-byte unsigned arithmetic against long arithmetic, including the values where signed bytes bite. */
class UInt32Test {

    private static final long MOD = 1L << 32;

    @Test
    void compareIsUnsigned() {
        assertThat(UInt32.compare(b(0x80000000L), s(0), b(0x7FFFFFFFL), s(0))).isEqualTo((byte) 1);
        assertThat(UInt32.compare(b(0x000000FFL), s(0), b(0x00000100L), s(0))).isEqualTo((byte) -1);
        assertThat(UInt32.compare(b(0xFFFFFFFFL), s(0), b(0xFFFFFFFFL), s(0))).isEqualTo((byte) 0);
    }

    @Test
    void addReportsOverflowAndKeepsTheLow32Bits() {
        byte[] out = new byte[4];
        assertThat(UInt32.add(b(0xFFFFFFFFL), s(0), b(1), s(0), out, s(0))).isTrue();
        assertThat(PurseCard.toLong(out)).isZero();
        assertThat(UInt32.add(b(0x7FFFFFFFL), s(0), b(1), s(0), out, s(0))).isFalse();
        assertThat(PurseCard.toLong(out)).isEqualTo(0x80000000L);
    }

    @Test
    void subtractReportsBorrow() {
        byte[] out = new byte[4];
        assertThat(UInt32.subtract(b(0x100), s(0), b(0x101), s(0), out, s(0))).isTrue();
        assertThat(PurseCard.toLong(out)).isEqualTo(0xFFFFFFFFL);
        assertThat(UInt32.subtract(b(0x80000000L), s(0), b(1), s(0), out, s(0))).isFalse();
        assertThat(PurseCard.toLong(out)).isEqualTo(0x7FFFFFFFL);
    }

    @Test
    void agreesWithLongArithmeticOnRandomOperandsAtOffsetsAndInPlace() {
        Random random = new Random(0x5EED);
        for (int i = 0; i < 20_000; i++) {
            long x = random.nextLong() & 0xFFFFFFFFL;
            long y = i % 3 == 0 ? x + random.nextInt(3) - 1 & 0xFFFFFFFFL : random.nextLong() & 0xFFFFFFFFL;
            byte[] buf = new byte[12];
            System.arraycopy(b(x), 0, buf, 1, 4);
            System.arraycopy(b(y), 0, buf, 7, 4);

            assertThat(UInt32.compare(buf, s(1), buf, s(7))).isEqualTo((byte) Long.signum(x - y));
            assertThat(UInt32.isZero(buf, s(1))).isEqualTo(x == 0);

            byte[] sum = buf.clone();
            boolean carry = UInt32.add(sum, s(1), sum, s(7), sum, s(1));
            assertThat(carry).isEqualTo(x + y >= MOD);
            assertThat(PurseCard.toLong(java.util.Arrays.copyOfRange(sum, 1, 5))).isEqualTo((x + y) % MOD);

            byte[] diff = buf.clone();
            boolean borrow = UInt32.subtract(diff, s(1), diff, s(7), diff, s(7));
            assertThat(borrow).isEqualTo(y > x);
            assertThat(PurseCard.toLong(java.util.Arrays.copyOfRange(diff, 7, 11))).isEqualTo(Math.floorMod(x - y, MOD));
        }
    }

    private static byte[] b(long v) {
        return PurseCard.amount(v);
    }

    private static short s(int v) {
        return (short) v;
    }
}

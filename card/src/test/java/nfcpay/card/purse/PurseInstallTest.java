package nfcpay.card.purse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import javacard.framework.ISOException;
import javacard.framework.SystemException;
import nfcpay.card.Wire;
import org.junit.jupiter.api.Test;

/**
 * The purse's install parameters (docs/protocol.md 3.4): key version | KPERSO (17 bytes), then nothing or the
 * selector's AID of 5 to 16 bytes.
 */
class PurseInstallTest {

    private static final int KEY = 17;

    @Test
    void thePersonalizationKeyAloneOrWithASelectorAidOfFiveToSixteenBytesInstalls() {
        assertThat(installs(KEY)).isTrue();
        for (int length = 5; length <= 16; length++) {
            assertThat(installs(KEY + length)).as("KPERSO and a %d-byte selector AID", length).isTrue();
        }
    }

    @Test
    void anythingElseIs6A80() {
        // No parameters and a bare selector AID (the install data before issue 14) leave no KPERSO: a purse that
        // could never be personalized is refused at install.
        for (int length : new int[] {0, 1, 4, 5, 16, KEY - 1, KEY + 1, KEY + 4, KEY + 17, 40}) {
            assertThat(installs(length)).as("%d parameter bytes", length).isFalse();
            byte[] data = data(length);
            assertThatThrownBy(() -> PurseApplet.install(data, (short) 0, (byte) data.length))
                    .isInstanceOfSatisfying(ISOException.class, e -> assertThat(e.getReason()).isEqualTo(Wire.SW_WRONG_DATA));
        }
    }

    private static boolean installs(int parameters) {
        byte[] data = data(parameters);
        try {
            new CardSimulator().installApplet(AIDUtil.create(PurseCard.DEFAULT_AID), PurseApplet.class, data, (short) 0,
                    (byte) data.length);
            return true;
        } catch (SystemException e) {
            return false;
        }
    }

    /** Li AID | 00 | La and {@code parameters} bytes of an AID. */
    private static byte[] data(int parameters) {
        byte[] aid = PurseCard.HEX.parseHex(PurseCard.DEFAULT_AID);
        byte[] b = new byte[aid.length + 3 + parameters];
        b[0] = (byte) aid.length;
        System.arraycopy(aid, 0, b, 1, aid.length);
        b[aid.length + 2] = (byte) parameters;
        for (int i = 0; i < parameters; i++) {
            b[aid.length + 3 + i] = (byte) (0xF0 + (i & 0x0F));
        }
        return b;
    }
}

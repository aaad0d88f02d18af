package nfcpay.card.selector;

import static nfcpay.card.selector.SelectorFixture.PPSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.licel.jcardsim.smartcardio.CardSimulator;
import javacard.framework.ISOException;
import javacard.framework.SystemException;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md 2.1: install parameters. jcardsim turns any exception out of {@code install} into
 * SystemException 6444, so the refusal's own status word is checked by calling {@code install} directly
 * (it validates before it touches the runtime).
 */
class SelectorInstallTest {

    private static boolean installs(byte... params) {
        return installsString(SelectorFixture.installData(PPSE, params));
    }

    private static boolean installsString(byte[] data) {
        CardSimulator sim = new CardSimulator();
        try {
            sim.installApplet(PPSE, SelectorApplet.class, data, (short) 0, (byte) data.length);
        } catch (SystemException e) {
            assertThatThrownBy(() -> SelectorApplet.install(data, (short) 0, (byte) data.length))
                    .isInstanceOfSatisfying(ISOException.class, iso -> assertThat(iso.getReason()).isEqualTo(Wire.SW_WRONG_DATA));
            return false;
        }
        // Installed and answering: an empty registry says 6A82.
        return sim.transmitCommand(new CommandAPDU(SelectorFixture.HEX.parseHex("00A404000E325041592E5359532E444446303100")))
                .getSW() == 0x6A82;
    }

    @Test
    void everyKnownFlagAndPolicyInstallsAndNothingElseDoes() {
        for (int flags = 0; flags < 256; flags++) {
            // b1 legacy PPSE, b2 AES-CMAC from the block cipher; nothing else.
            assertThat(installs((byte) flags, Wire.POLICY_ANY)).as("flags %02X", flags).isEqualTo(flags <= 3);
        }
        for (int policy = 0; policy < 256; policy++) {
            assertThat(installs((byte) 0, (byte) policy)).as("policy %02X", policy).isEqualTo(policy <= 3);
        }
    }

    @Test
    void parametersAreOptionalAndDefaultToSmartPriority() {
        assertThat(installs()).isTrue();
        SelectorFixture card = new SelectorFixture();
        holderChoosesPin(card);
        card.registeredApp("F000000824010101", "A", 2, 100);
        card.registeredApp("F000000824010102", "B", 1, 50);
        assertThat(Tlv.parse(card.fci()).child(0xA5).childTags()).containsExactly(0xBF0C, 0x9F38);
        assertThat(SelectorFixture.bytes(card.chosen(40))).containsExactly(SelectorFixture.HEX.parseHex("F000000824010102"));

        SelectorFixture flagsOnly = new SelectorFixture(Wire.INSTALL_FLAG_LEGACY);
        holderChoosesPin(flagsOnly);
        flagsOnly.registeredApp("F000000824010101", "A", 1, 100);
        assertThat(Tlv.parse(flagsOnly.fci()).child(0xA5).childTags()).containsExactly(0xBF0C);
    }

    /** Without a PIN parameter the selector has the transport PIN: the holder changes it before activating cards. */
    private static void holderChoosesPin(SelectorFixture card) {
        card.selectForHolder();
        assertThat(card.changePin("1234", SelectorFixture.PIN).getSW()).isEqualTo(0x9000);
        card.installedPin = SelectorFixture.PIN;
    }

    @Test
    void moreThanTwoParameterBytesAreRefused() {
        assertThat(installs((byte) 0, (byte) 0, (byte) 0)).isFalse();
    }

    @Test
    void aTruncatedOrMalformedInstallStringIsRefused() {
        byte[] full = SelectorFixture.installData(PPSE, (byte) 0, (byte) 0);
        // Length 0 is no install data at all: the selector under its class AID, as the reference VM can create it.
        assertThat(installsString(new byte[0])).isTrue();
        for (int length = 1; length < full.length - 2; length++) {
            assertThat(installsString(java.util.Arrays.copyOf(full, length))).as("cut to %d bytes", length).isFalse();
        }
        byte[] shortAid = full.clone();
        shortAid[0] = 4;
        assertThat(installsString(shortAid)).isFalse();
    }
}

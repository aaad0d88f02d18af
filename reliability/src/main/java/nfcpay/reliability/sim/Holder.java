package nfcpay.reliability.sim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.PbocCrypto;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;

/**
 * The holder commands of docs/protocol.md 5 as single command APDUs, byte for byte what
 * {@code nfcpay.sim.wallet.HolderSession} sends, for tests that must send exactly one command (a tear
 * campaign tears one command; the session's {@code order} and {@code activate} list the cards first).
 * Reading the wallet back is the session's job ({@link TransactionalSim#holderSession()}).
 */
public final class Holder {

    private Holder() {}

    /** The PIN block: ASCII digits padded with FF to 8 bytes. */
    public static byte[] pinBlock(String pin) {
        byte[] block = new byte[Wire.PIN_BLOCK_LENGTH];
        Arrays.fill(block, Wire.PIN_PAD);
        byte[] digits = pin.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, block, 0, digits.length);
        return block;
    }

    public static CommandAPDU verify(String pin) {
        return new CommandAPDU(Wire.CLA_ISO, Wire.INS_VERIFY, 0x00, Wire.P2_HOLDER_PIN, pinBlock(pin));
    }

    public static CommandAPDU changeReferenceData(String oldPin, String newPin) {
        return new CommandAPDU(Wire.CLA_ISO, Wire.INS_CHANGE_REFERENCE_DATA, 0x00, Wire.P2_HOLDER_PIN,
                PbocCrypto.concat(pinBlock(oldPin), pinBlock(newPin)));
    }

    public static CommandAPDU setStatus(SimCard card, boolean activate) {
        return new CommandAPDU(Wire.CLA_PROPRIETARY, Wire.INS_SET_STATUS, Wire.P1_SET_STATUS_AVAILABILITY,
                activate ? Wire.P2_ACTIVATE : Wire.P2_DEACTIVATE, aidTlv(card));
    }

    /** SET PRIORITY ORDER: {@code first} take the first places in this order. */
    public static CommandAPDU setOrder(List<SimCard> first) {
        byte[] data = new byte[0];
        for (SimCard card : first) {
            data = PbocCrypto.concat(data, aidTlv(card));
        }
        return new CommandAPDU(Wire.CLA_PROPRIETARY, Wire.INS_SET_ORDER, 0x00, 0x00, data);
    }

    public static CommandAPDU setPolicy(SelectionPolicy policy) {
        return new CommandAPDU(Wire.CLA_PROPRIETARY, Wire.INS_SET_POLICY, policy.wireValue(), 0x00);
    }

    private static byte[] aidTlv(SimCard card) {
        return PbocCrypto.concat(new byte[] {Wire.TAG_AID, (byte) card.aid().length}, card.aid());
    }
}

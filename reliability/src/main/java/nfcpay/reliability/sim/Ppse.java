package nfcpay.reliability.sim;

import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.SimAssembly;
import nfcpay.card.link.Link;
import nfcpay.crypto.PbocCrypto;
import nfcpay.sim.Bcd;
import nfcpay.sim.wallet.Tlv;

/** The terminal's side of the PPSE (PROTOCOL.md 2): SELECT, the directory, smart selection. */
public final class Ppse {

    public static final String CNY = "0156";

    private final Transport card;

    public Ppse(Transport card) {
        this.card = card;
    }

    public static CommandAPDU selectCommand() {
        return new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256);
    }

    public ResponseAPDU select() {
        return card.transmit(selectCommand());
    }

    /** The AIDs (hex) of the directory entries in the FCI, in order; empty on any SW but 9000. */
    public static List<String> directory(ResponseAPDU fci) {
        List<String> aids = new ArrayList<>();
        if (fci.getSW() != 0x9000) {
            return aids;
        }
        for (Tlv entry : Tlv.findAll(fci.getData(), 0x61)) {
            aids.add(Bytes.hex(entry.get(0x4F).value()));
        }
        return aids;
    }

    /** GPO data: 83 0D | amount n12 | currency n3 (2) | type | unpredictable number (4). */
    public static CommandAPDU gpoCommand(long amount, String currency, int type) {
        byte[] data = PbocCrypto.concat(new byte[] {(byte) 0x83, 0x0D}, Bcd.digits(String.format("%012d", amount)),
                Bcd.digits(currency), new byte[] {(byte) type}, Bytes.hex("01020304"));
        return new CommandAPDU(0x80, 0xA8, 0x00, 0x00, data, 256);
    }

    /** SELECT PPSE then GET PROCESSING OPTIONS for a purchase of {@code amount} fen. */
    public ResponseAPDU choose(long amount, String currency) {
        ResponseAPDU fci = select();
        if (fci.getSW() != 0x9000) {
            return fci;
        }
        return card.transmit(gpoCommand(amount, currency, 0x00));
    }

    /** The AID (hex) smart selection chose for {@code amount} fen in CNY, or null (then the SW says why). */
    public String chosen(long amount) {
        return chosenAid(choose(amount, CNY));
    }

    public static String chosenAid(ResponseAPDU gpo) {
        if (gpo.getSW() != 0x9000) {
            return null;
        }
        return Bytes.hex(Tlv.findAll(gpo.getData(), 0x4F).get(0).value());
    }
}

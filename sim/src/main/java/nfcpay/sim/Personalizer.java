package nfcpay.sim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;

/**
 * The personalization bureau: turns a card profile into the STORE DATA DGIs of docs/protocol.md 3.3,
 * with card keys diversified from the issuer master keys. {@link SimAssembly} sends them; tests that
 * tear or attack the personalization send them one by one.
 */
public final class Personalizer {

    static final byte[] ISSUER_ID = {0x00, 0x00, 0x00, 0x00, 0x08, 0x24, 0x00, 0x01};
    static final byte APPLICATION_VERSION = 0x01;
    static final byte KEY_VERSION = 0x01;
    static final LocalDate START = LocalDate.of(2026, 1, 1);
    static final LocalDate EXPIRY = LocalDate.of(2036, 12, 31);

    private final IssuerMasterKeys keys;

    public Personalizer(IssuerMasterKeys keys) {
        this.keys = keys;
    }

    /** The STORE DATA commands for one application: all DGIs in two blocks, the second one last. */
    public List<CommandAPDU> storeData(SimCard card) {
        byte[] serial = card.serial();
        byte[] dpk = keys.purchaseKey(serial);
        byte[] dlk = keys.loadKey(serial);
        byte[] dtk = keys.tacKey(serial);
        // Issuer scripts (APPLICATION BLOCK / UNBLOCK) need it; keys without a MAMK personalize none (docs/protocol.md 3.3).
        byte[] damk = keys.hasMaintenanceKey() ? keys.maintenanceKey(serial) : null;
        try {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            dgi(first, Wire.DGI_ISSUER_DATA, issuerData(card));
            dgi(first, Wire.DGI_MAX_BALANCE, BigEndian.uint32(card.maxBalanceMinor()));
            dgi(first, Wire.DGI_LABEL, card.label().getBytes(StandardCharsets.US_ASCII));
            dgi(first, Wire.DGI_PRIORITY, new byte[] {(byte) card.priority()});
            ByteArrayOutputStream last = new ByteArrayOutputStream();
            dgi(last, Wire.DGI_PURCHASE_KEY, keyValue(dpk));
            dgi(last, Wire.DGI_LOAD_KEY, keyValue(dlk));
            dgi(last, Wire.DGI_TAC_KEY, keyValue(dtk));
            if (damk != null) {
                dgi(last, Wire.DGI_MAINTENANCE_KEY, keyValue(damk));
            }
            byte[] lastBlock = last.toByteArray();
            List<CommandAPDU> commands = List.of(
                    new CommandAPDU(0x80, 0xE2, 0x00, 0x00, first.toByteArray()),
                    new CommandAPDU(0x80, 0xE2, Wire.P1_STORE_DATA_LAST & 0xFF, 0x01, lastBlock));
            PbocCrypto.wipe(lastBlock);
            return commands;
        } finally {
            PbocCrypto.wipe(dpk, dlk, dtk, damk);
        }
    }

    /** 9F0C: issuer ID (8) | type 02 | version | serial (10) | start (4) | expiry (4) | currency (2). */
    static byte[] issuerData(SimCard card) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ISSUER_ID);
        out.write(Wire.APPLICATION_TYPE_EP);
        out.write(APPLICATION_VERSION);
        out.writeBytes(card.serial());
        out.writeBytes(Bcd.date(START));
        out.writeBytes(Bcd.date(EXPIRY));
        out.writeBytes(Bcd.currency(card.currency()));
        return out.toByteArray();
    }

    private static byte[] keyValue(byte[] key) {
        byte[] value = new byte[Wire.KEY_DGI_LENGTH];
        value[0] = Wire.KEY_INDEX;
        value[1] = KEY_VERSION;
        value[2] = Wire.ALGORITHM_DES;
        System.arraycopy(key, 0, value, 3, key.length);
        return value;
    }

    private static void dgi(ByteArrayOutputStream out, short tag, byte[] value) {
        byte[] dgi = dgi(tag, value);
        out.writeBytes(dgi);
        PbocCrypto.wipe(value, dgi);
    }

    /** One DGI: tag (2) | length (1) | value. */
    public static byte[] dgi(short tag, byte[] value) {
        byte[] dgi = new byte[3 + value.length];
        dgi[0] = (byte) (tag >> 8);
        dgi[1] = (byte) tag;
        dgi[2] = (byte) value.length;
        System.arraycopy(value, 0, dgi, 3, value.length);
        return dgi;
    }

    static Currency requireCardCurrency(Currency currency) {
        if (currency.getNumericCode() <= 0) {
            throw new IllegalArgumentException("currency " + currency + " has no ISO 4217 numeric code");
        }
        return currency;
    }
}

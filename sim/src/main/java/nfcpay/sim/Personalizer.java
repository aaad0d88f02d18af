package nfcpay.sim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.function.Function;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.crypto.PersoSession;

/**
 * The personalization bureau: turns a card profile into the STORE DATA DGIs of docs/protocol.md 3.3,
 * with card keys diversified from the issuer master keys, and sends them the only way a purse takes them:
 * in an authenticated session under the purse's personalization key KPERSO (diversified from the issuer's
 * KMC by the card serial, and given to the purse in its install parameters), every block C-MAC'd and the
 * secret DGIs encrypted ({@link PersoSession}). {@link SimAssembly} uses it; tests that tear or attack the
 * personalization take its pieces one by one.
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

    /** INITIALIZE PERSONALIZATION, {@code 80 E0 00 00 00}: the card answers key version | card challenge. */
    public static CommandAPDU initializePersonalization() {
        return new CommandAPDU(PersoSession.initializeCommand());
    }

    /**
     * The purse's application parameters (docs/protocol.md 3.4): personalization key version | KPERSO, then
     * {@code selectorParameters} (nothing for the PPSE AID, else the selector's AID; {@link
     * SimAssembly#purseInstallParameters}). On a real card these travel in INSTALL under the ISD's secure channel.
     */
    public byte[] installParameters(SimCard card, byte[] selectorParameters) {
        byte[] kperso = keys.personalizationKey(card.serial());
        try {
            byte[] params = new byte[1 + kperso.length + selectorParameters.length];
            params[0] = (byte) IssuerMasterKeys.PERSONALIZATION_KEY_VERSION;
            System.arraycopy(kperso, 0, params, 1, kperso.length);
            System.arraycopy(selectorParameters, 0, params, 1 + kperso.length, selectorParameters.length);
            return params;
        } finally {
            PbocCrypto.wipe(kperso);
        }
    }

    /**
     * Personalizes the selected purse: INITIALIZE PERSONALIZATION, then every block of {@link #storeData}.
     * Any answer but 9000 → IllegalStateException naming the step; the purse then stays unpersonalized and
     * takes only a new session from the issuer.
     */
    public void personalize(Function<CommandAPDU, ResponseAPDU> transmit, SimCard card) {
        ResponseAPDU init = transmit.apply(initializePersonalization());
        if (init.getSW() != 0x9000) {
            throw new IllegalStateException("INITIALIZE PERSONALIZATION for " + card.label()
                    + " failed: SW " + String.format("%04X", init.getSW()));
        }
        for (CommandAPDU block : storeData(card, init.getData())) {
            ResponseAPDU r = transmit.apply(block);
            if (r.getSW() != 0x9000) {
                throw new IllegalStateException("STORE DATA for " + card.label()
                        + " failed: SW " + String.format("%04X", r.getSW()));
            }
        }
    }

    /**
     * The STORE DATA commands of one session whose INITIALIZE PERSONALIZATION answered {@code initializeResponse}:
     * the blocks of {@link #dgiBlocks}, wrapped in that order, the last one last.
     */
    public List<CommandAPDU> storeData(SimCard card, byte[] initializeResponse) {
        return wrap(card, initializeResponse, dgiBlocks(card));
    }

    /** {@code blocks} (plaintext DGIs each) wrapped for one session, the last one marked last. */
    public List<CommandAPDU> wrap(SimCard card, byte[] initializeResponse, List<byte[]> blocks) {
        PersoSession session = session(card, initializeResponse);
        try {
            List<CommandAPDU> commands = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                byte[] command = session.storeData(blocks.get(i), i == blocks.size() - 1);
                commands.add(new CommandAPDU(command));
                PbocCrypto.wipe(command);
            }
            return commands;
        } finally {
            session.close();
        }
    }

    /** The issuer's side of a session with this card, from its INITIALIZE PERSONALIZATION answer. */
    public PersoSession session(SimCard card, byte[] initializeResponse) {
        byte[] kperso = keys.personalizationKey(card.serial());
        try {
            return new PersoSession(kperso, IssuerMasterKeys.PERSONALIZATION_KEY_VERSION, initializeResponse);
        } finally {
            PbocCrypto.wipe(kperso);
        }
    }

    /** The plaintext DGIs for one application, in two blocks: profile, then the three keys. */
    public List<byte[]> dgiBlocks(SimCard card) {
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
            return List.of(first.toByteArray(), last.toByteArray());
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

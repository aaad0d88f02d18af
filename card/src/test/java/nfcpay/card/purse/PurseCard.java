package nfcpay.card.purse;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.crypto.PersoSession;

/**
 * Test support: one {@link PurseApplet} on a {@link CardSimulator}, driven only through its commands,
 * with {@link PbocCrypto} and the published test master keys (test keys) as the terminal's security module.
 *
 * <p>Reusable by anything that needs a real purse on a simulated card: {@link #install}, {@link #dgis},
 * {@link #personalize}, {@link #load} and {@link #purchase}.
 */
public final class PurseCard {

    public static final HexFormat HEX = HexFormat.of().withUpperCase();

    public static final String DEFAULT_AID = "F000000824010101";
    public static final byte[] ISSUER_ID = HEX.parseHex("4E46435041590001");
    public static final byte[] SERIAL = HEX.parseHex("86000000000000012345");
    public static final String START_DATE = "20250101";
    public static final String EXPIRY_DATE = "20301231";
    public static final String CURRENCY = "0156";
    /** 2000.00 CNY in fen. */
    public static final long MAX_BALANCE = 200_000;
    public static final String LABEL = "Test Bank";
    public static final int PRIORITY = 1;
    public static final byte KEY_VERSION = 0x01;

    public static final byte[] TERMINAL_ID = HEX.parseHex("001122334455");
    public static final String DATE = "20260115";
    public static final String TIME = "093000";

    private final CardSimulator sim;
    private final byte[] aid;
    private final byte[] dpk;
    private final byte[] dlk;
    private final byte[] dtk;
    private final byte[] damk;
    private int terminalSerial = 1;
    /** The issuer's personalization session opened in this selection, or null. */
    private PersoSession perso;

    private PurseCard(CardSimulator sim, byte[] aid) {
        this.sim = sim;
        this.aid = aid.clone();
        this.dpk = IssuerMasterKeys.TEST.purchaseKey(SERIAL);
        this.dlk = IssuerMasterKeys.TEST.loadKey(SERIAL);
        this.dtk = IssuerMasterKeys.TEST.tacKey(SERIAL);
        this.damk = IssuerMasterKeys.TEST.maintenanceKey(SERIAL);
    }

    // ---- Installation and personalization ----

    /** This fixture's KPERSO: diversified from the test KMC by {@link #SERIAL}. */
    public static byte[] persoKey() {
        return IssuerMasterKeys.TEST.personalizationKey(SERIAL);
    }

    /** The purse's application parameters: personalization key version | KPERSO, then {@code selector} (may be empty). */
    public static byte[] applicationParameters(byte[] kperso, byte[] selector) {
        return concat(new byte[] {(byte) IssuerMasterKeys.PERSONALIZATION_KEY_VERSION}, kperso, selector);
    }

    /** GlobalPlatform install parameters: Li AID | Lc privileges (0) | La application parameters (the test KPERSO). */
    public static byte[] installParameters(byte[] aid) {
        return installParameters(aid, applicationParameters(persoKey(), new byte[0]));
    }

    /** Li AID | Lc privileges (0) | La {@code params}. */
    public static byte[] installParameters(byte[] aid, byte[] params) {
        return concat(new byte[] {(byte) aid.length}, aid, new byte[] {0, (byte) params.length}, params);
    }

    /** Installs a purse with {@link #DEFAULT_AID}. */
    public static PurseCard install(CardSimulator sim) {
        return install(sim, DEFAULT_AID);
    }

    public static PurseCard install(CardSimulator sim, String aidHex) {
        byte[] aid = HEX.parseHex(aidHex);
        byte[] params = installParameters(aid);
        sim.installApplet(AIDUtil.create(aidHex), PurseApplet.class, params, (short) 0, (byte) params.length);
        return new PurseCard(sim, aid);
    }

    /** Installs, selects and personalizes a purse with {@link #dgis()} in one last block. */
    public static PurseCard personalized(CardSimulator sim) {
        PurseCard card = install(sim);
        card.personalize();
        return card;
    }

    /** Selects the purse, sends every DGI in one last authenticated STORE DATA block and expects 9000. */
    public void personalize() {
        personalize(dgis());
    }

    /** Selects the purse, sends {@code dgis} in one last STORE DATA block and expects 9000. */
    public void personalize(byte[] dgis) {
        assertThat(select().getSW()).isEqualTo(0x9000);
        assertThat(storeData(0x80, 0x00, dgis).getSW()).as("STORE DATA").isEqualTo(0x9000);
    }

    /** 9F0C: issuer ID | type 02 | version 01 | serial | start | expiry | currency. */
    public static byte[] issuerData(String start, String expiry, String currency) {
        return concat(ISSUER_ID, new byte[] {Wire.APPLICATION_TYPE_EP, 0x01}, SERIAL,
                HEX.parseHex(start), HEX.parseHex(expiry), HEX.parseHex(currency));
    }

    public static byte[] dgi(int tag, byte[] value) {
        return concat(new byte[] {(byte) (tag >> 8), (byte) tag, (byte) value.length}, value);
    }

    /** Key DGI value: key index 01 | key version | algorithm 00 | key. */
    public static byte[] keyValue(byte[] key) {
        return concat(new byte[] {Wire.KEY_INDEX, KEY_VERSION, Wire.ALGORITHM_DES}, key);
    }

    /** Every DGI of docs/protocol.md 3.3 with this fixture's values and keys diversified from the test keys. */
    public byte[] dgis() {
        return dgis(issuerData(START_DATE, EXPIRY_DATE, CURRENCY));
    }

    public byte[] dgis(byte[] issuerData) {
        return dgis(issuerData, MAX_BALANCE);
    }

    public byte[] dgis(byte[] issuerData, long maxBalance) {
        return concat(
                dgi(Wire.DGI_ISSUER_DATA, issuerData),
                dgi(Wire.DGI_MAX_BALANCE, amount(maxBalance)),
                dgi(Wire.DGI_LABEL, LABEL.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                dgi(Wire.DGI_PRIORITY, new byte[] {(byte) PRIORITY}),
                dgi(Wire.DGI_PURCHASE_KEY, keyValue(dpk)),
                dgi(Wire.DGI_LOAD_KEY, keyValue(dlk)),
                dgi(Wire.DGI_TAC_KEY, keyValue(dtk)),
                dgi(Wire.DGI_MAINTENANCE_KEY, keyValue(damk)));
    }

    // ---- Issuer scripts (docs/protocol.md 3.6) ----

    /** GET CHALLENGE {@code 00 84 00 00 04}. */
    public ResponseAPDU getChallenge() {
        return send(0x00, Wire.INS_GET_CHALLENGE & 0xFF, 0x00, 0x00, Wire.CHALLENGE_LENGTH);
    }

    /** {@code 84 INS 00 P2 04 MAC} with the MAC under this card's DAMK over {@code challenge}. */
    public ResponseAPDU script(int ins, int p2, byte[] challenge) {
        return scriptWithMac(ins, p2, scriptMac(ins, p2, challenge));
    }

    public byte[] scriptMac(int ins, int p2, byte[] challenge) {
        return PbocCrypto.issuerScriptMac(damk, challenge,
                new byte[] {Wire.CLA_SECURE_MESSAGING, (byte) ins, 0x00, (byte) p2, (byte) Wire.SCRIPT_MAC_LENGTH});
    }

    /** {@code 84 INS 00 P2 Lc mac}, whatever the MAC. */
    public ResponseAPDU scriptWithMac(int ins, int p2, byte[] mac) {
        return sim.transmitCommand(new CommandAPDU(concat(
                new byte[] {Wire.CLA_SECURE_MESSAGING, (byte) ins, 0x00, (byte) p2, (byte) mac.length}, mac)));
    }

    /** GET CHALLENGE then the script with its right MAC; the script's SW. */
    public int issuerScript(int ins, int p2) {
        ResponseAPDU c = getChallenge();
        assertThat(c.getSW()).as("GET CHALLENGE").isEqualTo(0x9000);
        return script(ins, p2, c.getData()).getSW();
    }

    // ---- Raw commands ----

    public CardSimulator simulator() {
        return sim;
    }

    public byte[] aid() {
        return aid.clone();
    }

    public ResponseAPDU send(int cla, int ins, int p1, int p2, byte[] data, int ne) {
        return sim.transmitCommand(new CommandAPDU(cla, ins, p1, p2, data, ne));
    }

    public ResponseAPDU send(int cla, int ins, int p1, int p2, int ne) {
        return sim.transmitCommand(new CommandAPDU(cla, ins, p1, p2, ne));
    }

    public ResponseAPDU send(String hex) {
        return sim.transmitCommand(new CommandAPDU(HEX.parseHex(hex.replace(" ", ""))));
    }

    public ResponseAPDU select() {
        perso = null;
        return send(0x00, Wire.INS_SELECT & 0xFF, 0x04, 0x00, aid, 256);
    }

    /** INITIALIZE PERSONALIZATION {@code 80 E0 00 00 00}. */
    public ResponseAPDU initializePersonalization() {
        return sim.transmitCommand(new CommandAPDU(PersoSession.initializeCommand()));
    }

    /**
     * The issuer's STORE DATA: in this selection's personalization session, opened first when there is none
     * (INITIALIZE PERSONALIZATION; its answer when that is refused), with P1 {@code 00}/{@code 80} meaning the
     * DGI-format {@code 28}/{@code A8} (any other P1 is sent as it is), the secret DGIs encrypted when
     * {@code data} is well-formed DGIs (as it is otherwise), and the C-MAC. The card ends the session on any
     * answer but 9000, and so does this fixture.
     */
    public ResponseAPDU storeData(int p1, int p2, byte[] data) {
        if (perso == null) {
            ResponseAPDU init = initializePersonalization();
            if (init.getSW() != 0x9000) {
                return init;
            }
            perso = new PersoSession(persoKey(), IssuerMasterKeys.PERSONALIZATION_KEY_VERSION, init.getData());
        }
        byte[] wire;
        try {
            wire = perso.encryptSecrets(p2, data);
        } catch (IllegalArgumentException malformed) {
            wire = data;
        }
        int p1Wire = p1 == 0x00 || p1 == 0x80 ? p1 | PersoSession.P1_DGIS : p1;
        ResponseAPDU r = sim.transmitCommand(new CommandAPDU(perso.command(p1Wire, p2, wire)));
        if (r.getSW() != 0x9000 || (p1Wire & PersoSession.P1_LAST) != 0) {
            perso = null;
        }
        return r;
    }

    /** The plaintext STORE DATA of old, {@code 80 E2}: what a stranger without KPERSO could send. */
    public ResponseAPDU plainStoreData(int p1, int p2, byte[] data) {
        return send(0x80, Wire.INS_STORE_DATA & 0xFF, p1, p2, data, 0);
    }

    public ResponseAPDU getBalanceCommand() {
        return send(0x80, Wire.INS_GET_BALANCE & 0xFF, 0x00, 0x02, 4);
    }

    /** GET BALANCE, expecting 9000. */
    public long balance() {
        ResponseAPDU r = getBalanceCommand();
        assertThat(r.getSW()).as("GET BALANCE").isEqualTo(0x9000);
        return toLong(r.getData());
    }

    public ResponseAPDU readRecord(int n) {
        return send(0x00, Wire.INS_READ_RECORD & 0xFF, n, Wire.P2_READ_RECORD_LOG & 0xFF, 256);
    }

    public ResponseAPDU getTransactionProve(int type, int counter) {
        return send(0x80, Wire.INS_GET_TRANSACTION_PROVE & 0xFF, 0x00, type, new byte[] {(byte) (counter >> 8), (byte) counter}, 8);
    }

    // ---- Purchase (PROTOCOL.md 3.2, 3.3) ----

    public Initialize initializePurchase(long amount) {
        return new Initialize(true, amount, send(0x80, 0x50, 0x01, 0x02,
                concat(new byte[] {Wire.KEY_INDEX}, amount(amount), TERMINAL_ID), 0x0F));
    }

    public Initialize initializeLoad(long amount) {
        return new Initialize(false, amount, send(0x80, 0x50, 0x00, 0x02,
                concat(new byte[] {Wire.KEY_INDEX}, amount(amount), TERMINAL_ID), 0x10));
    }

    /** A purchase on {@link #DATE}: INITIALIZE (expected 9000) and DEBIT with a right MAC1. */
    public Purchase purchase(long amount) {
        return purchase(amount, DATE, false);
    }

    public Purchase purchase(long amount, String date, boolean wrongMac1) {
        Initialize init = initializePurchase(amount);
        assertThat(init.sw()).as("INITIALIZE FOR PURCHASE").isEqualTo(0x9000);
        return debit(init, date, wrongMac1);
    }

    /** DEBIT FOR PURCHASE after {@code init}, with the next terminal serial. */
    public Purchase debit(Initialize init, String date, boolean wrongMac1) {
        byte[] serial = int32(terminalSerial++);
        byte[] amount = amount(init.amount());
        byte[] dateBytes = HEX.parseHex(date);
        byte[] time = HEX.parseHex(TIME);
        byte[] session = PbocCrypto.purchaseSessionKey(dpk, init.random(), init.counterBytes(), serial);
        byte[] mac1 = PbocCrypto.mac(session, amount, new byte[] {Wire.TRANSACTION_PURCHASE}, TERMINAL_ID, dateBytes, time);
        if (wrongMac1) {
            mac1[0] ^= 0x01;
        }
        ResponseAPDU debit = send(0x80, 0x54, 0x01, 0x00, concat(serial, dateBytes, time, mac1), 0x08);
        byte[] mac2 = PbocCrypto.mac(session, amount);
        byte[] tac = PbocCrypto.mac(PbocCrypto.tacKey(dtk),
                amount, new byte[] {Wire.TRANSACTION_PURCHASE}, TERMINAL_ID, serial, dateBytes, time);
        return new Purchase(init, debit, serial, mac2, tac);
    }

    // ---- Load ----

    /** A load on {@link #DATE}: INITIALIZE (expected 9000, MAC1 checked) and CREDIT with a right MAC2. */
    public Load load(long amount) {
        return load(amount, DATE, false);
    }

    public Load load(long amount, String date, boolean wrongMac2) {
        Initialize init = initializeLoad(amount);
        assertThat(init.sw()).as("INITIALIZE FOR LOAD").isEqualTo(0x9000);
        return credit(init, date, wrongMac2);
    }

    public Load credit(Initialize init, String date, boolean wrongMac2) {
        byte[] amount = amount(init.amount());
        byte[] dateBytes = HEX.parseHex(date);
        byte[] time = HEX.parseHex(TIME);
        byte[] session = PbocCrypto.loadSessionKey(dlk, init.random(), init.counterBytes());
        byte[] expectedMac1 = PbocCrypto.mac(session, amount(init.balance()), amount,
                new byte[] {Wire.TRANSACTION_LOAD}, TERMINAL_ID);
        byte[] mac2 = PbocCrypto.mac(session, amount, new byte[] {Wire.TRANSACTION_LOAD}, TERMINAL_ID, dateBytes, time);
        if (wrongMac2) {
            mac2[0] ^= 0x01;
        }
        ResponseAPDU credit = send(0x80, 0x52, 0x00, 0x00, concat(dateBytes, time, mac2), 0x04);
        byte[] tac = PbocCrypto.mac(PbocCrypto.tacKey(dtk), amount(init.balance() + init.amount()),
                init.counterBytes(), amount, new byte[] {Wire.TRANSACTION_LOAD}, TERMINAL_ID, dateBytes, time);
        return new Load(init, credit, expectedMac1, mac2, tac);
    }

    /**
     * What a rejected command must leave alone: balance, both counters (as INITIALIZE reports them for
     * 1 fen, -1 when it refuses) and the newest log record. Opens and drops an INITIALIZE session.
     */
    public State state() {
        Initialize purchase = initializePurchase(1);
        Initialize load = initializeLoad(1);
        ResponseAPDU newest = readRecord(1);
        return new State(balance(),
                purchase.sw() == 0x9000 ? purchase.counter() : -1,
                load.sw() == 0x9000 ? load.counter() : -1,
                HEX.formatHex(newest.getBytes()));
    }

    public record State(long balance, int offlineCounter, int onlineCounter, String newestRecord) {}

    // ---- Results ----

    /** INITIALIZE FOR PURCHASE (15 bytes) or FOR LOAD (16 bytes, with MAC1) as the card answered it. */
    public record Initialize(boolean purchase, long amount, ResponseAPDU response) {
        public int sw() {
            return response.getSW();
        }

        public long balance() {
            return toLong(Arrays.copyOfRange(response.getData(), 0, 4));
        }

        public byte[] counterBytes() {
            return Arrays.copyOfRange(response.getData(), 4, 6);
        }

        public int counter() {
            return (int) toLong(counterBytes());
        }

        public byte keyVersion() {
            return response.getData()[purchase ? 9 : 6];
        }

        public byte algorithm() {
            return response.getData()[purchase ? 10 : 7];
        }

        public byte[] random() {
            int at = purchase ? 11 : 8;
            return Arrays.copyOfRange(response.getData(), at, at + 4);
        }

        /** Load only: MAC1 of the card. */
        public byte[] mac1() {
            return Arrays.copyOfRange(response.getData(), 12, 16);
        }
    }

    /** A DEBIT FOR PURCHASE and what the terminal expects of it. */
    public record Purchase(Initialize init, ResponseAPDU debit, byte[] serial, byte[] expectedMac2, byte[] expectedTac) {
        public int sw() {
            return debit.getSW();
        }

        public byte[] tac() {
            return Arrays.copyOfRange(debit.getData(), 0, 4);
        }

        public byte[] mac2() {
            return Arrays.copyOfRange(debit.getData(), 4, 8);
        }
    }

    /** A CREDIT FOR LOAD and what the terminal expects of it. */
    public record Load(Initialize init, ResponseAPDU credit, byte[] expectedMac1, byte[] mac2, byte[] expectedTac) {
        public int sw() {
            return credit.getSW();
        }

        public byte[] tac() {
            return credit.getData();
        }
    }

    // ---- Bytes ----

    public static byte[] amount(long fen) {
        return int32(fen);
    }

    public static long toLong(byte[] b) {
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xFF);
        }
        return v;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private static byte[] int32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }
}

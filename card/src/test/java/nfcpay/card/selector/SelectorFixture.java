package nfcpay.card.selector;

import nfcpay.card.TestAids;
import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javacard.framework.AID;
import javacard.framework.Applet;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;

/**
 * One simulated SIM with the selector and test card applications ({@link FakeCardApp}), plus the
 * terminal-side commands the selector tests send. A fresh one per test.
 */
final class SelectorFixture {

    static final HexFormat HEX = HexFormat.of().withUpperCase();
    static final AID PPSE = new AID(TestAids.ppse(), (short) 0, Link.PPSE_AID_LENGTH);
    static final int CNY = 0x0156;
    static final int USD = 0x0840;

    /** The holder PIN {@link #holder} installs the selector with. */
    static final String PIN = "2468";

    final CardSimulator sim;
    /**
     * The holder PIN from the install parameters, null for the transport PIN (then nothing can be activated); a test
     * whose holder changes the PIN sets it.
     */
    String installedPin;

    SelectorFixture(byte... selectorParams) {
        this(new CardSimulator(), selectorParams);
    }

    SelectorFixture(CardSimulator sim, byte... selectorParams) {
        this.sim = sim;
        this.installedPin = selectorParams.length > 2
                ? new String(selectorParams, 2, selectorParams.length - 2, StandardCharsets.US_ASCII) : null;
        install(sim, PPSE, SelectorApplet.class, selectorParams);
    }

    /** A smart selector with {@code policy} and the holder PIN {@link #PIN} (install parameter bytes 2..). */
    static SelectorFixture holder(byte policy) {
        return new SelectorFixture(withPin(policy, PIN));
    }

    static byte[] withPin(byte policy, String pin) {
        byte[] digits = pin.getBytes(StandardCharsets.US_ASCII);
        byte[] params = new byte[2 + digits.length];
        params[1] = policy;
        System.arraycopy(digits, 0, params, 2, digits.length);
        return params;
    }

    /** A smart selector with {@code policy} and the holder PIN {@link #PIN}, so that registrations can be activated. */
    static SelectorFixture smart(byte policy) {
        return holder(policy);
    }

    static SelectorFixture legacy() {
        byte[] params = withPin(Wire.POLICY_PRIORITY, PIN);
        params[0] = Wire.INSTALL_FLAG_LEGACY;
        return new SelectorFixture(params);
    }

    /** GlobalPlatform install data: {@code Li AID | Lc privileges (none) | La params}. */
    static byte[] installData(AID aid, byte... params) {
        byte[] aidBytes = new byte[16];
        int length = aid.getBytes(aidBytes, (short) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(length);
        out.write(aidBytes, 0, length);
        out.write(0);
        out.write(params.length);
        out.writeBytes(params);
        return out.toByteArray();
    }

    static void install(CardSimulator sim, AID aid, Class<? extends Applet> applet, byte... params) {
        byte[] data = installData(aid, params);
        sim.installApplet(aid, applet, data, (short) 0, (byte) data.length);
    }

    static AID aid(String hex) {
        return AIDUtil.create(hex);
    }

    static byte[] bytes(AID aid) {
        byte[] out = new byte[16];
        int length = aid.getBytes(out, (short) 0);
        return java.util.Arrays.copyOf(out, length);
    }

    /** Installs a {@link FakeCardApp}. */
    AID app(String hexAid) {
        AID aid = aid(hexAid);
        install(sim, aid, FakeCardApp.class);
        return aid;
    }

    /** Installs, registers, activates as the holder ({@link #activate}) and funds a {@link FakeCardApp}: active, CNY. */
    AID registeredApp(String hexAid, String label, int priority, long balance) {
        AID aid = app(hexAid);
        assertThat(register(aid, label, priority).getSW()).isEqualTo(0x9000);
        activate(aid);
        account(aid, Link.STATUS_ACTIVE, CNY, balance);
        return aid;
    }

    /**
     * What the holder does to a new registration (docs/protocol.md 5.4): SELECT PPSE, VERIFY the installed PIN, SET
     * STATUS activate, over the contact interface; the session then ends by selecting the application.
     */
    void activate(AID app) {
        assertThat(installedPin).as("a selector with the transport PIN activates nothing").isNotNull();
        selectForHolder();
        assertThat(verify(installedPin).getSW()).isEqualTo(0x9000);
        assertThat(setStatus(HEX.formatHex(bytes(app)), true).getSW()).isEqualTo(0x9000);
        assertThat(sim.selectApplet(app)).isTrue();
    }

    static byte[] registration(String label, int priority) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[l.length + 2];
        data[0] = (byte) l.length;
        System.arraycopy(l, 0, data, 1, l.length);
        data[l.length + 1] = (byte) priority;
        return data;
    }

    ResponseAPDU register(AID app, String label, int priority) {
        return command(app, FakeCardApp.INS_REGISTER, FakeCardApp.REGISTER_NOW, registration(label, priority));
    }

    /** Selects {@code applet} and sends it {@code 80 ins p1 00 [data]}. */
    ResponseAPDU command(AID applet, int ins, int p1, byte[] data) {
        assertThat(sim.selectApplet(applet)).isTrue();
        return data.length == 0
                ? sim.transmitCommand(new CommandAPDU(0x80, ins, p1, 0, 256))
                : sim.transmitCommand(new CommandAPDU(0x80, ins, p1, 0, data));
    }

    void account(AID app, byte status, int currency, long balance) {
        byte[] data = {status, (byte) (currency >> 8), (byte) currency,
            (byte) (balance >> 24), (byte) (balance >> 16), (byte) (balance >> 8), (byte) balance};
        assertThat(command(app, FakeCardApp.INS_SET_ACCOUNT, 0, data).getSW()).isEqualTo(0x9000);
    }

    void balance(AID app, long balance) {
        account(app, Link.STATUS_ACTIVE, CNY, balance);
    }

    void mode(AID app, byte mode) {
        assertThat(command(app, FakeCardApp.INS_SET_MODE, mode, new byte[0]).getSW()).isEqualTo(0x9000);
    }

    byte[] credential(AID app) {
        ResponseAPDU r = command(app, FakeCardApp.INS_GET_CREDENTIAL, 0, new byte[0]);
        assertThat(r.getSW()).isEqualTo(0x9000);
        return r.getData();
    }

    void putCredential(AID app, byte[] credential) {
        assertThat(command(app, FakeCardApp.INS_PUT_CREDENTIAL, 0, credential).getSW()).isEqualTo(0x9000);
    }

    ResponseAPDU transmit(String hex) {
        return sim.transmitCommand(new CommandAPDU(HEX.parseHex(hex.replace(" ", ""))));
    }

    ResponseAPDU selectPpse() {
        return transmit("00A404000E325041592E5359532E444446303100");
    }

    ResponseAPDU getResponse(int le) {
        return sim.transmitCommand(new CommandAPDU(0x00, 0xC0, 0x00, 0x00, le == 0 ? 256 : le));
    }

    /** The whole FCI: SELECT PPSE then GET RESPONSE while 61xx; asserts the final 9000. */
    byte[] fci() {
        ResponseAPDU r = selectPpse();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(r.getData());
        int rounds = 0;
        while (r.getSW1() == 0x61 && rounds++ < 8) {
            r = getResponse(r.getSW2());
            out.writeBytes(r.getData());
        }
        assertThat(r.getSW()).isEqualTo(0x9000);
        return out.toByteArray();
    }

    /** GPO data: {@code 83 0D <amount n12> <currency> <type> <UN>}. */
    static byte[] gpoData(String amountDigits, int currency, int type) {
        byte[] amount = HEX.parseHex(String.format("%12s", amountDigits).replace(' ', '0'));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x83);
        out.write(0x0D);
        out.writeBytes(amount);
        out.write(currency >> 8);
        out.write(currency);
        out.write(type);
        out.writeBytes(new byte[] {0x12, 0x34, 0x56, 0x78});
        return out.toByteArray();
    }

    ResponseAPDU gpo(byte[] data) {
        return sim.transmitCommand(new CommandAPDU(0x80, 0xA8, 0x00, 0x00, data, 256));
    }

    ResponseAPDU gpo(long amount, int currency) {
        return gpo(gpoData(Long.toString(amount), currency, 0x00));
    }

    /** SELECT PPSE (asserting success) then GPO for {@code amount} fen in CNY. */
    ResponseAPDU pay(long amount) {
        return pay(amount, CNY);
    }

    ResponseAPDU pay(long amount, int currency) {
        assertThat(selectPpse().getSW1()).isIn(0x90, 0x61);
        return gpo(amount, currency);
    }

    /** The AID the selector chose for {@code amount}, or null on 9401. */
    AID chosen(long amount) {
        return chosen(amount, CNY);
    }

    AID chosen(long amount, int currency) {
        ResponseAPDU r = pay(amount, currency);
        if (r.getSW() == 0x9401) {
            return null;
        }
        assertThat(r.getSW()).isEqualTo(0x9000);
        byte[] aid = Tlv.parse(r.getData()).child(0x4F).value();
        return new AID(aid, (short) 0, (byte) aid.length);
    }

    /** The AIDs in the PPSE directory, in FCI order. */
    java.util.List<String> directory() {
        Tlv fci = Tlv.parse(fci());
        return fci.child(0xA5).child(0xBF0C).children().stream()
                .map(entry -> HEX.formatHex(entry.child(0x4F).value())).toList();
    }

    // ------------------------------------------------------------------ holder commands (docs/protocol.md 5)

    /** The PIN block: ASCII digits padded with FF to 8 bytes (anything longer is sent as is). */
    static byte[] pinBlock(String digits) {
        byte[] ascii = digits.getBytes(StandardCharsets.ISO_8859_1);
        byte[] block = java.util.Arrays.copyOf(ascii, Math.max(8, ascii.length));
        java.util.Arrays.fill(block, ascii.length, block.length, (byte) 0xFF);
        return block;
    }

    /** SELECT PPSE, which also starts a new holder session; 6A82 (nothing registered) still selects it. */
    void selectForHolder() {
        int sw = selectPpse().getSW();
        assertThat(sw == 0x9000 || sw == 0x6A82 || (sw & 0xFF00) == 0x6100).as("SELECT PPSE %04X", sw).isTrue();
    }

    /** SELECT PPSE and VERIFY {@link #PIN}. */
    void holderSession() {
        selectForHolder();
        assertThat(verify(PIN).getSW()).isEqualTo(0x9000);
    }

    ResponseAPDU verify(String pin) {
        return sim.transmitCommand(new CommandAPDU(0x00, 0x20, 0x00, 0x80, pinBlock(pin)));
    }

    /** VERIFY without data: the PIN state. */
    ResponseAPDU pinState() {
        return sim.transmitCommand(new CommandAPDU(0x00, 0x20, 0x00, 0x80));
    }

    ResponseAPDU changePin(String oldPin, String newPin) {
        byte[] data = new byte[16];
        System.arraycopy(pinBlock(oldPin), 0, data, 0, 8);
        System.arraycopy(pinBlock(newPin), 0, data, 8, 8);
        return sim.transmitCommand(new CommandAPDU(0x00, 0x24, 0x00, 0x80, data));
    }

    ResponseAPDU getStatus(int p2, byte[] prefix) {
        return sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, p2, Tlv.encode(0x4F, prefix), 256));
    }

    /** GET STATUS for every application, following 6310 with "next"; asserts the final 9000. */
    java.util.List<Tlv> listing() {
        ResponseAPDU r = getStatus(0x00, new byte[0]);
        java.util.List<Tlv> entries = new java.util.ArrayList<>(Tlv.parseAll(r.getData()));
        int pages = 1;
        while (r.getSW() == 0x6310 && pages++ < 8) {
            r = getStatus(0x01, new byte[0]);
            entries.addAll(Tlv.parseAll(r.getData()));
        }
        assertThat(r.getSW()).as("GET STATUS").isEqualTo(0x9000);
        return entries;
    }

    /** The listing's AIDs in order. */
    java.util.List<String> listed() {
        return listing().stream().map(e -> HEX.formatHex(e.child(0x4F).value())).toList();
    }

    ResponseAPDU setStatus(String aidHex, boolean activate) {
        return sim.transmitCommand(new CommandAPDU(0x80, 0xF0, 0x01, activate ? 0x01 : 0x00,
                Tlv.encode(0x4F, HEX.parseHex(aidHex))));
    }

    ResponseAPDU setOrder(String... aidsHex) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (String aid : aidsHex) {
            data.writeBytes(Tlv.encode(0x4F, HEX.parseHex(aid)));
        }
        return sim.transmitCommand(new CommandAPDU(0x80, 0xF4, 0x00, 0x00, data.toByteArray()));
    }

    ResponseAPDU setPolicy(int policy) {
        return sim.transmitCommand(new CommandAPDU(0x80, 0xF6, policy, 0x00));
    }

    /** GET DATA A5: the wallet settings template. */
    Tlv settings() {
        ResponseAPDU r = sim.transmitCommand(new CommandAPDU(0x80, 0xCA, 0x00, 0xA5, 256));
        assertThat(r.getSW()).isEqualTo(0x9000);
        return Tlv.parse(r.getData());
    }
}

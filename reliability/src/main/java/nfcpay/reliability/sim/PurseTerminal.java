package nfcpay.reliability.sim;

import static nfcpay.crypto.PbocCrypto.concat;
import static nfcpay.sim.BigEndian.uint32;

import java.util.Arrays;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.sim.Bcd;
import nfcpay.sim.BigEndian;
import nfcpay.sim.IssuerLoader;
import nfcpay.sim.SimCard;

/**
 * The terminal and issuer side of one electronic purse (PROTOCOL.md 3): its commands, with the card keys
 * diversified from issuer master keys (the published test keys unless told otherwise), and what a
 * correct card must answer (MAC2, TAC, log record). It asserts nothing: every result carries the card's
 * answer for the test to judge.
 */
public final class PurseTerminal {

    public static final byte[] TERMINAL_ID = Bytes.hex("001122334455");
    public static final String DATE = "20260115";
    public static final String TIME = "093000";

    private final Transport card;
    private final SimCard purse;
    private final IssuerMasterKeys keys;
    private final byte[] dpk;
    private final byte[] dtk;
    private final byte[] terminalId;
    private int terminalSerial = 1;

    public PurseTerminal(Transport card, SimCard purse, IssuerMasterKeys keys) {
        this(card, purse, keys, TERMINAL_ID);
    }

    public PurseTerminal(Transport card, SimCard purse, IssuerMasterKeys keys, byte[] terminalId) {
        this.card = card;
        this.purse = purse;
        this.keys = keys;
        byte[] serial = purse.serial();
        this.dpk = keys.purchaseKey(serial);
        this.dtk = keys.tacKey(serial);
        this.terminalId = terminalId.clone();
    }

    public SimCard purse() {
        return purse;
    }

    public ResponseAPDU send(CommandAPDU command) {
        return card.transmit(command);
    }

    public ResponseAPDU select() {
        return send(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, purse.aid(), 256));
    }

    public ResponseAPDU getBalance() {
        return send(new CommandAPDU(0x80, 0x5C, 0x00, 0x02, 4));
    }

    /** GET BALANCE; -1 when the card refuses it (e.g. 6985 before personalization). */
    public long balance() {
        ResponseAPDU r = getBalance();
        return r.getSW() == 0x9000 ? BigEndian.toLong(r.getData()) : -1;
    }

    public ResponseAPDU readRecord(int n) {
        return send(new CommandAPDU(0x00, 0xB2, n, 0xC4, 256));
    }

    public ResponseAPDU prove(int type, int counter) {
        return send(new CommandAPDU(0x80, 0x5A, 0x00, type, Bytes.uint16(counter), 8));
    }

    public ResponseAPDU storeData(int p1, int p2, byte[] data) {
        return send(new CommandAPDU(0x80, 0xE2, p1, p2, data));
    }

    // ---------------------------------------------------------------- purchase

    public CommandAPDU initializePurchaseCommand(long amount) {
        return new CommandAPDU(0x80, 0x50, 0x01, 0x02, concat(new byte[] {Wire.KEY_INDEX}, uint32(amount), terminalId), 0x0F);
    }

    public Initialize initializePurchase(long amount) {
        CommandAPDU command = initializePurchaseCommand(amount);
        return new Initialize(true, amount, command, send(command));
    }

    /** The terminal serial the next DEBIT carries (its low 16 bits; the fuzzer varies it). */
    public void nextTerminalSerial(int serial) {
        this.terminalSerial = serial & 0xFFFF;
    }

    /** The DEBIT FOR PURCHASE for {@code init} with the next terminal serial, and what the card must answer. */
    public Purchase prepareDebit(Initialize init, String date, String time, boolean wrongMac1) {
        byte[] serial = concat(new byte[2], Bytes.uint16(terminalSerial++));
        byte[] amount = uint32(init.amount());
        byte[] dateBytes = Bcd.digits(date);
        byte[] timeBytes = Bcd.digits(time);
        byte[] type = {Wire.TRANSACTION_PURCHASE};
        byte[] session = PbocCrypto.purchaseSessionKey(dpk, init.random(), init.counterBytes(), serial);
        byte[] mac1 = PbocCrypto.mac(session, amount, type, terminalId, dateBytes, timeBytes);
        if (wrongMac1) {
            mac1[0] ^= 0x01;
        }
        CommandAPDU debit = new CommandAPDU(0x80, 0x54, 0x01, 0x00, concat(serial, dateBytes, timeBytes, mac1), 0x08);
        byte[] mac2 = PbocCrypto.mac(session, amount);
        byte[] tac = PbocCrypto.mac(PbocCrypto.tacKey(dtk), amount, type, terminalId, serial, dateBytes, timeBytes);
        byte[] record = concat(init.counterBytes(), new byte[3], amount, type, terminalId, dateBytes, timeBytes);
        return new Purchase(init, debit, mac2, tac, record);
    }

    public Purchase.Result debit(Purchase purchase) {
        return new Purchase.Result(purchase, send(purchase.debit()));
    }

    /** INITIALIZE FOR PURCHASE, then (if it answered 9000) DEBIT with a right MAC1 on {@link #DATE}. */
    public Purchase.Result purchase(long amount) {
        Initialize init = initializePurchase(amount);
        if (init.sw() != 0x9000) {
            return new Purchase.Result(null, init.response());
        }
        return debit(prepareDebit(init, DATE, TIME, false));
    }

    // ---------------------------------------------------------------- load: the issuer's side is nfcpay.sim.IssuerLoader

    public CommandAPDU initializeLoadCommand(long amount) {
        return IssuerLoader.initializeCommand(amount, terminalId);
    }

    public Initialize initializeLoad(long amount) {
        CommandAPDU command = initializeLoadCommand(amount);
        return new Initialize(false, amount, command, send(command));
    }

    /** The CREDIT FOR LOAD for {@code init}, in the issuer's role ({@link IssuerLoader}), and what the card must answer. */
    public Load prepareCredit(Initialize init, String date, String time, boolean wrongMac2) {
        byte[] dateBytes = Bcd.digits(date);
        byte[] timeBytes = Bcd.digits(time);
        IssuerLoader.Credit issuer = IssuerLoader.prepareCredit(keys, purse, terminalId, init.amount(),
                init.response().getData(), dateBytes, timeBytes);
        byte[] mac2 = issuer.mac2();
        if (wrongMac2) {
            mac2[0] ^= 0x01;
        }
        CommandAPDU credit = IssuerLoader.creditCommand(dateBytes, timeBytes, mac2);
        byte[] record = concat(init.counterBytes(), new byte[3], uint32(init.amount()), new byte[] {Wire.TRANSACTION_LOAD},
                terminalId, dateBytes, timeBytes);
        return new Load(init, credit, issuer.expectedMac1(), mac2, issuer.expectedTac(), record);
    }

    public Load.Result credit(Load load) {
        return new Load.Result(load, send(load.credit()));
    }

    /** INITIALIZE FOR LOAD, then (if it answered 9000) CREDIT with a right MAC2 on {@link #DATE}. */
    public Load.Result load(long amount) {
        Initialize init = initializeLoad(amount);
        if (init.sw() != 0x9000) {
            return new Load.Result(null, init.response());
        }
        return credit(prepareCredit(init, DATE, TIME, false));
    }

    // ---------------------------------------------------------------- state as the terminal can see it

    /**
     * Balance, both counters (as INITIALIZE for 1 fen reports them; -1 when refused) and the newest log
     * record (its bytes and SW). Opens and drops an INITIALIZE session; changes no persistent state.
     */
    public State state() {
        Initialize purchase = initializePurchase(1);
        Initialize load = initializeLoad(1);
        ResponseAPDU newest = readRecord(1);
        return new State(balance(), purchase.sw() == 0x9000 ? purchase.counter() : -1,
                load.sw() == 0x9000 ? load.counter() : -1, Bytes.hex(newest.getBytes()));
    }

    public record State(long balance, int offlineCounter, int onlineCounter, String newestRecord) {}

    /** INITIALIZE FOR PURCHASE (15 bytes) or FOR LOAD (16 bytes, with MAC1) as the card answered it. */
    public record Initialize(boolean purchase, long amount, CommandAPDU command, ResponseAPDU response) {
        public int sw() {
            return response.getSW();
        }

        public long balance() {
            return BigEndian.toLong(Arrays.copyOfRange(response.getData(), 0, 4));
        }

        public byte[] counterBytes() {
            return Arrays.copyOfRange(response.getData(), 4, 6);
        }

        public int counter() {
            return (int) BigEndian.toLong(counterBytes());
        }

        public byte[] random() {
            int at = purchase ? 11 : 8;
            return Arrays.copyOfRange(response.getData(), at, at + 4);
        }

        public byte[] mac1() {
            return Arrays.copyOfRange(response.getData(), 12, 16);
        }
    }

    /** A prepared DEBIT FOR PURCHASE and what the card must answer and log. */
    public record Purchase(Initialize init, CommandAPDU debit, byte[] expectedMac2, byte[] expectedTac, byte[] expectedRecord) {
        /** What GET TRANSACTION PROVE must answer for it: MAC2 | TAC. */
        public byte[] expectedProof() {
            return concat(expectedMac2, expectedTac);
        }

        public record Result(Purchase purchase, ResponseAPDU response) {
            public int sw() {
                return response.getSW();
            }

            /** 9000 with TAC | MAC2 as the terminal computed them. */
            public boolean verified() {
                return purchase != null && sw() == 0x9000
                        && Arrays.equals(response.getData(), concat(purchase.expectedTac(), purchase.expectedMac2()));
            }
        }
    }

    /** A prepared CREDIT FOR LOAD and what the card must answer and log. */
    public record Load(Initialize init, CommandAPDU credit, byte[] expectedMac1, byte[] mac2, byte[] expectedTac, byte[] expectedRecord) {
        public byte[] expectedProof() {
            return concat(mac2, expectedTac);
        }

        public record Result(Load load, ResponseAPDU response) {
            public int sw() {
                return response.getSW();
            }

            /** The card's MAC1 was right, and it answered 9000 with the TAC the issuer computed. */
            public boolean verified() {
                return load != null && sw() == 0x9000 && Arrays.equals(load.init().mac1(), load.expectedMac1())
                        && Arrays.equals(response.getData(), load.expectedTac());
            }
        }
    }
}

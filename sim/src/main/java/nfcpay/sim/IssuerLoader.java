package nfcpay.sim;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Arrays;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;

/**
 * Credits a purse through the real JR/T 0025 load protocol (INITIALIZE FOR LOAD, CREDIT FOR LOAD), as the
 * issuer's personalization bureau does: the card's answer goes to a {@link LoadIssuer} (the issuer host
 * when the command line has one, else the simulator's in-process {@link SimulatedIssuer}), which checks
 * MAC1, returns MAC2 and posts the load on the card's TAC. The simulator uses it for initial balances so
 * that no balance is ever poked into a field; test terminals use its commands and {@link #prepareCredit}
 * to load, or to load wrongly, on purpose.
 */
public final class IssuerLoader {

    /** The terminal ID the simulator's issuer loads under. */
    static final byte[] LOADER_TERMINAL_ID = {0x00, 0x00, 0x00, 0x00, 0x00, 0x01};

    private final LoadIssuer issuer;
    private final Clock clock;

    IssuerLoader(LoadIssuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    /** The terminal ID the simulator's initial loads carry (and the cards log). */
    public static byte[] loaderTerminalId() {
        return LOADER_TERMINAL_ID.clone();
    }

    /** Loads {@code amount} minor units onto the selected purse {@code card}; returns the new balance. */
    long load(CardApdus apdus, SimCard card, long amount) {
        byte[] terminalId = issuer.terminalId();
        byte[] r = apdus.send(initializeCommand(amount, terminalId), "INITIALIZE FOR LOAD");
        if (r.length != 16) {
            throw new IllegalStateException("INITIALIZE FOR LOAD answered " + r.length + " bytes, not 16");
        }
        LocalDateTime now = LocalDateTime.now(clock);
        byte[] date = Bcd.date(now.toLocalDate());
        byte[] time = Bcd.time(now);
        long oldBalance = BigEndian.toLong(Arrays.copyOfRange(r, 0, 4));
        LoadIssuer.Authorization a;
        try {
            a = issuer.authorize(new LoadIssuer.Request(terminalId, card.serial(), card.aidHex(), amount, card.currency(),
                    oldBalance, (int) BigEndian.toLong(Arrays.copyOfRange(r, 4, 6)), r[6] & 0xFF, r[7] & 0xFF,
                    Arrays.copyOfRange(r, 8, 12), Arrays.copyOfRange(r, 12, 16), date, time));
        } catch (LoadIssuer.Refused e) {
            if (e.code().equals("bad_mac1")) {
                throw new IllegalStateException("card MAC1 on load does not verify: wrong card keys", e);
            }
            throw e;
        }
        byte[] tac = apdus.send(creditCommand(date, time, a.mac2()), "CREDIT FOR LOAD");
        try {
            issuer.confirm(a.loadId(), tac);
        } catch (LoadIssuer.Refused e) {
            if (e.code().equals("bad_tac")) {
                throw new IllegalStateException("card TAC on load does not verify", e);
            }
            throw e;
        }
        return oldBalance + amount;
    }

    /** INITIALIZE FOR LOAD: key index | amount (4) | terminal ID (6); the card answers 16 bytes. */
    public static CommandAPDU initializeCommand(long amount, byte[] terminalId) {
        byte[] data = PbocCrypto.concat(new byte[] {Wire.KEY_INDEX}, BigEndian.uint32(amount), terminalId);
        return new CommandAPDU(0x80, 0x50, 0x00, 0x02, data, 0x10);
    }

    /** CREDIT FOR LOAD: date (4) | time (3) | MAC2; the card answers its TAC. */
    public static CommandAPDU creditCommand(byte[] date, byte[] time, byte[] mac2) {
        return new CommandAPDU(0x80, 0x52, 0x00, 0x00, PbocCrypto.concat(date, time, mac2), 0x04);
    }

    /**
     * The issuer's side of loading {@code amount} onto {@code purse} under {@code terminalId}, given the card's
     * answer to INITIALIZE FOR LOAD (old balance (4) | online counter (2) | key version | algorithm | random (4)
     * | MAC1): the MAC1 a card with the issuer's keys sent, the MAC2 that authorizes the credit on
     * {@code date} {@code time}, and the TAC the card must answer for it. The card's 4-byte balance wraps as
     * the card's arithmetic would, so a test can name the TAC of a card that overflows.
     */
    public static Credit prepareCredit(IssuerMasterKeys keys, SimCard purse, byte[] terminalId, long amount,
            byte[] initializeAnswer, byte[] date, byte[] time) {
        byte[] oldBalance = Arrays.copyOfRange(initializeAnswer, 0, 4);
        byte[] counter = Arrays.copyOfRange(initializeAnswer, 4, 6);
        byte[] random = Arrays.copyOfRange(initializeAnswer, 8, 12);
        byte[] amountBytes = BigEndian.uint32(amount);
        byte[] type = {Wire.TRANSACTION_LOAD};
        byte[] serial = purse.serial();
        byte[] dlk = keys.loadKey(serial);
        byte[] session = PbocCrypto.loadSessionKey(dlk, random, counter);
        byte[] dtk = keys.tacKey(serial);
        byte[] tacKey = PbocCrypto.tacKey(dtk);
        try {
            byte[] mac1 = PbocCrypto.mac(session, oldBalance, amountBytes, type, terminalId);
            byte[] mac2 = PbocCrypto.mac(session, amountBytes, type, terminalId, date, time);
            byte[] newBalance = BigEndian.uint32((BigEndian.toLong(oldBalance) + amount) & 0xFFFFFFFFL);
            byte[] tac = PbocCrypto.mac(tacKey, newBalance, counter, amountBytes, type, terminalId, date, time);
            return new Credit(mac1, mac2, tac);
        } finally {
            PbocCrypto.wipe(dlk, session, dtk, tacKey);
        }
    }

    /**
     * What the issuer computed for one load.
     *
     * @param expectedMac1 the MAC1 the card must have answered to INITIALIZE FOR LOAD
     * @param mac2 the issuer's MAC2 for CREDIT FOR LOAD ({@link #creditCommand})
     * @param expectedTac the TAC the card must answer to that CREDIT FOR LOAD
     */
    public record Credit(byte[] expectedMac1, byte[] mac2, byte[] expectedTac) {}
}

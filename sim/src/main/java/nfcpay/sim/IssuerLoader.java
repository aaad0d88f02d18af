package nfcpay.sim;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Arrays;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;

/**
 * Credits a purse through the real JR/T 0025 load protocol (INITIALIZE FOR LOAD, CREDIT FOR LOAD),
 * in the issuer's role: it holds the load and TAC master keys, checks the card's MAC1 and TAC.
 * The simulator uses it for initial balances so that no balance is ever poked into a field.
 */
final class IssuerLoader {

    /** The terminal ID the simulator's issuer loads under. */
    static final byte[] LOADER_TERMINAL_ID = {0x00, 0x00, 0x00, 0x00, 0x00, 0x01};

    private final IssuerMasterKeys keys;
    private final Clock clock;

    IssuerLoader(IssuerMasterKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Loads {@code amount} minor units onto the selected purse {@code card}; returns the new balance. */
    long load(CardApdus apdus, SimCard card, long amount) {
        byte[] amountBytes = Personalizer.uint32(amount);
        byte[] init = PbocCrypto.concat(new byte[] {Wire.KEY_INDEX}, amountBytes, LOADER_TERMINAL_ID);
        byte[] r = apdus.send(new CommandAPDU(0x80, 0x50, 0x00, 0x02, init, 0x10), "INITIALIZE FOR LOAD");
        if (r.length != 16) {
            throw new IllegalStateException("INITIALIZE FOR LOAD answered " + r.length + " bytes, not 16");
        }
        byte[] oldBalance = Arrays.copyOfRange(r, 0, 4);
        byte[] counter = Arrays.copyOfRange(r, 4, 6);
        byte[] random = Arrays.copyOfRange(r, 8, 12);
        byte[] mac1 = Arrays.copyOfRange(r, 12, 16);
        byte[] serial = card.serial();
        byte[] dlk = keys.loadKey(serial);
        byte[] session = PbocCrypto.loadSessionKey(dlk, random, counter);
        byte[] dtk = keys.tacKey(serial);
        byte[] tacKey = PbocCrypto.tacKey(dtk);
        try {
            byte[] type = {Wire.TRANSACTION_LOAD};
            if (!PbocCrypto.macEquals(mac1, PbocCrypto.mac(session, oldBalance, amountBytes, type, LOADER_TERMINAL_ID))) {
                throw new IllegalStateException("card MAC1 on load does not verify: wrong card keys");
            }
            LocalDateTime now = LocalDateTime.now(clock);
            byte[] date = Bcd.date(now.toLocalDate());
            byte[] time = Bcd.time(now);
            byte[] mac2 = PbocCrypto.mac(session, amountBytes, type, LOADER_TERMINAL_ID, date, time);
            byte[] tac = apdus.send(new CommandAPDU(0x80, 0x52, 0x00, 0x00, PbocCrypto.concat(date, time, mac2), 0x04),
                    "CREDIT FOR LOAD");
            long newBalance = toLong(oldBalance) + amount;
            byte[] expectedTac = PbocCrypto.mac(tacKey, Personalizer.uint32(newBalance), counter, amountBytes, type,
                    LOADER_TERMINAL_ID, date, time);
            if (!PbocCrypto.macEquals(tac, expectedTac)) {
                throw new IllegalStateException("card TAC on load does not verify");
            }
            return newBalance;
        } finally {
            PbocCrypto.wipe(dlk, session, dtk, tacKey);
        }
    }

    static long toLong(byte[] uint32) {
        long v = 0;
        for (byte b : uint32) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}

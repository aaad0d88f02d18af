package nfcpay.host.keys;

/**
 * The host's only way to its master keys, shaped like an HSM's command set (verify MAC1, generate
 * MAC2, verify TAC) so that a hardware security module can take the software implementation's place:
 * no caller ever sees MLK, MTK or a diversified card key.
 *
 * <p>Byte arrays are the wire fields of PROTOCOL.md 3.2/3.3: serial 10 bytes, terminal ID 6, amounts
 * and balances 4 (unsigned big-endian), counters 2, terminal serial 4, date 4 and time 3 (BCD),
 * random 4, MACs and TACs 4.
 */
public interface KeyService {

    /** True when the keys are the published test keys, which the host then says wherever it starts. */
    boolean testKeys();

    /** INITIALIZE FOR LOAD's MAC1 under the card's load session key. */
    boolean verifyLoadMac1(LoadSession session, byte[] oldBalance, byte[] amount, byte[] terminalId, byte[] mac1);

    /** The MAC2 that CREDIT FOR LOAD carries, under the same session key. */
    byte[] generateLoadMac2(LoadSession session, byte[] amount, byte[] terminalId, byte[] date, byte[] time);

    /** CREDIT FOR LOAD's TAC under the card's DTK. */
    boolean verifyLoadTac(byte[] cardSerial, byte[] newBalance, byte[] onlineCounter, byte[] amount,
                          byte[] terminalId, byte[] date, byte[] time, byte[] tac);

    /** DEBIT FOR PURCHASE's TAC under the card's DTK. */
    boolean verifyPurchaseTac(byte[] cardSerial, byte[] amount, byte[] terminalId, byte[] terminalSerial,
                              byte[] date, byte[] time, byte[] tac);

    /** True when this service holds the maintenance master key MAMK; without it no issuer script is MAC'd. */
    boolean hasMaintenanceKey();

    /**
     * The MAC of an issuer script without data (APPLICATION BLOCK / UNBLOCK, docs/protocol.md 3.6) under the card's
     * DAMK: {@code challenge} the card's 4-byte GET CHALLENGE answer, {@code header} CLA INS P1 P2 Lc (5 bytes).
     * Fails closed ({@link IllegalStateException}) without a MAMK.
     */
    byte[] issuerScriptMac(byte[] cardSerial, byte[] challenge, byte[] header);

    /** What a load session key is derived from: the card, its random and its online counter. */
    record LoadSession(byte[] cardSerial, byte[] random, byte[] onlineCounter) {}
}

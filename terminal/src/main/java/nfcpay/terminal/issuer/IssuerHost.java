package nfcpay.terminal.issuer;

import java.util.List;
import nfcpay.terminal.journal.JournalRecord;

/**
 * The terminal's one way to the issuer host (PROTOCOL.md 5): clearing, online loads and the hot list.
 * {@link HttpIssuerHost} speaks HTTP; tests may put an in-process host behind it.
 */
public interface IssuerHost {

    /** Uploads completed purchases; one answer per record, in order ("cleared", "duplicate", "rejected:reason"). */
    List<String> clear(byte[] terminalId, List<JournalRecord> purchases) throws IssuerHostException;

    /** Asks for MAC2: the host verifies MAC1 and records the load as pending. */
    LoadAuthorization authorizeLoad(LoadAuthorizationRequest request) throws IssuerHostException;

    /** Confirms a load with the card's TAC; the host posts it (again: posted once). */
    void confirmLoad(String loadId, byte[] tac) throws IssuerHostException;

    /** What the host knows of a load it authorized: "pending", "posted" or "voided" (asked after a torn load). */
    String loadStatus(String loadId) throws IssuerHostException;

    /** The hot list: card serials (20 hex digits, upper case) and the list's version. */
    HotList hotList() throws IssuerHostException;

    /**
     * The issuer script for one card (docs/host.md "Issuer scripts", an nfcpay extension): the full command APDU,
     * MAC'd by the host under the card's maintenance key over the challenge the card just gave. Operator (admin) token.
     * Hosts that issue no scripts (in-memory ones for tests and benchmarks) refuse.
     */
    default IssuerScript issuerScript(IssuerScriptRequest request) throws IssuerHostException {
        throw new IssuerHostException(0, "unsupported", "this issuer host issues no scripts", null);
    }

    /** The actions of APPLICATION BLOCK / UNBLOCK, as the host's API names them. */
    enum ScriptAction {
        BLOCK("block"), BLOCK_PERMANENT("block_permanent"), UNBLOCK("unblock");

        private final String wire;

        ScriptAction(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** Card serial (20 hex digits) and challenge (8) as on the wire. */
    record IssuerScriptRequest(String cardSerial, String challenge, ScriptAction action) {}

    /** The host's audit number for the script and the command APDU to send, e.g. 8418000004 + MAC. */
    record IssuerScript(long scriptId, byte[] apdu) {}

    /** MAC2 for CREDIT FOR LOAD and the host's name for the pending load. */
    record LoadAuthorization(String loadId, byte[] mac2) {}

    /** INITIALIZE FOR LOAD's answer and the date and time CREDIT FOR LOAD will carry (hex and digits as on the wire). */
    record LoadAuthorizationRequest(String terminalId, String cardSerial, String aid, long amount, String currency,
                                    long oldBalance, int onlineCounter, int keyVersion, int algorithmId, String random,
                                    String mac1, String date, String time) {}

    record HotList(long version, List<String> cards) {}
}

package nfcpay.sim;

import java.util.Currency;

/**
 * The issuer's side of an online load (PROTOCOL.md 5.3) as the simulator needs it: the one that holds MLK
 * checks the card's MAC1, returns MAC2 and posts the load on the card's TAC. {@link SimulatedIssuer} is the
 * simulator's own (in process, test keys); the command line puts the real issuer host behind this interface
 * when it has one, so that the simulated SIM's opening balances reach the host's ledger.
 */
public interface LoadIssuer {

    /** The terminal ID the loads are made under (the load agent the host books them to). */
    byte[] terminalId();

    /** MAC1 verified, MAC2 returned, the load pending. */
    Authorization authorize(Request request);

    /** Posts the load on the card's TAC. */
    void confirm(String loadId, byte[] tac);

    /** INITIALIZE FOR LOAD's answer and the date and time CREDIT FOR LOAD will carry. */
    record Request(byte[] terminalId, byte[] cardSerial, String aid, long amount, Currency currency, long oldBalance,
                   int onlineCounter, int keyVersion, int algorithmId, byte[] random, byte[] mac1, byte[] date, byte[] time) {}

    /** The issuer's name for the pending load, and MAC2 for CREDIT FOR LOAD. */
    record Authorization(String loadId, byte[] mac2) {}

    /** The issuer refused (its code: bad_mac1, bad_tac, hotlisted, counter_mismatch, unreachable...). */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;

        public Refused(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}

package nfcpay.host.ledger;

/**
 * The ledger's account names. Balances are signed as what the issuer owes the account's holder: a card
 * float (a liability to the card holder) is positive after a load; a terminal's load agent account goes
 * negative by the cash it took for loads; a merchant payable grows with cleared purchases.
 */
public final class Accounts {

    public static final String SETTLEMENT = "settlement";

    private Accounts() {}

    public static String cardFloat(String cardSerial) {
        return "float:" + cardSerial;
    }

    public static String merchantPayable(String terminalId) {
        return "merchant:" + terminalId;
    }

    public static String loadAgent(String terminalId) {
        return "agent:" + terminalId;
    }
}

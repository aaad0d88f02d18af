package nfcpay.host.ledger;

/** An amount (minor units, > 0) from one account to another; {@code reference} names the business row. */
public record Transfer(String kind, long reference, String from, String to, long amount) {
    public Transfer {
        if (amount <= 0) {
            throw new IllegalArgumentException("a transfer moves a positive amount");
        }
    }
}

package nfcpay.host.api;

/** Who a bearer token stands for: one terminal, or the issuer's administrator. */
public record Principal(boolean admin, String terminalId) {

    public void requireAdmin() {
        if (!admin) {
            throw ApiException.forbidden("this endpoint needs the admin token");
        }
    }

    /** A terminal may act only for itself; the admin token is not a terminal. */
    public void requireTerminal(String terminalIdInRequest) {
        if (admin || !terminalId.equals(terminalIdInRequest)) {
            throw ApiException.forbidden("this token is not terminal " + terminalIdInRequest + "'s");
        }
    }

    public void requireSomeTerminal() {
        if (admin) {
            throw ApiException.forbidden("this endpoint needs a terminal token");
        }
    }
}

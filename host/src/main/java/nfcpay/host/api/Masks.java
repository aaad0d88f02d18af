package nfcpay.host.api;

/** Serial numbers in messages and logs: the last four digits only. */
final class Masks {
    private Masks() {}

    static String serial(String hex) {
        return hex.length() <= 4 ? "****" : "*".repeat(hex.length() - 4) + hex.substring(hex.length() - 4);
    }
}

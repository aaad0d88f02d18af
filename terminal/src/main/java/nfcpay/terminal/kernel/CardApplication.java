package nfcpay.terminal.kernel;

/**
 * A card application as the PPSE directory (61) or smart selection (77) names it.
 *
 * @param aid the application identifier, upper-case hex
 * @param label the application label (50)
 * @param priority the application priority (87), 1 = highest; 0 when the card gave none
 */
public record CardApplication(String aid, String label, int priority) {

    @Override
    public String toString() {
        return label + " (" + aid + ", priority " + priority + ")";
    }
}

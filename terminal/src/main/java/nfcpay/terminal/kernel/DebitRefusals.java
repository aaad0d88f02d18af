package nfcpay.terminal.kernel;

import static nfcpay.terminal.apdu.TerminalWire.SW_APPLICATION_LOCKED;
import static nfcpay.terminal.apdu.TerminalWire.SW_CLA_NOT_SUPPORTED;
import static nfcpay.terminal.apdu.TerminalWire.SW_COMMAND_OUT_OF_SEQUENCE;
import static nfcpay.terminal.apdu.TerminalWire.SW_CONDITIONS_NOT_SATISFIED;
import static nfcpay.terminal.apdu.TerminalWire.SW_INSUFFICIENT_FUNDS;
import static nfcpay.terminal.apdu.TerminalWire.SW_INS_NOT_SUPPORTED;
import static nfcpay.terminal.apdu.TerminalWire.SW_MAC_INVALID;
import static nfcpay.terminal.apdu.TerminalWire.SW_WRONG_LENGTH;
import static nfcpay.terminal.apdu.TerminalWire.SW_WRONG_P1P2;

import java.util.Set;

/**
 * The answers to DEBIT FOR PURCHASE that prove the card changed nothing, so that the kernel may void
 * the sale at once. Each is a check the purse makes before its transaction begins (docs/protocol.md
 * 3.2, the DEBIT row, and section 1; PROTOCOL.md 3.4):
 * <ul>
 * <li>{@code 6E00}, {@code 6D00}: class or instruction refused, before anything else;</li>
 * <li>{@code 6A86}: P1/P2, checked next; {@code 6700}: Lc, checked next;</li>
 * <li>{@code 6901}: no INITIALIZE FOR PURCHASE before it: no session, so no debit;</li>
 * <li>{@code 9303}: locked, or this wrong MAC1 reached the limit; {@code 9302}: MAC1 wrong (both
 *     count a MAC failure, the one write the contract allows on a refusal, and move no money);</li>
 * <li>{@code 6985}: the MAC-authenticated date is outside the card's validity, or a card fault
 *     caught with its transaction aborted;</li>
 * <li>{@code 9401}: the balance does not cover the amount, checked after MAC1 and before the transaction.</li>
 * </ul>
 * Everything else (6Fxx, 65xx, 64xx, 62xx, a contract word that DEBIT never answers such as 9403 or 6A80,
 * an unknown one) can come after the commit, or from a card that is not keeping the contract: the
 * outcome is unknown and only the card's proof on a later tap can settle it.
 */
final class DebitRefusals {

    static final Set<Integer> VOIDING = Set.of(SW_CLA_NOT_SUPPORTED, SW_INS_NOT_SUPPORTED, SW_WRONG_P1P2, SW_WRONG_LENGTH,
            SW_COMMAND_OUT_OF_SEQUENCE, SW_APPLICATION_LOCKED, SW_MAC_INVALID, SW_CONDITIONS_NOT_SATISFIED,
            SW_INSUFFICIENT_FUNDS);

    private DebitRefusals() {}

    /** True when a DEBIT answered {@code sw} certainly debited nothing. */
    static boolean changedNothing(int sw) {
        return VOIDING.contains(sw);
    }
}

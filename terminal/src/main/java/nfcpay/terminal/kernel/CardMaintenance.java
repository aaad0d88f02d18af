package nfcpay.terminal.kernel;

import static nfcpay.terminal.apdu.TerminalWire.SW_APPLICATION_LOCKED;
import static nfcpay.terminal.apdu.TerminalWire.SW_OK;
import static nfcpay.terminal.apdu.TerminalWire.SW_SELECTED_FILE_DEACTIVATED;

import java.util.Arrays;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Apdu;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.apdu.CardDataException;
import nfcpay.terminal.apdu.Response;
import nfcpay.terminal.apdu.StatusWordException;
import nfcpay.terminal.apdu.TerminalWire;
import nfcpay.terminal.apdu.TerminalWire.Command;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.issuer.IssuerHost.ScriptAction;
import nfcpay.terminal.transport.Transport;

/**
 * The operator's issuer script on one card application (docs/protocol.md 3.6, docs/host.md "Issuer scripts"):
 * SELECT it (a blocked purse answers its FCI with 6283, so its serial can still be read), GET CHALLENGE, ask the
 * issuer host for the MAC'd APPLICATION BLOCK / UNBLOCK over that challenge, send it, SELECT again to read what the
 * card now is. The terminal holds no maintenance key: only the host can MAC a script.
 */
public final class CardMaintenance {

    /** What SELECT says of the application. */
    public enum State {
        ACTIVE("active"), BLOCKED("blocked"), BLOCKED_FOR_GOOD("blocked for good");

        private final String text;

        State(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * @param application the card application (label and AID from its FCI)
     * @param maskedSerial its serial number, masked
     * @param before what SELECT said before the script; {@code after} what it says now
     * @param scriptId the host's audit number of the script
     */
    public record Result(CardApplication application, String maskedSerial, State before, State after, long scriptId) {}

    private CardMaintenance() {}

    public static Result run(Transport transport, String aid, IssuerHost host, ScriptAction action) throws TerminalException {
        Response selected = select(transport, aid);
        State before = state(selected);
        if (before == State.BLOCKED_FOR_GOOD) {
            throw new TerminalException("the card application " + aid + " is blocked for good (9303): no script changes it");
        }
        ApplicationFci fci = Fci.application(selected.data(), aid);
        Response challenge = Response.check(send(transport, Apdu.of(Command.GET_CHALLENGE, null, TerminalWire.CHALLENGE_LENGTH)));
        byte[] random = challenge.data(TerminalWire.CHALLENGE_LENGTH);
        IssuerHost.IssuerScript script = host.issuerScript(new IssuerHost.IssuerScriptRequest(
                Bytes.hex(fci.issuerData().serial()), Bytes.hex(random), action));
        byte[] header = header(action);
        if (script.apdu().length != header.length + TerminalWire.SCRIPT_MAC_LENGTH
                || !Arrays.equals(Arrays.copyOf(script.apdu(), header.length), header)) {
            throw new CardDataException("the issuer host's script is not the " + action.wire() + " asked for");
        }
        Command command = action == ScriptAction.UNBLOCK ? Command.APPLICATION_UNBLOCK : Command.APPLICATION_BLOCK;
        Response.check(Response.of(command, transport.transceive(script.apdu())));
        State after = state(select(transport, aid));
        return new Result(fci.application(), fci.issuerData().maskedSerial(), before, after, script.scriptId());
    }

    /** CLA INS P1 P2 Lc of the script for {@code action}. */
    static byte[] header(ScriptAction action) {
        int ins = action == ScriptAction.UNBLOCK ? TerminalWire.INS_APPLICATION_UNBLOCK : TerminalWire.INS_APPLICATION_BLOCK;
        int p2 = action == ScriptAction.BLOCK_PERMANENT ? TerminalWire.P2_BLOCK_PERMANENT : TerminalWire.P2_BLOCK_TEMPORARY;
        return new byte[] {(byte) TerminalWire.CLA_SECURE_MESSAGING, (byte) ins, 0x00, (byte) p2,
            (byte) TerminalWire.SCRIPT_MAC_LENGTH};
    }

    private static Response select(Transport transport, String aid) throws TerminalException {
        return Response.check(send(transport, Apdu.of(Command.SELECT, Bytes.fromHex(aid), Apdu.LE_ANY)),
                SW_OK, SW_SELECTED_FILE_DEACTIVATED, SW_APPLICATION_LOCKED);
    }

    private static State state(Response selected) {
        return switch (selected.sw()) {
            case SW_SELECTED_FILE_DEACTIVATED -> State.BLOCKED;
            case SW_APPLICATION_LOCKED -> State.BLOCKED_FOR_GOOD;
            default -> State.ACTIVE;
        };
    }

    private static Response send(Transport transport, Apdu apdu) throws TerminalException {
        return Response.of(apdu.command(), transport.transceive(apdu.bytes()));
    }

    /** The one line a refusal of the card deserves, for the operator. */
    public static String explain(StatusWordException e) {
        return switch (e.sw()) {
            case TerminalWire.SW_SM_DATA_INCORRECT -> "the card refused the script's MAC (6988): wrong maintenance key"
                    + " for this card, or a challenge spent in between";
            case TerminalWire.SW_PIN_BLOCKED -> "the card's maintenance key is retired after ten wrong script MACs (6983)";
            case TerminalWire.SW_REFERENCE_DATA_NOT_USABLE -> "the card had no challenge for the script (6984)";
            case TerminalWire.SW_SECURITY_STATUS_NOT_SATISFIED -> "the card takes issuer scripts over the contact interface"
                    + " only (6982)";
            case TerminalWire.SW_CONDITIONS_NOT_SATISFIED -> "the card application holds no maintenance key, or is not"
                    + " personalized (6985)";
            case TerminalWire.SW_APPLICATION_LOCKED -> "the card application is blocked for good (9303)";
            default -> e.getMessage();
        };
    }
}

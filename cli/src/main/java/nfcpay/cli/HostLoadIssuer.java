package nfcpay.cli;

import java.util.HexFormat;
import nfcpay.sim.LoadIssuer;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.issuer.IssuerHostException;

/**
 * The issuer host as the simulated SIM's personalization bureau: the opening balances of a simulated SIM are
 * loaded through {@code POST /v1/loads} and confirmed with the card's TAC, under this terminal's ID, so that
 * the host's ledger knows where every unit on the card came from (this terminal's load agent account).
 */
final class HostLoadIssuer implements LoadIssuer {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final IssuerHost host;
    private final byte[] terminalId;

    HostLoadIssuer(IssuerHost host, byte[] terminalId) {
        this.host = host;
        this.terminalId = terminalId.clone();
    }

    @Override
    public byte[] terminalId() {
        return terminalId.clone();
    }

    @Override
    public Authorization authorize(Request r) {
        try {
            IssuerHost.LoadAuthorization a = host.authorizeLoad(new IssuerHost.LoadAuthorizationRequest(
                    HEX.formatHex(r.terminalId()), HEX.formatHex(r.cardSerial()), r.aid(), r.amount(),
                    r.currency().getCurrencyCode(), r.oldBalance(), r.onlineCounter(), r.keyVersion(), r.algorithmId(),
                    HEX.formatHex(r.random()), HEX.formatHex(r.mac1()), HEX.formatHex(r.date()), HEX.formatHex(r.time())));
            return new Authorization(a.loadId(), a.mac2());
        } catch (IssuerHostException e) {
            throw refused(e);
        }
    }

    @Override
    public void confirm(String loadId, byte[] tac) {
        try {
            host.confirmLoad(loadId, tac);
        } catch (IssuerHostException e) {
            throw refused(e);
        }
    }

    private static Refused refused(IssuerHostException e) {
        return new Refused(e.code(), "the simulated SIM's opening balances go through the issuer host: " + e.getMessage(), e);
    }
}

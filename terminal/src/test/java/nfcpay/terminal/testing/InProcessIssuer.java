package nfcpay.terminal.testing;

import java.util.ArrayList;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import nfcpay.sim.LoadIssuer;
import nfcpay.sim.SimulatedIssuer;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.issuer.IssuerHostException;
import nfcpay.terminal.journal.JournalRecord;

/**
 * An in-process issuer for the kernel's tests: the simulator's issuer (test keys, the host's load rules, no
 * ledger) behind the terminal's {@link IssuerHost}. {@link #down} makes it unreachable, {@link #hotList} lists
 * cards; it counts authorizations and confirmations.
 */
public final class InProcessIssuer implements IssuerHost {

    private static final HexFormat HEX = HexFormat.of();

    private final SimulatedIssuer issuer;
    private final nfcpay.crypto.IssuerMasterKeys keys;
    public int scripts;
    public volatile boolean down;
    public volatile List<String> hotList = List.of();
    public int authorizations;
    public int confirmations;

    public InProcessIssuer(byte[] terminalId) {
        this(terminalId, nfcpay.crypto.IssuerMasterKeys.TEST);
    }

    /** An issuer with other master keys: the test keys' cards are not its cards. */
    public InProcessIssuer(byte[] terminalId, nfcpay.crypto.IssuerMasterKeys keys) {
        this.issuer = new SimulatedIssuer(keys, terminalId);
        this.keys = keys;
    }

    /** The host's issuer script (docs/host.md), MAC'd under the card's DAMK from these keys' MAMK; hot list as the host. */
    @Override
    public IssuerScript issuerScript(IssuerScriptRequest r) throws IssuerHostException {
        reachable();
        if (r.action() == ScriptAction.UNBLOCK && hotList.contains(r.cardSerial().toUpperCase(java.util.Locale.ROOT))) {
            throw new IssuerHostException(403, "hotlisted", "the issuer host refused: hotlisted", null);
        }
        byte[] header = {(byte) 0x84, (byte) (r.action() == ScriptAction.UNBLOCK ? 0x18 : 0x1E), 0x00,
            (byte) (r.action() == ScriptAction.BLOCK_PERMANENT ? 0x01 : 0x00), 0x04};
        byte[] damk = keys.maintenanceKey(HEX.parseHex(r.cardSerial()));
        byte[] mac = nfcpay.crypto.PbocCrypto.issuerScriptMac(damk, HEX.parseHex(r.challenge()), header);
        nfcpay.crypto.PbocCrypto.wipe(damk);
        return new IssuerScript(++scripts, nfcpay.crypto.PbocCrypto.concat(header, mac));
    }

    public SimulatedIssuer issuer() {
        return issuer;
    }

    @Override
    public List<String> clear(byte[] terminalId, List<JournalRecord> purchases) throws IssuerHostException {
        reachable();
        List<String> out = new ArrayList<>();
        purchases.forEach(p -> out.add("cleared"));
        return out;
    }

    @Override
    public LoadAuthorization authorizeLoad(LoadAuthorizationRequest r) throws IssuerHostException {
        reachable();
        if (hotList.contains(r.cardSerial())) {
            throw new IssuerHostException(403, "hotlisted", "the issuer host refused: hotlisted", null);
        }
        try {
            LoadIssuer.Authorization a = issuer.authorize(new LoadIssuer.Request(HEX.parseHex(r.terminalId()),
                    HEX.parseHex(r.cardSerial()), r.aid(), r.amount(), Currency.getInstance(r.currency()), r.oldBalance(),
                    r.onlineCounter(), r.keyVersion(), r.algorithmId(), HEX.parseHex(r.random()), HEX.parseHex(r.mac1()),
                    HEX.parseHex(r.date()), HEX.parseHex(r.time())));
            authorizations++;
            return new LoadAuthorization(a.loadId(), a.mac2());
        } catch (LoadIssuer.Refused e) {
            throw new IssuerHostException(e.code().equals("counter_mismatch") ? 409 : 422, e.code(),
                    "the issuer host refused: " + e.code() + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void confirmLoad(String loadId, byte[] tac) throws IssuerHostException {
        reachable();
        try {
            issuer.confirm(loadId, tac);
            confirmations++;
        } catch (LoadIssuer.Refused e) {
            throw new IssuerHostException(e.code().equals("not_found") ? 404 : e.code().equals("voided") ? 409 : 422,
                    e.code(), "the issuer host refused: " + e.code(), e);
        }
    }

    @Override
    public String loadStatus(String loadId) throws IssuerHostException {
        reachable();
        String s = issuer.status(loadId);
        if (s == null) {
            throw new IssuerHostException(404, "not_found", "no load " + loadId, null);
        }
        return s;
    }

    @Override
    public HotList hotList() throws IssuerHostException {
        reachable();
        return new HotList(hotList.size(), hotList);
    }

    private void reachable() throws IssuerHostException {
        if (down) {
            throw new IssuerHostException(0, "unreachable", "the issuer host is unreachable: connection refused", null);
        }
    }
}

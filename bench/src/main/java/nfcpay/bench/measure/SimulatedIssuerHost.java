package nfcpay.bench.measure;

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
 * The simulator's in-process issuer (test keys, no ledger, no network) behind the terminal's {@link IssuerHost}, so
 * that top-ups run the terminal's online load path without an issuer host: the benchmarks' workload (which measures
 * cards and the terminal; {@code nfcpay bench host} measures the host) and the reliability module's chaos runs (the
 * host's own faults are HostFaultTest's). One instance serves every terminal of a run, as one host does.
 */
public final class SimulatedIssuerHost implements IssuerHost {

    private static final HexFormat HEX = HexFormat.of();

    private final SimulatedIssuer issuer;

    public SimulatedIssuerHost(byte[] terminalId) {
        this.issuer = new SimulatedIssuer(nfcpay.crypto.IssuerMasterKeys.TEST, terminalId);
    }

    @Override
    public List<String> clear(byte[] terminalId, List<JournalRecord> purchases) {
        List<String> out = new ArrayList<>();
        purchases.forEach(p -> out.add("cleared"));
        return out;
    }

    @Override
    public LoadAuthorization authorizeLoad(LoadAuthorizationRequest r) throws IssuerHostException {
        try {
            LoadIssuer.Authorization a = issuer.authorize(new LoadIssuer.Request(HEX.parseHex(r.terminalId()),
                    HEX.parseHex(r.cardSerial()), r.aid(), r.amount(), Currency.getInstance(r.currency()), r.oldBalance(),
                    r.onlineCounter(), r.keyVersion(), r.algorithmId(), HEX.parseHex(r.random()), HEX.parseHex(r.mac1()),
                    HEX.parseHex(r.date()), HEX.parseHex(r.time())));
            return new LoadAuthorization(a.loadId(), a.mac2());
        } catch (LoadIssuer.Refused e) {
            throw new IssuerHostException(422, e.code(), "the simulated issuer refused: " + e.getMessage(), e);
        }
    }

    @Override
    public void confirmLoad(String loadId, byte[] tac) throws IssuerHostException {
        try {
            issuer.confirm(loadId, tac);
        } catch (LoadIssuer.Refused e) {
            throw new IssuerHostException(422, e.code(), "the simulated issuer refused: " + e.getMessage(), e);
        }
    }

    @Override
    public String loadStatus(String loadId) throws IssuerHostException {
        String s = issuer.status(loadId);
        if (s == null) {
            throw new IssuerHostException(404, "not_found", "no load " + loadId, null);
        }
        return s;
    }

    @Override
    public HotList hotList() {
        return new HotList(0, List.of());
    }
}

package nfcpay.sim;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;

/**
 * The simulator's issuer: MLK and MTK in this process (the published test keys unless given others), for
 * the simulated SIM's opening balances when no issuer host is given, and for tests and benchmarks that load
 * without one. It follows the host's rules for a load (PROTOCOL.md 5.3): MAC1 verified, at most one pending
 * load per card, settled by the card's online counter at its next authorization, posted on a valid TAC. It
 * keeps no ledger. Not the product's issuer: that is the host module.
 */
public final class SimulatedIssuer implements LoadIssuer {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private record Load(String id, byte[] cardSerial, byte[] terminalId, long amount, long oldBalance, int counter,
                        byte[] date, byte[] time) {}

    private final IssuerMasterKeys keys;
    private final byte[] terminalId;
    private final Map<String, Load> loads = new HashMap<>();
    private final Map<String, String> status = new HashMap<>();
    private final Map<String, String> pendingByCard = new HashMap<>();
    private long nextId = 1;

    public SimulatedIssuer(IssuerMasterKeys keys, byte[] terminalId) {
        this.keys = keys;
        this.terminalId = terminalId.clone();
    }

    /** The published test keys, loading under the simulator's loader terminal ID. */
    public static SimulatedIssuer withTestKeys() {
        return new SimulatedIssuer(IssuerMasterKeys.TEST, IssuerLoader.loaderTerminalId());
    }

    @Override
    public byte[] terminalId() {
        return terminalId.clone();
    }

    @Override
    public synchronized Authorization authorize(Request r) {
        byte[] dlk = keys.loadKey(r.cardSerial());
        byte[] session = PbocCrypto.loadSessionKey(dlk, r.random(), BigEndian.uint16(r.onlineCounter()));
        try {
            byte[] amount = BigEndian.uint32(r.amount());
            byte[] type = {Wire.TRANSACTION_LOAD};
            byte[] mac1 = PbocCrypto.mac(session, BigEndian.uint32(r.oldBalance()), amount, type, r.terminalId());
            if (!PbocCrypto.macEquals(mac1, r.mac1())) {
                throw new Refused("bad_mac1", "MAC1 does not verify", null);
            }
            String card = HEX.formatHex(r.cardSerial());
            String pending = pendingByCard.remove(card);
            if (pending != null) {
                int c = loads.get(pending).counter();
                if (r.onlineCounter() == c) {
                    status.put(pending, "voided");
                } else if (r.onlineCounter() == c + 1) {
                    status.put(pending, "posted");
                } else {
                    pendingByCard.put(card, pending);
                    throw new Refused("counter_mismatch", "online counter " + r.onlineCounter() + ", pending load at " + c, null);
                }
            }
            String id = Long.toString(nextId++);
            loads.put(id, new Load(id, r.cardSerial(), r.terminalId(), r.amount(), r.oldBalance(), r.onlineCounter(),
                    r.date(), r.time()));
            status.put(id, "pending");
            pendingByCard.put(card, id);
            return new Authorization(id, PbocCrypto.mac(session, amount, type, r.terminalId(), r.date(), r.time()));
        } finally {
            PbocCrypto.wipe(dlk, session);
        }
    }

    @Override
    public synchronized void confirm(String loadId, byte[] tac) {
        Load l = loads.get(loadId);
        if (l == null) {
            throw new Refused("not_found", "no load " + loadId, null);
        }
        byte[] dtk = keys.tacKey(l.cardSerial());
        byte[] tacKey = PbocCrypto.tacKey(dtk);
        try {
            byte[] expected = PbocCrypto.mac(tacKey, BigEndian.uint32(l.oldBalance() + l.amount()),
                    BigEndian.uint16(l.counter()), BigEndian.uint32(l.amount()), new byte[] {Wire.TRANSACTION_LOAD},
                    l.terminalId(), l.date(), l.time());
            if (!PbocCrypto.macEquals(expected, tac)) {
                throw new Refused("bad_tac", "the load TAC does not verify", null);
            }
        } finally {
            PbocCrypto.wipe(dtk, tacKey);
        }
        if ("voided".equals(status.get(loadId))) {
            throw new Refused("voided", "load " + loadId + " was voided", null);
        }
        status.put(loadId, "posted");
        pendingByCard.remove(HEX.formatHex(l.cardSerial()), loadId);
    }

    /** "pending", "posted" or "voided"; null for a load it never authorized. */
    public synchronized String status(String loadId) {
        return status.get(loadId);
    }
}

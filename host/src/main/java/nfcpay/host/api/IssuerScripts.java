package nfcpay.host.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import nfcpay.host.db.Tx;
import nfcpay.host.keys.KeyService;

/**
 * {@code POST /v1/admin/scripts} (docs/host.md "Issuer scripts", an nfcpay extension of PROTOCOL.md 5): the issuer's
 * APPLICATION BLOCK / UNBLOCK for one card, MAC'd under that card's maintenance key over the challenge the card just
 * gave, and recorded in {@code issuer_script} in the same transaction. A hot-listed card may be blocked, never unblocked.
 */
final class IssuerScripts {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte CLA = (byte) 0x84;
    private static final byte INS_BLOCK = (byte) 0x1E;
    private static final byte INS_UNBLOCK = (byte) 0x18;
    private static final byte MAC_LENGTH = 4;

    /** The actions the host MACs, and the header each one is: CLA INS P1 P2 Lc (docs/protocol.md 3.6). */
    enum Action {
        BLOCK("block", INS_BLOCK, (byte) 0x00),
        BLOCK_PERMANENT("block_permanent", INS_BLOCK, (byte) 0x01),
        UNBLOCK("unblock", INS_UNBLOCK, (byte) 0x00);

        final String wire;
        final byte ins;
        final byte p2;

        Action(String wire, byte ins, byte p2) {
            this.wire = wire;
            this.ins = ins;
            this.p2 = p2;
        }

        byte[] header() {
            return new byte[] {CLA, ins, 0x00, p2, MAC_LENGTH};
        }

        static Action of(String wire) {
            for (Action a : values()) {
                if (a.wire.equals(wire)) {
                    return a;
                }
            }
            return null;
        }
    }

    private final DataSource ds;
    private final KeyService keys;

    IssuerScripts(DataSource ds, KeyService keys) {
        this.ds = ds;
        this.keys = keys;
    }

    Map<String, Object> issue(Principal who, JsonNode body) {
        who.requireAdmin();
        String serial;
        String challenge;
        Action action;
        try {
            Fields f = new Fields(body);
            serial = Fields.cardSerial(body.path("card_serial").isTextual() ? body.get("card_serial").textValue() : null);
            challenge = f.hex("challenge", 4);
            JsonNode a = body.get("action");
            action = a != null && a.isTextual() ? Action.of(a.textValue()) : null;
            if (action == null) {
                throw new Fields.Malformed("action must be \"block\", \"block_permanent\" or \"unblock\"");
            }
        } catch (Fields.Malformed e) {
            throw ApiException.malformed(e.getMessage());
        }
        if (!keys.hasMaintenanceKey()) {
            throw new ApiException(503, "no_maintenance_key",
                    "this host holds no maintenance master key (mamk in its key file): it MACs no issuer script");
        }
        String by = who.admin() ? "admin" : "terminal " + who.terminalId();
        return Tx.run(ds, c -> {
            boolean listed = HotList.isListed(c, serial);
            if (listed && action == Action.UNBLOCK) {
                throw new ApiException(403, "hotlisted", "card " + Masks.serial(serial)
                        + " is on the hot list: the host unblocks no hot-listed card");
            }
            byte[] header = action.header();
            byte[] mac = keys.issuerScriptMac(Fields.bytes(serial), Fields.bytes(challenge), header);
            String apdu = HEX.formatHex(header) + HEX.formatHex(mac);
            long id;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO issuer_script (card_serial, action, challenge, apdu,"
                    + " hotlisted, issued_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
                s.setString(1, serial);
                s.setString(2, action.wire);
                s.setString(3, challenge);
                s.setString(4, apdu);
                s.setBoolean(5, listed);
                s.setString(6, by);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    id = r.getLong(1);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("script_id", id);
            out.put("card_serial", serial);
            out.put("action", action.wire);
            out.put("apdu", apdu);
            return out;
        });
    }
}

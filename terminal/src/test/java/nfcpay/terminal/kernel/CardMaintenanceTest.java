package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.CardDataException;
import nfcpay.terminal.apdu.StatusWordException;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.issuer.IssuerHost.ScriptAction;
import nfcpay.terminal.testing.InProcessIssuer;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.Transports;
import org.junit.jupiter.api.Test;

/** The operator's issuer script relayed by the terminal (docs/protocol.md 3.6) on jcardsim. */
class CardMaintenanceTest {

    private static final byte[] TERMINAL = {0, 0x11, 0x22, 0x33, 0x44, 0x55};

    private final SimulatedSim sim = SimulatedSim.builder().card("Daily", 1_500).build();
    private final String daily = sim.card("Daily").orElseThrow().aidHex();
    private final List<String> trace = new ArrayList<>();

    private CardMaintenance.Result run(IssuerHost host, ScriptAction action) throws TerminalException {
        try (Transport t = Transports.stack(Readers.connect(sim.terminal()), trace::add)) {
            return CardMaintenance.run(t, daily, host, action);
        }
    }

    @Test
    void blockThenUnblockAndTheTraceMasksTheMac() throws TerminalException {
        InProcessIssuer host = new InProcessIssuer(TERMINAL);
        CardMaintenance.Result blocked = run(host, ScriptAction.BLOCK);
        assertThat(blocked.before()).isEqualTo(CardMaintenance.State.ACTIVE);
        assertThat(blocked.after()).isEqualTo(CardMaintenance.State.BLOCKED);
        CardMaintenance.Result unblocked = run(host, ScriptAction.UNBLOCK);
        assertThat(unblocked.before()).isEqualTo(CardMaintenance.State.BLOCKED);
        assertThat(unblocked.after()).isEqualTo(CardMaintenance.State.ACTIVE);
        assertThat(trace).anyMatch(l -> l.startsWith(">> 841E000004")).anyMatch(l -> l.startsWith(">> 8418000004"))
                .noneMatch(l -> l.matches(">> 84(1E|18)0000 ?04[0-9A-F]{8}"));
    }

    /** A host that answers another command than the one asked for: the terminal sends nothing to the card. */
    @Test
    void aScriptForAnotherActionIsNeverSent() throws TerminalException {
        InProcessIssuer genuine = new InProcessIssuer(TERMINAL);
        IssuerHost swapping = new IssuerHost() {
            @Override
            public IssuerScript issuerScript(IssuerScriptRequest r) throws nfcpay.terminal.issuer.IssuerHostException {
                return genuine.issuerScript(new IssuerScriptRequest(r.cardSerial(), r.challenge(), ScriptAction.BLOCK_PERMANENT));
            }

            @Override
            public List<String> clear(byte[] terminalId, List<nfcpay.terminal.journal.JournalRecord> purchases) {
                throw new UnsupportedOperationException();
            }

            @Override
            public LoadAuthorization authorizeLoad(LoadAuthorizationRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void confirmLoad(String loadId, byte[] tac) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String loadStatus(String loadId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public HotList hotList() {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> run(swapping, ScriptAction.UNBLOCK)).isInstanceOf(CardDataException.class)
                .hasMessageContaining("not the unblock asked for");
        assertThat(trace).noneMatch(l -> l.startsWith(">> 841E"));
        assertThat(run(genuine, ScriptAction.UNBLOCK).after()).as("not blocked for good").isEqualTo(CardMaintenance.State.ACTIVE);
    }

    @Test
    void aHostWithAnotherMaintenanceKeyGetsTheCardsRefusalExplained() {
        byte[] other = new byte[16];
        IssuerHost wrongKeys = new InProcessIssuer(TERMINAL, new IssuerMasterKeys(other, other, other, other, null, false));
        assertThatThrownBy(() -> run(wrongKeys, ScriptAction.UNBLOCK)).isInstanceOfSatisfying(StatusWordException.class,
                e -> assertThat(CardMaintenance.explain(e)).contains("6988").contains("wrong maintenance key"));
    }
}

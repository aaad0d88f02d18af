package nfcpay.reliability.tearing;

import static nfcpay.reliability.tearing.WalletInvariants.expect;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import nfcpay.crypto.PbocCrypto;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;

/**
 * Issuer scripts (docs/protocol.md 3.6) torn at every persistence event, on a purse that ten wrong MAC1s locked:
 * <ul>
 *   <li>{@link #unblock}: APPLICATION UNBLOCK with the right MAC. Torn anywhere the purse is either still locked (and a
 *       fresh UNBLOCK lifts it) or unblocked with its MAC-failure count at 0 (nine wrong MAC1s then do not lock it);</li>
 *   <li>{@link #tenthWrongMac}: after nine wrong script MACs, a tenth. A wrong script MAC must be counted before it is
 *       compared, as MAC1 is: torn anywhere, either the maintenance key is retired or one more wrong MAC retires it.</li>
 * </ul>
 */
final class ScriptLockScenario implements TearScenario<ScriptLockScenario.State> {

    private static final String PURSE = "Salary Card";
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    record State(TransactionalSim sim, PurseTerminal terminal, CommandAPDU script, HeapSnapshot before) {}

    private final boolean rightMac;
    private final CardClassLoader loader;

    private ScriptLockScenario(boolean rightMac, CardClassLoader loader) {
        this.rightMac = rightMac;
        this.loader = loader;
    }

    static ScriptLockScenario unblock() {
        return new ScriptLockScenario(true, CardClassLoader.genuine());
    }

    static ScriptLockScenario tenthWrongMac() {
        return tenthWrongMac(CardClassLoader.genuine());
    }

    /** On the applets of {@code loader}: a mutant for the controls. */
    static ScriptLockScenario tenthWrongMac(CardClassLoader loader) {
        return new ScriptLockScenario(false, loader);
    }

    @Override
    public String name() {
        return (rightMac ? "APPLICATION UNBLOCK of a MAC-locked purse" : "APPLICATION UNBLOCK, 10th wrong script MAC")
                + (loader.mutations().isEmpty() ? "" : " [control: " + loader.mutations().get(0).description() + "]");
    }

    @Override
    public State prepare() {
        TransactionalSim sim = TransactionalSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .loader(loader).build();
        PurseTerminal t = sim.terminal(sim.card(PURSE));
        t.select();
        for (int i = 0; i < 10; i++) {
            t.debit(t.prepareDebit(t.initializePurchase(100), PurseTerminal.DATE, PurseTerminal.TIME, true));
        }
        if (t.initializePurchase(100).sw() != 0x9303) {
            throw new IllegalStateException("set-up: the purse did not lock");
        }
        if (!rightMac) {
            for (int i = 0; i < 9; i++) {
                challenge(t);
                if (t.send(unblockCommand(new byte[4])).getSW() != 0x6988) {
                    throw new IllegalStateException("set-up script failure " + i + " not 6988");
                }
            }
        }
        byte[] challenge = challenge(t);
        CommandAPDU script = unblockCommand(rightMac ? mac(sim, t, challenge) : new byte[4]);
        return new State(sim, t, script, sim.card().snapshot());
    }

    private static byte[] challenge(PurseTerminal t) {
        return t.send(new CommandAPDU(0x00, 0x84, 0x00, 0x00, 4)).getData();
    }

    private static CommandAPDU unblockCommand(byte[] mac) {
        return new CommandAPDU(0x84, 0x18, 0x00, 0x00, mac);
    }

    private static byte[] mac(TransactionalSim sim, PurseTerminal t, byte[] challenge) {
        byte[] damk = sim.keys().maintenanceKey(t.purse().serial());
        try {
            return PbocCrypto.issuerScriptMac(damk, challenge, HEX.parseHex("8418000004"));
        } finally {
            PbocCrypto.wipe(damk);
        }
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        s.terminal().send(s.script());
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        PurseTerminal t = s.terminal();
        t.select();
        if (rightMac) {
            boolean unblocked = t.initializePurchase(100).sw() == 0x9000;
            t.select();
            if (unblocked) {
                for (int i = 1; i < 10; i++) {
                    int sw = t.debit(t.prepareDebit(t.initializePurchase(1), PurseTerminal.DATE, PurseTerminal.TIME, true)).sw();
                    expect(v, sw == 0x9302, "unblocked, but wrong MAC1 " + i + " answers " + Integer.toHexString(sw));
                }
            } else {
                expect(v, !completed, "UNBLOCK ran to its end and the purse is still locked");
                int sw = t.send(unblockCommand(mac(s.sim(), t, challenge(t)))).getSW();
                expect(v, sw == 0x9000, "still locked, and a fresh UNBLOCK answers " + Integer.toHexString(sw));
            }
            return new Outcome(unblocked, v);
        }
        // The right MAC now tells whether the torn wrong one was counted: the tenth retires the maintenance key.
        int sw = t.send(unblockCommand(mac(s.sim(), t, challenge(t)))).getSW();
        boolean counted = sw == 0x6983;
        if (counted) {
            expect(v, t.initializePurchase(100).sw() == 0x9303, "the key retired, but the purse's MAC lock changed");
        } else {
            expect(v, sw == 0x9000, "the right script MAC answers " + Integer.toHexString(sw));
            expect(v, !completed, "the wrong script MAC ran to its end uncounted: a tear gave back a script MAC try");
        }
        return new Outcome(counted, v);
    }
}

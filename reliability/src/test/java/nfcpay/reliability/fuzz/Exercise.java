package nfcpay.reliability.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.SimAssembly;
import nfcpay.card.link.Link;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.crypto.PersoSession;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.Bcd;
import nfcpay.sim.Personalizer;
import nfcpay.sim.SimCard;

/**
 * Runs fuzzed actions against a SIM and holds every answer to the contract:
 * <ul>
 *   <li>no SW is 6F00 (an uncaught exception) or outside the status words of PROTOCOL.md and
 *       docs/protocol.md (a raw exception reason would be);</li>
 *   <li>a rejected command (any SW but 9000, 61xx and 6310) changes no persistent value, except those
 *       the contract says it does: the MAC failure count and lock (9302/9303), the expired flag (6985),
 *       one try of the holder PIN (63Cx);</li>
 *   <li>money moves only by a signed session the card answered with the right MAC2/TAC, and then by
 *       exactly its amount: the sum of the purses' balances is checked at the end;</li>
 *   <li>smart selection picks what the balances say (first covering purse in priority order).</li>
 * </ul>
 * Violations are thrown as {@link AssertionError}, which Jazzer and the seeded properties both report as findings.
 */
final class Exercise {

    /**
     * Every status word the contract lets the SIM answer (the holder commands' of docs/protocol.md 5.8
     * included), plus jcardsim's own for "no applet selected" (6986) and a failed SELECT (6999).
     */
    static final Set<Integer> DEFINED = Set.of(0x9000, 0x6700, 0x6A86, 0x6D00, 0x6E00, 0x6985, 0x6901, 0x9302,
            0x9303, 0x9403, 0x9401, 0x9406, 0x6A80, 0x6A81, 0x6A82, 0x6A83, 0x6A84, 0x6A88, 0x6986, 0x6999,
            0x6310, 0x63C0, 0x63C1, 0x63C2, 0x6982, 0x6983, 0x6984,
            // The purse's issuer scripts (docs/protocol.md 3.6): a wrong script MAC; SELECT of a blocked purse.
            0x6988, 0x6283);

    private static final byte[] UNKNOWN_AID = Bytes.hex("F0FFFFFFFF01");
    /** jcardsim's short APDU buffer (javacard.framework.APDU.BUFFER_SIZE). */
    private static final int JCARDSIM_APDU_BUFFER = 260;

    /** Commands sent by every exercise in this JVM, for the figures the properties print. */
    static final java.util.concurrent.atomic.AtomicLong TOTAL_COMMANDS = new java.util.concurrent.atomic.AtomicLong();
    /** Signed sessions the card accepted (and whose MAC2/TAC verified), and holder commands that changed the wallet. */
    static final java.util.concurrent.atomic.AtomicLong ACCEPTED_PURCHASES = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong ACCEPTED_LOADS = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong HOLDER_CHANGES = new java.util.concurrent.atomic.AtomicLong();

    /** One line of the figures above, for the fuzz tests to print when they end. */
    static String figures() {
        return TOTAL_COMMANDS.get() + " commands, " + ACCEPTED_PURCHASES.get() + " purchases and " + ACCEPTED_LOADS.get()
                + " loads accepted and verified, " + HOLDER_CHANGES.get() + " holder commands that changed the wallet";
    }

    private final TransactionalSim sim;
    private final SimCard purse;
    private final PurseTerminal terminal;
    private final boolean keysKnown;
    /** What each purse must hold: read at the start, then moved only by verified sessions. */
    private final java.util.Map<String, Long> balances = new java.util.LinkedHashMap<>();
    private long expectedTotal;
    /**
     * Set once a holder command changed the order, the activation or the policy: the smart-selection oracle
     * knows only the installed wallet (PRIORITY, every card active) and stands down for the rest of the input.
     */
    private boolean walletChanged;
    /** The most DGI bytes one STORE DATA carries: 255 less the C-MAC. */
    static final int STORE_DATA_MAX = 255 - PersoSession.MAC_LENGTH;
    /** The bureau's personalization session with the card, or null ({@link Action.StoreData}). */
    private PersoSession perso;

    /**
     * @param keysKnown the purse holds the keys the SIM's issuer derives (false when the fuzzer itself
     *     personalizes it and may have put other keys in, as a bureau may: then a TAC or MAC1 the
     *     terminal cannot verify is no finding, but an accepted forged or out-of-session command still is)
     */
    Exercise(TransactionalSim sim, SimCard purse, boolean keysKnown) {
        this.sim = sim;
        this.purse = purse;
        this.terminal = sim.terminal(purse);
        this.keysKnown = keysKnown;
    }

    /** Runs {@code actions} after selecting {@code start} (see {@link Action.Select}); checks the totals at the end. */
    void run(int start, List<Action> actions) {
        for (SimCard c : sim.cards()) {
            balances.put(c.aidHex(), Math.max(balanceOf(c), 0));
        }
        expectedTotal = total();
        act(new Action.Select(start));
        for (Action action : actions) {
            act(action);
        }
        long total = total();
        if (total != expectedTotal) {
            throw new AssertionError("balances sum to " + total + ", expected " + expectedTotal);
        }
        for (SimCard c : sim.cards()) {
            long b = Math.max(balanceOf(c), 0);
            if (b != balances.get(c.aidHex())) {
                throw new AssertionError(c.label() + " holds " + b + ", expected " + balances.get(c.aidHex()));
            }
        }
    }

    private void act(Action action) {
        if (action instanceof Action.StoreData d) {
            storeData(d);
            return;
        }
        perso = null;
        if (action instanceof Action.Raw raw) {
            send(raw(raw.bytes()));
        } else if (action instanceof Action.Command c) {
            send(build(c.cla(), c.ins(), c.p1(), c.p2(), c.data(), c.ne()));
        } else if (action instanceof Action.Select s) {
            send(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, selectTarget(s.target()), 256));
        } else if (action instanceof Action.Gpo g) {
            gpo(g);
        } else if (action instanceof Action.Session s) {
            session(s);
        } else if (action instanceof Action.Holder h) {
            holder(h);
        }
    }

    /** The bureau's STORE DATA, in the session this exercise holds with the card, opened when there is none. */
    private void storeData(Action.StoreData d) {
        if (perso == null) {
            ResponseAPDU init = send(Personalizer.initializePersonalization());
            if (init.getSW() != 0x9000) {
                return;
            }
            byte[] kperso = sim.keys().personalizationKey(purse.serial());
            try {
                perso = new PersoSession(kperso, IssuerMasterKeys.PERSONALIZATION_KEY_VERSION, init.getData());
            } finally {
                Arrays.fill(kperso, (byte) 0);
            }
        }
        byte[] data;
        try {
            data = perso.encryptSecrets(d.p2(), d.data());
        } catch (IllegalArgumentException malformed) {
            data = d.data();
        }
        // Secret DGIs grow by their padding; the C-MAC must still fit a short APDU.
        data = Arrays.copyOf(data, Math.min(data.length, STORE_DATA_MAX));
        int p1 = d.p1() == 0x00 || d.p1() == 0x80 ? d.p1() | PersoSession.P1_DGIS : d.p1();
        ResponseAPDU r = send(new CommandAPDU(perso.command(p1, d.p2(), data)));
        if (r.getSW() != 0x9000 || (p1 & PersoSession.P1_LAST) != 0) {
            perso = null;
        }
    }

    private byte[] selectTarget(int target) {
        switch (Math.floorMod(target, 4)) {
            case 0: return purse.aid();
            case 1: return SimAssembly.ppseAid();
            case 2: return sim.cards().get(0).aid();
            default: return UNKNOWN_AID;
        }
    }

    /** Sends one command, checks its SW and, when it is rejected, that nothing persistent changed. */
    ResponseAPDU send(CommandAPDU command) {
        if (command.getBytes().length > JCARDSIM_APDU_BUFFER) {
            // 255 data bytes and an Le do not fit jcardsim's 260-byte APDU buffer: it answers 6F00 before
            // any applet runs. Send the case 3 form, which reaches the applet with all its data.
            command = new CommandAPDU(command.getCLA(), command.getINS(), command.getP1(), command.getP2(), command.getData());
        }
        TransactionalCard card = sim.card();
        HeapSnapshot before = card.snapshot();
        ResponseAPDU response = card.transmit(command);
        TOTAL_COMMANDS.incrementAndGet();
        int sw = response.getSW();
        String what = Bytes.hex(command.getBytes()) + " -> " + String.format("%04X", sw);
        if (!DEFINED.contains(sw) && (sw & 0xFF00) != 0x6100) {
            throw new AssertionError("undefined status word: " + what);
        }
        if (sw != 0x9000 && (sw & 0xFF00) != 0x6100 && sw != 0x6310) {
            for (HeapSnapshot.Change change : card.snapshot().diff(before)) {
                if (!allowedOnRejection(change, sw)) {
                    throw new AssertionError("rejected command changed " + change + ": " + what);
                }
            }
        }
        return response;
    }

    /**
     * docs/protocol.md 3.2 and 3.4: a wrong MAC counts (9302) and the failure reaching the limit locks
     * (9303); a right MAC resets the count as soon as it is verified, even when the date (6985, which
     * may also mark the purse expired) or the amount (9401, 6985) is refused after it. 5.1: a wrong
     * holder PIN (63Cx) spends one try.
     */
    private static boolean allowedOnRejection(HeapSnapshot.Change change, int sw) {
        String slot = change.slot();
        if ((sw & 0xFFF0) == 0x63C0) {
            return slot.equals("OwnerPIN.tries") && (byte) change.before() - (byte) change.after() == 1
                    && (byte) change.after() == (sw & 0x0F);
        }
        if (sw == 0x9302 || sw == 0x9303) {
            return slot.equals("PurseApplet.macFailures") || slot.equals("PurseApplet.locked");
        }
        boolean countReset = slot.equals("PurseApplet.macFailures") && Byte.valueOf((byte) 0).equals(change.after());
        return (sw == 0x6985 || sw == 0x9401) && (countReset || slot.equals("PurseApplet.expired"));
    }

    private void gpo(Action.Gpo g) {
        byte[] data = PbocCrypto.concat(new byte[] {(byte) 0x83, 0x0D}, fit(g.amount(), 6), fit(g.currency(), 2),
                new byte[] {(byte) g.type()}, Bytes.hex("01020304"));
        int p1p2 = g.p1p2() & 0xFFFF;
        ResponseAPDU r = send(new CommandAPDU(0x80, 0xA8, p1p2 >> 8, p1p2 & 0xFF, data, 256));
        if (r.getSW() == 0x9000 && !walletChanged) {
            String chosen = Ppse.chosenAid(r);
            String expected = expectedChoice(fit(g.amount(), 6), fit(g.currency(), 2));
            if (!java.util.Objects.equals(chosen, expected)) {
                throw new AssertionError("GPO for " + Bytes.hex(fit(g.amount(), 6)) + " chose " + chosen + ", expected " + expected);
            }
        }
    }

    /** PRIORITY policy over the tracked balances of the active purses; null when none covers. */
    private String expectedChoice(byte[] amountBcd, byte[] currency) {
        long amount = Long.parseLong(Bytes.hex(amountBcd));
        for (SimCard c : sim.cards()) {
            boolean active = !Boolean.TRUE.equals(sim.card().peek(c.aidHex(), "locked"))
                    && !Boolean.TRUE.equals(sim.card().peek(c.aidHex(), "expired"))
                    && Boolean.TRUE.equals(sim.card().peek(c.aidHex(), "personalized"));
            if (active && Bytes.hex(Bcd.currency(c.currency())).equals(Bytes.hex(currency))
                    && balances.get(c.aidHex()) >= amount) {
                return c.aidHex();
            }
        }
        return null;
    }

    private void holder(Action.Holder h) {
        String right = TransactionalSim.DEFAULT_HOLDER_PIN;
        if (h.verifyFirst()) {
            send(nfcpay.reliability.sim.Holder.verify(right));
        }
        List<SimCard> cards = sim.cards();
        byte[] unknown = PbocCrypto.concat(new byte[] {0x4F, (byte) UNKNOWN_AID.length}, UNKNOWN_AID);
        CommandAPDU command = switch (h.command()) {
            case 0 -> h.rightPin() ? nfcpay.reliability.sim.Holder.verify(right)
                    : new CommandAPDU(0x00, 0x20, 0x00, 0x80, h.data());
            case 1 -> new CommandAPDU(0x00, 0x24, 0x00, 0x80, PbocCrypto.concat(
                    h.rightPin() ? nfcpay.reliability.sim.Holder.pinBlock(right) : h.data(),
                    nfcpay.reliability.sim.Holder.pinBlock(String.format("%04d", (h.a() << 8 | h.b()) % 10_000))));
            case 2 -> h.a() % (cards.size() + 1) == cards.size()
                    ? new CommandAPDU(0x80, 0xF0, 0x01, h.b() & 1, unknown)
                    : nfcpay.reliability.sim.Holder.setStatus(cards.get(h.a() % (cards.size() + 1)), (h.b() & 1) != 0);
            case 3 -> {
                List<SimCard> order = new java.util.ArrayList<>();
                for (int i = 0; i < 1 + h.a() % (cards.size() + 1); i++) {
                    order.add(cards.get((h.data()[i % h.data().length] & 0xFF) % cards.size()));
                }
                yield nfcpay.reliability.sim.Holder.setOrder(order);
            }
            case 4 -> new CommandAPDU(0x80, 0xF6, h.a(), h.b() & 1, 256);
            case 5 -> new CommandAPDU(0x80, 0xF2, 0x40, h.b(), PbocCrypto.concat(new byte[] {0x4F, (byte) (h.a() % 8)},
                    java.util.Arrays.copyOf(cards.get(0).aid(), h.a() % 8)), 256);
            default -> new CommandAPDU(0x80, 0xCA, 0x00, 0xA5, 256);
        };
        ResponseAPDU r = send(command);
        if (r.getSW() == 0x9000 && h.command() >= 1 && h.command() <= 4) {
            walletChanged = true;
            HOLDER_CHANGES.incrementAndGet();
        }
    }

    private void session(Action.Session s) {
        long amount = s.amount() & 0xFFFFFFFFL;
        if (s.fitAmount()) {
            // what the purse can pay, or take under the default maximum balance: mutated amounts keep succeeding
            amount = s.purchase() ? 1 + amount % Math.max(1, balances.get(purse.aidHex())) : 1 + amount % 100_000;
        }
        if (s.corruption() == 2) {
            // the second command alone, with a MAC over a session the card never opened
            PurseTerminal.Initialize fake = new PurseTerminal.Initialize(s.purchase(), amount, null,
                    new ResponseAPDU(PbocCrypto.concat(new byte[16], Bytes.hex("9000"))));
            send(s.purchase() ? terminal.prepareDebit(fake, s.date(), s.time(), false).debit()
                    : terminal.prepareCredit(fake, s.date(), s.time(), false).credit());
            return;
        }
        PurseTerminal t = new PurseTerminal(this::send, purse, sim.keys(), fit(s.terminalId(), 6));
        if (s.serial() >= 0) {
            t.nextTerminalSerial(s.serial());
        }
        PurseTerminal.Initialize init = s.purchase() ? t.initializePurchase(amount) : t.initializeLoad(amount);
        if (init.sw() != 0x9000) {
            return;
        }
        if (s.corruption() == 3) {
            send(new CommandAPDU(0x80, 0x5C, 0x00, 0x02, 4));
        }
        boolean wrongMac = s.corruption() == 1;
        if (s.purchase()) {
            PurseTerminal.Purchase.Result r = t.debit(t.prepareDebit(init, s.date(), s.time(), wrongMac));
            if (r.sw() == 0x9000) {
                if (wrongMac || s.corruption() == 3 || (keysKnown && !r.verified())) {
                    throw new AssertionError("DEBIT accepted without a right MAC1, or answered a wrong TAC/MAC2");
                }
                expectedTotal -= amount;
                balances.merge(purse.aidHex(), -amount, Long::sum);
                ACCEPTED_PURCHASES.incrementAndGet();
            }
        } else {
            PurseTerminal.Load.Result r = t.credit(t.prepareCredit(init, s.date(), s.time(), wrongMac));
            if (r.sw() == 0x9000) {
                if (wrongMac || s.corruption() == 3 || (keysKnown && !r.verified())) {
                    throw new AssertionError("CREDIT accepted without a right MAC2, or answered a wrong TAC/MAC1");
                }
                expectedTotal += amount;
                balances.merge(purse.aidHex(), amount, Long::sum);
                ACCEPTED_LOADS.incrementAndGet();
            }
        }
    }

    private long total() {
        long total = 0;
        for (SimCard c : sim.cards()) {
            long b = balanceOf(c);
            total += Math.max(b, 0);
        }
        return total;
    }

    /** GET BALANCE of a purse, without the oracles (selects it; the caller's selection is lost). */
    private long balanceOf(SimCard c) {
        PurseTerminal t = sim.terminal(c);
        t.select();
        return t.balance();
    }

    private static CommandAPDU raw(byte[] bytes) {
        try {
            return new CommandAPDU(bytes);
        } catch (IllegalArgumentException e) {
            byte[] header = java.util.Arrays.copyOf(bytes, 4);
            byte[] data = bytes.length > 4 ? java.util.Arrays.copyOfRange(bytes, 4, Math.min(bytes.length, 259)) : new byte[0];
            return new CommandAPDU(header[0] & 0xFF, header[1] & 0xFF, header[2] & 0xFF, header[3] & 0xFF, data);
        }
    }

    private static CommandAPDU build(int cla, int ins, int p1, int p2, byte[] data, int ne) {
        byte[] d = data.length > 255 ? java.util.Arrays.copyOf(data, 255) : data;
        return new CommandAPDU(cla & 0xFF, ins & 0xFF, p1 & 0xFF, p2 & 0xFF, d, Math.floorMod(ne, 257));
    }

    private static byte[] fit(byte[] bytes, int length) {
        return java.util.Arrays.copyOf(bytes, length);
    }
}

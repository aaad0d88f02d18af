package nfcpay.reliability.fuzz;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nfcpay.card.Wire;
import nfcpay.reliability.runtime.CardTornException;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.SimCard;

/**
 * Balance conservation over a sequence of money moves on all three purses of the demo wallet: authorized
 * loads and purchases, forged ones (wrong MAC), replays of the last accepted DEBIT or CREDIT, and
 * authorized ones torn at a persistence event and reconciled the way the terminal does (PROTOCOL.md 4:
 * the counter after a re-tap, then GET TRANSACTION PROVE). After every move each purse must hold exactly
 * its start balance plus the loads minus the purchases that the card confirmed, so the sum of balances
 * changes only by authorized loads and debits.
 */
final class Conservation {

    enum Kind { AUTHORIZED, WRONG_MAC, REPLAY, TORN }

    /** TORN at this point: the command completes, but its response never reaches the terminal. */
    static final int RESPONSE_LOST = 15;

    /**
     * One move: on purse 0..2, a purchase or a load of {@code amount}; for TORN, {@code tearAt} mod 16
     * is the persistence event the power goes at ({@link #RESPONSE_LOST}: after the last one).
     */
    record Move(int purse, boolean purchase, long amount, Kind kind, int tearAt) {}

    private final TransactionalSim sim;
    private final Map<String, Long> expected = new HashMap<>();
    private final Map<String, PurseTerminal> terminals = new HashMap<>();
    private javax.smartcardio.CommandAPDU lastAccepted;
    private SimCard lastAcceptedPurse;
    private boolean lastAcceptedPurchase;
    private long lastAcceptedAmount;
    /** Moves the card confirmed, over every run in this JVM, for the figures the properties print. */
    static final java.util.concurrent.atomic.AtomicLong TOTAL_MOVED = new java.util.concurrent.atomic.AtomicLong();

    Conservation(TransactionalSim sim) {
        this.sim = sim;
        for (SimCard c : sim.cards()) {
            expected.put(c.aidHex(), sim.balance(c));
            terminals.put(c.aidHex(), sim.terminal(c));
        }
    }

    void run(List<Move> moves) {
        for (Move move : moves) {
            apply(move);
            for (SimCard c : sim.cards()) {
                long actual = sim.balance(c);
                if (actual != expected.get(c.aidHex())) {
                    throw new AssertionError(c.label() + " holds " + actual + ", expected " + expected.get(c.aidHex())
                            + " after " + move);
                }
            }
        }
    }

    private void apply(Move m) {
        SimCard purse = sim.cards().get(Math.floorMod(m.purse(), sim.cards().size()));
        PurseTerminal t = terminals.get(purse.aidHex());
        t.select();
        switch (m.kind()) {
            case AUTHORIZED -> {
                if (authorized(t, m.purchase(), m.amount())) {
                    confirm(purse, m.purchase(), m.amount());
                }
            }
            case WRONG_MAC -> {
                PurseTerminal.Initialize init = m.purchase() ? t.initializePurchase(m.amount()) : t.initializeLoad(m.amount());
                if (init.sw() == 0x9000) {
                    int sw = m.purchase() ? t.debit(t.prepareDebit(init, PurseTerminal.DATE, PurseTerminal.TIME, true)).sw()
                            : t.credit(t.prepareCredit(init, PurseTerminal.DATE, PurseTerminal.TIME, true)).sw();
                    if (sw == 0x9000) {
                        throw new AssertionError("a forged " + (m.purchase() ? "DEBIT" : "CREDIT") + " was accepted");
                    }
                }
            }
            case REPLAY -> {
                if (lastAccepted == null) {
                    return;
                }
                PurseTerminal victim = terminals.get(lastAcceptedPurse.aidHex());
                victim.select();
                // replayed alone (no session), then after a fresh INITIALIZE for the same amount
                expectRefused(victim.send(lastAccepted).getSW(), "replayed without a session");
                PurseTerminal.Initialize init = lastAcceptedPurchase ? victim.initializePurchase(lastAcceptedAmount)
                        : victim.initializeLoad(lastAcceptedAmount);
                if (init.sw() == 0x9000) {
                    expectRefused(victim.send(lastAccepted).getSW(), "replayed after a new INITIALIZE");
                }
            }
            case TORN -> torn(purse, t, m);
            default -> throw new IllegalStateException();
        }
    }

    private boolean authorized(PurseTerminal t, boolean purchase, long amount) {
        if (purchase) {
            PurseTerminal.Purchase.Result r = t.purchase(amount);
            if (r.sw() == 0x9000 && !r.verified()) {
                throw new AssertionError("DEBIT answered a TAC/MAC2 the terminal does not verify");
            }
            if (r.verified()) {
                remember(t.purse(), true, amount, r.purchase().debit());
            }
            return r.verified();
        }
        PurseTerminal.Load.Result r = t.load(amount);
        if (r.sw() == 0x9000 && !r.verified()) {
            throw new AssertionError("CREDIT answered a TAC or MAC1 the issuer does not verify");
        }
        if (r.verified()) {
            remember(t.purse(), false, amount, r.load().credit());
        }
        return r.verified();
    }

    private void torn(SimCard purse, PurseTerminal t, Move m) {
        PurseTerminal.State before = t.state();
        PurseTerminal.Initialize init = m.purchase() ? t.initializePurchase(m.amount()) : t.initializeLoad(m.amount());
        if (init.sw() != 0x9000) {
            return;
        }
        boolean loseResponse = Math.floorMod(m.tearAt(), 16) == RESPONSE_LOST;
        if (!loseResponse) {
            sim.card().tearAfter(Math.floorMod(m.tearAt(), 16));
        }
        boolean torn = false;
        byte[] proof;
        if (m.purchase()) {
            PurseTerminal.Purchase p = t.prepareDebit(init, PurseTerminal.DATE, PurseTerminal.TIME, false);
            proof = p.expectedProof();
            try {
                t.debit(p);
            } catch (CardTornException e) {
                torn = true;
            } finally {
                sim.card().disarm();
            }
        } else {
            PurseTerminal.Load l = t.prepareCredit(init, PurseTerminal.DATE, PurseTerminal.TIME, false);
            proof = l.expectedProof();
            try {
                t.credit(l);
            } catch (CardTornException e) {
                torn = true;
            } finally {
                sim.card().disarm();
            }
        }
        if (!torn && !loseResponse) {
            confirm(purse, m.purchase(), m.amount());
            return;
        }
        if (loseResponse) {
            sim.card().powerCycle();
        }
        // the terminal's recovery: tap again, compare the counter, ask for the proof
        t.select();
        PurseTerminal.State after = t.state();
        int counterBefore = m.purchase() ? before.offlineCounter() : before.onlineCounter();
        int counterAfter = m.purchase() ? after.offlineCounter() : after.onlineCounter();
        int type = m.purchase() ? Wire.TRANSACTION_PURCHASE : Wire.TRANSACTION_LOAD;
        if (counterAfter == counterBefore + 1) {
            javax.smartcardio.ResponseAPDU prove = t.prove(type, counterBefore);
            if (!Bytes.hex(prove.getBytes()).equals(Bytes.hex(proof) + "9000")) {
                throw new AssertionError("the counter moved but GET TRANSACTION PROVE answers " + Bytes.hex(prove.getBytes()));
            }
            confirm(purse, m.purchase(), m.amount());
        } else if (counterAfter != counterBefore) {
            throw new AssertionError("counter " + counterAfter + " after " + counterBefore);
        } else if (t.prove(type, counterBefore).getSW() != 0x9406) {
            throw new AssertionError("a proof for a transaction that did not happen");
        }
    }

    private void confirm(SimCard purse, boolean purchase, long amount) {
        expected.merge(purse.aidHex(), purchase ? -amount : amount, Long::sum);
        TOTAL_MOVED.incrementAndGet();
    }

    private void remember(SimCard purse, boolean purchase, long amount, javax.smartcardio.CommandAPDU command) {
        lastAccepted = command;
        lastAcceptedPurse = purse;
        lastAcceptedPurchase = purchase;
        lastAcceptedAmount = amount;
    }

    private static void expectRefused(int sw, String what) {
        if (sw == 0x9000) {
            throw new AssertionError("a recorded command " + what + " was accepted again");
        }
    }

}

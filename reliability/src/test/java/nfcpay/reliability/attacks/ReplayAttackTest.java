package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;
import org.junit.jupiter.api.Test;

/**
 * Replay: an eavesdropper records a complete purchase (INITIALIZE + DEBIT) or load (INITIALIZE + CREDIT)
 * and sends the recorded commands again, alone or after the recorded INITIALIZE. The card's random and
 * its transaction counter key every session, so the recorded MAC no longer verifies: the money moves once.
 *
 * <p>Guards the card random drawn in PurseApplet.openSession (line 347) and the counter increments inside
 * the money transactions (processDebit line 395, processCredit line 454), which both go into the session
 * key; and the pending-session check (processDebit line 361, processCredit line 423).
 */
class ReplayAttackTest {

    static List<String> replayDebit(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        PurseTerminal t = sim.terminal(sim.card("Salary Card"));
        t.select();
        long before = t.balance();
        PurseTerminal.Purchase.Result recorded = t.purchase(1_000);
        breach(breaches, !recorded.verified(), "the recorded purchase itself failed");
        // the attacker's terminal: the recorded bytes only
        int alone = t.send(recorded.purchase().debit()).getSW();
        breach(breaches, alone == 0x9000, "a replayed DEBIT alone was accepted");
        t.select();
        t.send(recorded.purchase().init().command());
        int again = t.send(recorded.purchase().debit()).getSW();
        breach(breaches, again == 0x9000, "a replayed INITIALIZE + DEBIT was accepted");
        breach(breaches, t.balance() != before - 1_000, "balance " + t.balance() + " after one purchase of 1000 from " + before);
        return breaches;
    }

    static List<String> replayCredit(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        PurseTerminal t = sim.terminal(sim.card("Salary Card"));
        t.select();
        long before = t.balance();
        PurseTerminal.Load.Result recorded = t.load(5_000);
        breach(breaches, !recorded.verified(), "the recorded load itself failed");
        int alone = t.send(recorded.load().credit()).getSW();
        breach(breaches, alone == 0x9000, "a replayed CREDIT alone was accepted");
        t.select();
        t.send(recorded.load().init().command());
        int again = t.send(recorded.load().credit()).getSW();
        breach(breaches, again == 0x9000, "a replayed INITIALIZE + CREDIT was accepted");
        breach(breaches, t.balance() != before + 5_000, "balance " + t.balance() + " after one load of 5000 onto " + before);
        return breaches;
    }

    /** A purse whose sessions repeat: no card random, no counter increment. */
    private static TransactionalSim predictable(String moneyMethod) {
        return Wallets.without(
                Mutation.replaceCall(Wallets.PURSE, "openSession", "javacard.security.RandomData", "nextBytes", 0, "no card random"),
                Mutation.replaceCall(Wallets.PURSE, moneyMethod, "javacard.framework.Util", "setShort", 0, "no counter increment"));
    }

    @Test
    void aRecordedDebitIsRefusedWhenReplayed() {
        assertThat(replayDebit(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheCardRandomAndCounterARecordedDebitIsPaidTwice() {
        assertThat(replayDebit(predictable("processDebit"))).anyMatch(b -> b.contains("INITIALIZE + DEBIT was accepted"));
    }

    @Test
    void aRecordedCreditIsRefusedWhenReplayed() {
        assertThat(replayCredit(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheCardRandomAndCounterARecordedCreditIsLoadedTwice() {
        assertThat(replayCredit(predictable("processCredit"))).anyMatch(b -> b.contains("INITIALIZE + CREDIT was accepted"));
    }
}

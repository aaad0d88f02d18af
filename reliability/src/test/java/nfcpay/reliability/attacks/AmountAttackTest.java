package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;
import org.junit.jupiter.api.Test;

/**
 * Amounts beyond a 4-byte balance. The GPO amount is 12 BCD digits and can exceed FFFFFFFF fen; a card
 * that truncated it would cover 2^32 + 100 fen with 1.00. A load onto a purse whose maximum is FFFFFFFF
 * must not wrap its balance round to a small number, and a purchase above the balance must not wrap it
 * round to a huge one.
 *
 * <p>Guards SelectorApplet.processGetProcessingOptions: {@code if (!bcdToBinary(...)) 9401} (lines
 * 351-352); PurseApplet: the carry of {@code UInt32.add} in initializeLoad (line 318) and processCredit
 * (line 437); {@code balance < amount -> 9401} in initializePurchase (line 300-301) and the borrow of
 * {@code UInt32.subtract} in processDebit (lines 380-381).
 */
class AmountAttackTest {

    static List<String> gpoBeyondFourBytes(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        long beyond = 0x1_0000_0000L + 100;
        String chosen = Ppse.chosenAid(sim.ppse().choose(beyond, Ppse.CNY));
        breach(breaches, chosen != null, beyond + " fen went to " + chosen);
        return breaches;
    }

    private static TransactionalSim nearlyFull(CardClassLoader loader) {
        return TransactionalSim.builder().loader(loader).card("Full Card", 0xFFFF_FF00L, TransactionalSim.CNY, 0xFFFF_FFFFL).build();
    }

    static List<String> loadBeyondFourBytes(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        PurseTerminal t = sim.terminal(sim.card("Full Card"));
        t.select();
        long before = t.balance();
        PurseTerminal.Load.Result load = t.load(0x200);
        breach(breaches, load.sw() == 0x9000, "a load past FFFFFFFF was accepted");
        breach(breaches, t.balance() != before, "the balance wrapped to " + Long.toHexString(t.balance()));
        return breaches;
    }

    static List<String> purchaseBeyondBalance(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        PurseTerminal t = sim.terminal(sim.card("Daily Wallet"));
        t.select();
        long before = t.balance();
        PurseTerminal.Purchase.Result purchase = t.purchase(before + 1);
        breach(breaches, purchase.sw() == 0x9000, "a purchase above the balance was accepted");
        breach(breaches, t.balance() != before, "the balance wrapped to " + t.balance());
        return breaches;
    }

    @Test
    void noPurseCoversAnAmountAboveFourBytes() {
        assertThat(gpoBeyondFourBytes(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheOverflowCheckTheTruncatedAmountIsCovered() {
        TransactionalSim sim = Wallets.without(Mutation.removeThrow(Wallets.SELECTOR, "processGetProcessingOptions", 0x9401, 0));
        assertThat(gpoBeyondFourBytes(sim)).anyMatch(b -> b.contains("fen went to"));
    }

    @Test
    void aLoadNeverWrapsTheBalance() {
        assertThat(loadBeyondFourBytes(nearlyFull(CardClassLoader.genuine()))).isEmpty();
    }

    @Test
    void withoutTheCarryCheckALoadWrapsTheBalance() {
        CardClassLoader mutant = CardClassLoader.mutant(
                Mutation.forceResult(Wallets.PURSE, "initializeLoad", "nfcpay.card.purse.UInt32", "add", 0, "carry ignored"),
                Mutation.forceResult(Wallets.PURSE, "processCredit", "nfcpay.card.purse.UInt32", "add", 0, "carry ignored"));
        assertThat(loadBeyondFourBytes(nearlyFull(mutant))).contains("a load past FFFFFFFF was accepted");
    }

    @Test
    void aPurchaseNeverWrapsTheBalance() {
        assertThat(purchaseBeyondBalance(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheBalanceChecksAPurchaseWrapsTheBalance() {
        TransactionalSim sim = Wallets.without(
                Mutation.removeThrow(Wallets.PURSE, "initializePurchase", 0x9401),
                Mutation.removeThrow(Wallets.PURSE, "processDebit", 0x9401));
        assertThat(purchaseBeyondBalance(sim)).contains("a purchase above the balance was accepted");
    }
}

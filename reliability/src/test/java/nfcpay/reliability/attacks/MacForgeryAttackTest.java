package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.smartcardio.CommandAPDU;
import nfcpay.crypto.PbocCrypto;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.Bcd;
import org.junit.jupiter.api.Test;

/**
 * MAC1 forgery: an attacker terminal without the purchase key sends DEBITs with guessed MAC1s. Up to the
 * limit each costs a counted failure (9302), the tenth locks the purse (9303), and from then on even a
 * genuine terminal cannot debit it and smart selection no longer picks it.
 *
 * <p>Guards PurseApplet.verifyMac: the constant-time comparison and {@code if (diff != 0)} with the
 * failure count and lock (PurseApplet.java lines 500-514), and {@code if (locked)} in processInitialize
 * (line 277) and processDebit (line 364).
 */
class MacForgeryAttackTest {

    static List<String> attack(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        PurseTerminal genuine = sim.terminal(sim.card("Salary Card"));
        genuine.select();
        long balance = genuine.balance();
        Random guesses = new Random(1);
        for (int attempt = 1; attempt <= 10; attempt++) {
            PurseTerminal.Initialize init = genuine.initializePurchase(30_000);
            byte[] mac1 = new byte[4];
            guesses.nextBytes(mac1);
            byte[] data = PbocCrypto.concat(Bytes.hex("00000001"), Bcd.digits(PurseTerminal.DATE), Bcd.digits(PurseTerminal.TIME), mac1);
            int sw = genuine.send(new CommandAPDU(0x80, 0x54, 0x01, 0x00, data, 8)).getSW();
            breach(breaches, init.sw() == 0x9000 && sw == 0x9000, "forged MAC1 #" + attempt + " accepted");
            int expected = attempt < 10 ? 0x9302 : 0x9303;
            breach(breaches, init.sw() == 0x9000 && sw != expected && sw != 0x9000,
                    "forged MAC1 #" + attempt + " answered " + Integer.toHexString(sw));
        }
        breach(breaches, genuine.balance() != balance, "the forgeries moved money: " + genuine.balance());
        // after the lock, not even the genuine terminal gets a purchase through
        PurseTerminal.Purchase.Result real = genuine.purchase(100);
        breach(breaches, real.sw() != 0x9303, "a locked purse answered " + Integer.toHexString(real.sw()) + " to a genuine purchase");
        breach(breaches, genuine.balance() != balance, "a locked purse was debited");
        String chosen = sim.ppse().chosen(20_000);
        breach(breaches, !sim.card("Travel Card").aidHex().equals(chosen), "smart selection still picks the locked purse: " + chosen);
        return breaches;
    }

    @Test
    void tenGuessesLockThePurseAndMoveNoMoney() {
        assertThat(attack(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheMacCheckAForgedDebitGoesThrough() {
        TransactionalSim sim = Wallets.without(
                Mutation.removeThrow(Wallets.PURSE, "verifyMac", 0x9302),
                Mutation.removeThrow(Wallets.PURSE, "verifyMac", 0x9303));
        assertThat(attack(sim)).anyMatch(b -> b.contains("accepted"));
    }

    @Test
    void withoutTheLockCheckALockedPurseIsStillDebited() {
        TransactionalSim sim = Wallets.without(
                Mutation.removeThrow(Wallets.PURSE, "processInitialize", 0x9303),
                Mutation.removeThrow(Wallets.PURSE, "processDebit", 0x9303));
        assertThat(attack(sim)).anyMatch(b -> b.contains("locked purse"));
    }
}

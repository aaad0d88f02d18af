package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import nfcpay.crypto.PbocCrypto;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.BigEndian;
import nfcpay.sim.wallet.HolderSession;
import org.junit.jupiter.api.Test;

/**
 * An account record replayed from an earlier challenge: a registered card application captures the
 * record it answered when its balance was high and answers it again once its balance is gone, to be
 * chosen for payments it cannot cover. The selector's fresh challenge in every record makes the stale
 * one fail.
 *
 * <p>Guards AccountRecords.covers: the echoed challenge must equal the selector's fresh one (lines 44-45).
 */
class RecordReplayAttackTest {

    static final String AID = "F0000008249902";

    static List<String> attack(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        sim.card().install(Bytes.hex(AID), "nfcpay.reliability.applets.RegistrantApplet", new byte[0]);
        select(sim);
        sim.card().transmit(new CommandAPDU(0x80, 0x20, 0x00, 0x00, BigEndian.uint32(9_000_000)));
        byte[] label = "Replayer".getBytes(StandardCharsets.US_ASCII);
        sim.card().transmit(new CommandAPDU(0x80, 0x10, 0x01, 0x00, PbocCrypto.concat(new byte[] {(byte) label.length}, label, new byte[] {5})));
        // the holder approves it (a registration starts new): this attack is on the records, not on registration
        HolderSession wallet = sim.holderSession();
        wallet.verify(TransactionalSim.DEFAULT_HOLDER_PIN.toCharArray());
        wallet.activate(AID);
        select(sim);
        sim.card().transmit(new CommandAPDU(0x80, 0x30, 0x05, 0x00, new byte[0]));
        // with 90,000.00 it is rightly chosen for 80,000.00, and captures that record
        breach(breaches, !AID.equals(sim.ppse().chosen(8_000_000)), "the honest record was not accepted");
        select(sim);
        sim.card().transmit(new CommandAPDU(0x80, 0x20, 0x00, 0x00, BigEndian.uint32(0)));
        // now it holds nothing and replays the old record
        String chosen = sim.ppse().chosen(8_000_000);
        breach(breaches, AID.equals(chosen), "a record replayed from an earlier challenge was accepted");
        return breaches;
    }

    private static void select(TransactionalSim sim) {
        sim.card().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, Bytes.hex(AID)));
    }

    @Test
    void aRecordForAnEarlierChallengeIsRejected() {
        assertThat(attack(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheChallengeCheckAStaleRecordWins() {
        // the one equalInConstantTime call in opens() compares the challenge (the tag check is in authentic());
        // opens() serves both smart selection (covers) and the holder's listing (open)
        TransactionalSim sim = Wallets.without(Mutation.replaceCall(Wallets.RECORDS, "opens",
                Wallets.RECORDS, "equalInConstantTime", 1, "no challenge check"));
        assertThat(attack(sim)).contains("a record replayed from an earlier challenge was accepted");
    }
}

package nfcpay.reliability.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.sim.Personalizer;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import org.junit.jupiter.api.Test;

/** The SIM built on the transactional runtime is the SIM the sim module builds, and the runtime sees every write. */
class TransactionalSimTest {

    @Test
    void itAnswersExactlyLikeTheSimModulesSimWithTheSameSerials() {
        long simId = 0x00112233445566L;
        SimulatedSim reference = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .card("Travel Card", 150_000).simId(simId).build();
        TransactionalSim sim = TransactionalSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .card("Travel Card", 150_000).simId(simId).build();

        ResponseAPDU referenceFci = reference.cardSimulator().transmitCommand(Ppse.selectCommand());
        assertThat(Bytes.hex(sim.ppse().select().getBytes())).isEqualTo(Bytes.hex(referenceFci.getBytes()));
        for (SimCard purse : sim.cards()) {
            CommandAPDU select = new CommandAPDU(0x00, 0xA4, 0x04, 0x00, purse.aid(), 256);
            ResponseAPDU expected = reference.cardSimulator().transmitCommand(select);
            assertThat(Bytes.hex(sim.card().transmit(select).getBytes())).as(purse.label()).isEqualTo(Bytes.hex(expected.getBytes()));
            assertThat(sim.balance(purse)).isEqualTo(reference.balance(purse.label()));
        }
    }

    @Test
    void smartSelectionAndPaymentsWorkOnIt() {
        TransactionalSim sim = TransactionalSim.defaultWallet();
        assertThat(Ppse.directory(sim.ppse().select())).containsExactly(
                "F000000824010101", "F000000824010102", "F000000824010103");
        assertThat(sim.ppse().chosen(1_000)).isEqualTo("F000000824010101");
        assertThat(sim.ppse().chosen(20_000)).isEqualTo("F000000824010102");
        assertThat(sim.ppse().chosen(100_000)).isEqualTo("F000000824010103");
        assertThat(sim.ppse().choose(200_000, Ppse.CNY).getSW()).isEqualTo(0x9401);

        PurseTerminal daily = sim.terminal(sim.card("Daily Wallet"));
        daily.select();
        assertThat(daily.purchase(500).verified()).isTrue();
        assertThat(daily.balance()).isEqualTo(1_000);
        assertThat(daily.load(2_000).verified()).isTrue();
        assertThat(daily.balance()).isEqualTo(3_000);
    }

    /**
     * The audit: a whole life (install, personalization with registration, loads, purchases, smart
     * selection, a MAC failure, the holder's PIN, order, policy and activation) with the write audit on, and after every command the heap diff must be
     * covered by the writes the barrier saw. A persistent write the instrumentation missed would show here.
     */
    @Test
    void everyPersistentChangeOfARealWorkloadWentThroughTheBarrier() {
        TransactionalSim sim = TransactionalSim.defaultWallet();
        TransactionalCard card = sim.card();
        SimCard extra = sim.nextPurse("Audit Card");
        sim.installPurse(extra);
        PurseTerminal t = sim.terminal(extra);
        PurseTerminal daily = sim.terminal(sim.card("Daily Wallet"));

        List<Runnable> steps = List.of(
                t::select,
                () -> new Personalizer(sim.keys()).personalize(card::transmit, extra),
                () -> t.load(10_000),
                () -> t.purchase(2_500),
                () -> t.debit(t.prepareDebit(t.initializePurchase(1), PurseTerminal.DATE, PurseTerminal.TIME, true)),
                () -> t.purchase(100),
                () -> sim.ppse().chosen(5_000),
                () -> sim.ppse().chosen(9_999_999),
                daily::select,
                () -> daily.purchase(1_500),
                () -> daily.load(1),
                () -> sim.ppse().select(),
                () -> holder(card, Holder.verify("9999"), 0x63C2),
                () -> holder(card, Holder.verify(TransactionalSim.DEFAULT_HOLDER_PIN), 0x9000),
                () -> holder(card, Holder.changeReferenceData(TransactionalSim.DEFAULT_HOLDER_PIN, "86420"), 0x9000),
                () -> holder(card, Holder.setPolicy(SelectionPolicy.MOST_FUNDS), 0x9000),
                () -> holder(card, Holder.setOrder(List.of(extra, sim.card("Daily Wallet"))), 0x9000),
                () -> holder(card, Holder.setStatus(sim.card("Salary Card"), false), 0x9000),
                () -> holder(card, Holder.setStatus(sim.card("Salary Card"), true), 0x9000),
                () -> assertThat(sim.holderSession().list()).hasSize(4),
                daily::select);
        int changed = 0;
        for (Runnable step : steps) {
            HeapSnapshot before = card.snapshot();
            card.memory().startAudit();
            step.run();
            List<HeapSnapshot.Change> changes = card.snapshot().diff(before);
            changed += changes.size();
            assertThat(HeapSnapshot.unaudited(changes, card.memory().audited())).isEmpty();
        }
        assertThat(changed).as("the workload changes persistent state").isGreaterThan(100);
        assertThat(daily.balance()).isEqualTo(1);
        assertThat(sim.ppse().chosen(1)).as("MOST_FUNDS").isEqualTo(sim.card("Travel Card").aidHex());
    }

    private static void holder(TransactionalCard card, CommandAPDU command, int sw) {
        assertThat(card.transmit(command).getSW()).isEqualTo(sw);
    }
}

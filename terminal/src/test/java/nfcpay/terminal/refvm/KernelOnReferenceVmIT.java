package nfcpay.terminal.refvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.cref.CrefResources;
import nfcpay.sim.wallet.HolderSession;
import nfcpay.sim.wallet.WalletCard;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.issuer.IssuerHost.ScriptAction;
import nfcpay.terminal.kernel.CardMaintenance;
import nfcpay.terminal.testing.InProcessIssuer;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.LoadResult;
import nfcpay.terminal.kernel.PurchaseResult;
import nfcpay.terminal.kernel.PurchaseResult.Outcome;
import nfcpay.terminal.kernel.Recovery;
import nfcpay.terminal.kernel.SelectorReinstallTest;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.testing.TearingTransport;
import nfcpay.terminal.testing.TearingTransport.Mode;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.Transports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real kernel against the real applets on Oracle's Java Card 3.0.5 reference VM (cref, under Wine): the card
 * module's CAP files loaded through cref's installer, the SIM assembled by the same {@code SimAssembly} as on
 * jcardsim, every tap a power cycle of cref (it saves its EEPROM and restarts on it). One cref for the class;
 * each test assembles its own SIM on it and deletes it afterwards. Skips in one line without the SDK.
 */
class KernelOnReferenceVmIT {

    private static ReferenceVm vm;

    @TempDir
    Path dir;
    private Journal journal;
    private Kernel kernel;
    private SimulatedSim sim;
    private final List<String> trace = new ArrayList<>();

    @BeforeAll
    static void start() {
        vm = ReferenceVm.startOrSkip(List.of());
    }

    @AfterAll
    static void stop() {
        if (vm != null) {
            vm.close();
        }
    }

    @BeforeEach
    void open() throws TerminalException {
        journal = Fixtures.journal(dir);
        kernel = Fixtures.kernel(journal);
    }

    @AfterEach
    void close() throws TerminalException {
        journal.close();
        vm.clear();
    }

    /** Salary Card priority 1, Travel Card 2, Daily Wallet 3: each policy picks another card for 10.00. */
    private SimulatedSim threeCards(SimulatedSim.Builder builder) {
        return builder.card("Salary Card", 32_000).card("Travel Card", 150_000).card("Daily Wallet", 1_500)
                .build(vm.platform());
    }

    private <T> T tap(Tap<T> body) throws TerminalException {
        try (Transport t = Transports.stack(Readers.connect(sim.terminal()), trace::add)) {
            return body.run(t);
        }
    }

    interface Tap<T> {
        T run(Transport t) throws TerminalException;
    }

    private Map<String, Long> balances() {
        return sim.cards().stream().collect(Collectors.toMap(SimCard::label, c -> sim.balance(c.label())));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SelectionPolicy.class)
    void aSmartPurchaseUnderEachPolicyPaysWithTheCardThePolicyNames(SelectionPolicy policy) throws TerminalException {
        sim = threeCards(SimulatedSim.builder().policy(policy));
        Map<String, Long> before = balances();
        // ANY picks among the cards that cover: 200.00 leaves Daily Wallet (15.00) out.
        Money amount = Money.parse(policy == SelectionPolicy.ANY ? "200.00" : "10.00");

        String[] crefSaid = new String[1];
        PurchaseResult r = tap(t -> {
            PurchaseResult result = kernel.purchase(t, amount);
            crefSaid[0] = vm.cref().output(); // before the tap's power down restarts cref on a new log
            return result;
        });

        assertThat(r.outcome()).as("%s%ntrace:%n%s%ncref said:%n%s", r, String.join("\n", trace), crefSaid[0])
                .isEqualTo(Outcome.APPROVED);
        String payer = r.application().label();
        switch (policy) {
            case PRIORITY -> assertThat(payer).isEqualTo("Salary Card");
            case BEST_FIT -> assertThat(payer).isEqualTo("Daily Wallet");
            case MOST_FUNDS -> assertThat(payer).isEqualTo("Travel Card");
            case ANY -> assertThat(payer).isIn("Salary Card", "Travel Card");
        }
        assertThat(trace).anyMatch(l -> l.startsWith(">> 80A8")); // chosen by the card (GPO), not by fallback
        Map<String, Long> after = balances();
        for (String label : before.keySet()) {
            long paid = label.equals(payer) ? amount.minor() : 0;
            assertThat(after.get(label)).as(label).isEqualTo(before.get(label) - paid);
        }
        assertThat(r.balanceAfter().minor()).isEqualTo(after.get(payer));
        assertThat(journal.find(r.journalId()).orElseThrow().state()).isEqualTo(TransactionState.COMPLETED);
        System.out.printf("reference VM, %s: %s paid %s%n", policy, payer, amount);
    }

    /**
     * Issue 14 item 4 on the reference VM: the selector deleted and installed again through cref's installer, the
     * purses untouched; each registers again on its contact SELECT (asking the new selector across the firewall,
     * which checks the caller with getPreviousContextAID), new under a fresh credential, and pays once activated.
     */
    @Test
    void afterASelectorReinstallThePursesRejoinNewAndPayOnceTheHolderActivatesThem() {
        sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).build(vm.platform());
        SelectorReinstallTest.reinstallThenRejoinThenPay(kernel, sim);
    }

    @Test
    void noCardCoversIsOneClearDeclineAndNothingIsDebited() throws TerminalException {
        sim = threeCards(SimulatedSim.builder());
        Map<String, Long> before = balances();

        PurchaseResult r = tap(t -> kernel.purchase(t, Money.parse("5000.00")));

        assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(r.reason()).isEqualTo("insufficient funds on every card");
        assertThat(trace.stream().filter(l -> l.startsWith(">> 805")).toList()).as("no INITIALIZE, no DEBIT").isEmpty();
        assertThat(journal.list(10)).isEmpty();
        assertThat(balances()).isEqualTo(before);
    }

    @Test
    void aLegacyPpseFallsBackByPriorityOn9401() throws TerminalException {
        sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).legacy()
                .build(vm.platform());

        PurchaseResult r = tap(t -> kernel.purchase(t, Money.parse("20.00")));

        assertThat(r.approved()).isTrue();
        assertThat(r.application().label()).isEqualTo("Salary Card");
        assertThat(trace).contains("<< 9401");
        assertThat(trace.stream().filter(l -> l.startsWith(">> 80A8"))).isEmpty();
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500);
        assertThat(sim.balance("Salary Card")).isEqualTo(30_000);
        assertThat(journal.find(r.journalId()).orElseThrow().state()).isEqualTo(TransactionState.COMPLETED);
    }

    /**
     * Issue 14 item 1 on cref: ten wrong MAC1s lock the purse (9303), the issuer's APPLICATION UNBLOCK (MAC'd under
     * the card's DAMK with the card's challenge as IV, on cref's DES) lifts it; BLOCK stops it again, with SELECT
     * answering its FCI and 6283, and UNBLOCK lifts that too.
     */
    @Test
    void theIssuersScriptsLiftAMacLockAndBlockAndUnblockOnTheReferenceVm() throws TerminalException {
        sim = SimulatedSim.builder().card("Daily Wallet", 1_500).build(vm.platform());
        String daily = sim.card("Daily Wallet").orElseThrow().aidHex();
        InProcessIssuer issuer = new InProcessIssuer(journal.terminalId());
        String locked = tap(t -> {
            t.transceive(Bytes.fromHex("00A40400 08" + daily + "00"));
            String last = "";
            for (int i = 0; i < 10; i++) {
                t.transceive(Bytes.fromHex("805001020B 01 00000001 001122334455 0F"));
                last = Bytes.hex(t.transceive(Bytes.fromHex("805401000F 00000001 20260115 093000 " + String.format("%08X", i)
                        + " 08")));
            }
            return last;
        });
        assertThat(locked).isEqualTo("9303");

        CardMaintenance.Result unblocked = tap(t -> CardMaintenance.run(t, daily, issuer, ScriptAction.UNBLOCK));
        assertThat(unblocked.after()).isEqualTo(CardMaintenance.State.ACTIVE);
        assertThat(tap(t -> kernel.purchase(t, Money.parse("1.00"))).outcome()).isEqualTo(Outcome.APPROVED);

        CardMaintenance.Result blocked = tap(t -> CardMaintenance.run(t, daily, issuer, ScriptAction.BLOCK));
        assertThat(blocked.before()).isEqualTo(CardMaintenance.State.ACTIVE);
        assertThat(blocked.after()).isEqualTo(CardMaintenance.State.BLOCKED);
        String select = tap(t -> Bytes.hex(t.transceive(Bytes.fromHex("00A40400 08" + daily + "00"))));
        assertThat(select).startsWith("6F").endsWith("6283");
        CardMaintenance.Result again = tap(t -> CardMaintenance.run(t, daily, issuer, ScriptAction.UNBLOCK));
        assertThat(again.before()).isEqualTo(CardMaintenance.State.BLOCKED);
        assertThat(again.after()).isEqualTo(CardMaintenance.State.ACTIVE);
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_400);
    }

    @Test
    void aLoadThroughTheKernelCreditsTheCardAndItsLog() throws TerminalException {
        sim = SimulatedSim.builder().card("Daily Wallet", 1_500).build(vm.platform());
        String daily = sim.card("Daily Wallet").orElseThrow().aidHex();

        LoadResult load = tap(t -> kernel.load(t, daily, Money.parse("100.00")));

        assertThat(load.balanceAfter()).isEqualTo(Money.parse("115.00"));
        assertThat(sim.balance("Daily Wallet")).isEqualTo(11_500);
        Money read = tap(t -> kernel.getBalance(t, daily));
        assertThat(read).isEqualTo(Money.parse("115.00"));
        assertThat(journal.list(10)).singleElement().satisfies(rec -> {
            assertThat(rec.kind()).isEqualTo(TransactionKind.LOAD);
            assertThat(rec.state()).isEqualTo(TransactionState.COMPLETED);
        });
    }

    @ParameterizedTest(name = "legacy PPSE: {0}")
    @ValueSource(booleans = {false, true})
    void aDebitTornAfterTheCardRanItIsRecoveredOnTheNextTapAndChargedOnce(boolean legacy) throws TerminalException {
        SimulatedSim.Builder builder = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .card("Travel Card", 150_000);
        sim = (legacy ? builder.legacy() : builder).build(vm.platform());
        // SELECT PPSE, (smart: GPO,) SELECT, INITIALIZE FOR PURCHASE, DEBIT: the card runs the DEBIT, its answer is lost.
        int debit = legacy ? 3 : 4;
        try (Transport t = Transports.stack(new TearingTransport(Readers.connect(sim.terminal()), debit, Mode.AFTER_SEND), null)) {
            kernel.purchase(t, Money.parse("12.34"));
            throw new AssertionError("the purchase was to be torn at the DEBIT");
        } catch (CardRemovedException expected) {
            // closing the transport powered cref down: the debit must be in its EEPROM file now
        }
        assertThat(sim.balance("Daily Wallet")).as("committed before the tear, kept over cref's restart").isEqualTo(266);
        assertThat(journal.pending()).singleElement().extracting(JournalRecord::amount).isEqualTo(Money.parse("12.34"));

        PurchaseResult next = tap(t -> kernel.purchase(t, Money.parse("1.00")));

        assertThat(next.approved()).isTrue();
        assertThat(next.recoveries()).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.RECOVERED);
        assertThat(trace).as("recovered through GET TRANSACTION PROVE").anyMatch(l -> l.startsWith(">> 805A"));
        assertThat(journal.pending()).isEmpty();
        assertThat(sim.balance("Daily Wallet")).as("12.34 and 1.00, each once").isEqualTo(166);
        assertThat(sim.balance("Salary Card")).isEqualTo(32_000);
        assertThat(sim.balance("Travel Card")).isEqualTo(150_000);
        assertThat(journal.list(10)).extracting(JournalRecord::state)
                .containsExactlyInAnyOrder(TransactionState.RECOVERED, TransactionState.COMPLETED);
    }

    @Test
    void theHolderCommandsChangeWhatTheKernelGets() throws TerminalException {
        // Legacy: the PPSE's order and membership are the holder's, and it does not depend on smart selection.
        sim = threeCards(SimulatedSim.builder().legacy());
        HolderSession wallet = sim.holderSession();
        assertThat(wallet.list()).extracting(WalletCard::label).containsExactly("Salary Card", "Travel Card", "Daily Wallet");
        wallet.verify("1234".toCharArray());

        wallet.order(List.of("Daily Wallet"));
        wallet.deactivate("Salary Card");
        List<WalletCard> listed = wallet.list();
        assertThat(listed.get(0).label()).isEqualTo("Daily Wallet");
        assertThat(listed).extracting(WalletCard::label, WalletCard::active).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("Daily Wallet", true),
                org.assertj.core.groups.Tuple.tuple("Travel Card", true),
                org.assertj.core.groups.Tuple.tuple("Salary Card", false));
        vm.cref().reset(); // the holder's session ends; the order is persistent

        assertThat(tap(t -> kernel.purchase(t, Money.parse("10.00"))).application().label())
                .as("Daily Wallet first now").isEqualTo("Daily Wallet");
        assertThat(tap(t -> kernel.purchase(t, Money.parse("20.00"))).application().label())
                .as("Salary Card is out of the PPSE").isEqualTo("Travel Card");

        wallet = sim.holderSession();
        wallet.verify("1234".toCharArray());
        wallet.activate("Salary Card");
        wallet.order(List.of("Salary Card"));
        try {
            wallet.policy(SelectionPolicy.MOST_FUNDS);
        } catch (RuntimeException e) {
            String said = vm.cref().output();
            throw new AssertionError(e.getMessage() + "; cref said: " + said.substring(Math.max(0, said.length() - 1200)), e);
        }
        assertThat(wallet.settings().policy()).isEqualTo(SelectionPolicy.MOST_FUNDS);
        vm.cref().reset();

        assertThat(tap(t -> kernel.purchase(t, Money.parse("1.00"))).application().label())
                .as("back in the PPSE, first").isEqualTo("Salary Card");
        assertThat(balances()).isEqualTo(Map.of("Daily Wallet", 500L, "Travel Card", 148_000L, "Salary Card", 31_900L));
    }

    /**
     * Eight cards with 16-character labels: the PPSE's FCI passes 256 bytes and comes in two answers (61xx, GET
     * RESPONSE), and the holder's listing too, neither through an APDU buffer as long (the reference VM's is shorter).
     */
    @Test
    void aPpseLongerThan256BytesIsChainedAndListed() throws TerminalException {
        SimulatedSim.Builder builder = SimulatedSim.builder();
        for (int i = 1; i <= 8; i++) {
            builder.card(String.format("Sixteen chars %02d", i).substring(0, 16), i * 100L);
        }
        sim = builder.build(vm.platform());

        PurchaseResult r = tap(t -> kernel.purchase(t, Money.parse("7.50")));

        assertThat(r.approved()).as("%s", r).isTrue();
        assertThat(r.application().label()).as("the first card that covers, by priority").isEqualTo("Sixteen chars 08");
        assertThat(trace).as("the FCI in two answers").anyMatch(l -> l.startsWith(">> 00C0"));
        HolderSession wallet = sim.holderSession();
        wallet.verify("1234".toCharArray());
        assertThat(wallet.list()).hasSize(8).extracting(WalletCard::label).contains("Sixteen chars 01", "Sixteen chars 08");
        assertThat(sim.balance("Sixteen chars 08")).isEqualTo(800 - 750);
    }

    @Test
    void memoryPerExtraPurse() {
        sim = SimulatedSim.builder().card("Card 1", 1_000).build(vm.platform());
        vm.cref().reset();
        CrefResources one = vm.resources();
        sim.addCard("Card 2", 1_000); // resets: cref prints its figures at the power down
        vm.cref().reset();
        CrefResources two = vm.resources();
        sim.addCard("Card 3", 1_000);
        vm.cref().reset();
        CrefResources three = vm.resources();
        System.out.printf("reference VM, selector and 1 purse: %s%n", one);
        System.out.printf("reference VM, per extra purse: EEPROM +%d then +%d bytes, Clear-On-Reset RAM +%d then +%d, "
                + "Clear-On-Deselect max %d -> %d -> %d%n",
                two.eepromConsumed() - one.eepromConsumed(), three.eepromConsumed() - two.eepromConsumed(),
                two.clearOnResetRam() - one.clearOnResetRam(), three.clearOnResetRam() - two.clearOnResetRam(),
                one.clearOnDeselectMax(), two.clearOnDeselectMax(), three.clearOnDeselectMax());
        assertThat(two.eepromConsumed()).isGreaterThan(one.eepromConsumed());
        assertThat(three.eepromConsumed()).isGreaterThan(two.eepromConsumed());
        assertThat(sim.balance("Card 3")).isEqualTo(1_000);
    }

}

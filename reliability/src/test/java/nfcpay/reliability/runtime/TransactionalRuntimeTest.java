package nfcpay.reliability.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime against the Java Card rules (JCRE 3.0.5 chapter 7, the {@code Util} and {@code JCSystem}
 * API), on {@code ProbeApplet}, which writes its state in every way the model covers. Plain jcardsim fails
 * every rollback test here: it keeps partial writes on abort, on an exception and on reset.
 */
class TransactionalRuntimeTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] AID = HEX.parseHex("F0000008249901");

    private TransactionalCard card;

    @BeforeEach
    void install() {
        card = new TransactionalCard();
        card.install(AID, "nfcpay.reliability.applets.ProbeApplet", new byte[0]);
        assertThat(card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID)).getSW()).isEqualTo(0x9000);
    }

    private ResponseAPDU send(int ins, int p1, String data) {
        return card.transmit(new CommandAPDU(0x80, ins, p1, 0x00, HEX.parseHex(data)));
    }

    /** p (4) | counter (2) | t (4) | key set | flags[0] | refs[0] is the key. */
    private String state() {
        ResponseAPDU r = card.transmit(new CommandAPDU(0x80, 0x40, 0x00, 0x00, 13));
        assertThat(r.getSW()).isEqualTo(0x9000);
        return HEX.formatHex(r.getData());
    }

    private static final String UNTOUCHED = "00000000" + "0000" + "00000000" + "00" + "00" + "00";
    private static final String WRITTEN = "11223344" + "1122" + "00000000" + "01" + "01" + "01";

    @Test
    void aCommittedTransactionKeepsEveryWrite() {
        assertThat(send(0x10, 0x00, "11223344").getSW()).isEqualTo(0x9000);
        assertThat(state()).isEqualTo(WRITTEN);
    }

    @Test
    void abortTransactionUndoesFieldsArraysUtilCopiesAndKeys() {
        assertThat(send(0x10, 0x01, "11223344").getSW()).isEqualTo(0x9000);
        assertThat(state()).isEqualTo(UNTOUCHED);
        assertThat(card.memory().rollbacks()).isEqualTo(1);
    }

    @ParameterizedTest(name = "P1 {0}")
    @ValueSource(ints = {0x02, 0x03, 0x04})
    void aTransactionOpenWhenProcessEndsIsAborted(int p1) {
        // 02: ISOException escapes, 03: normal return, 04: a RuntimeException escapes (6F00)
        int sw = send(0x10, p1, "11223344").getSW();
        assertThat(sw).isEqualTo(p1 == 0x02 ? 0x6A80 : p1 == 0x03 ? 0x9000 : 0x6F00);
        assertThat(state()).isEqualTo(UNTOUCHED);
        assertThat(card.memory().inTransaction()).isFalse();
    }

    @Test
    void arrayCopyNonAtomicIsNotPartOfTheTransaction() {
        assertThat(send(0x20, 0x01, "A1A2A3A4").getSW()).isEqualTo(0x9000);
        assertThat(state()).startsWith("A1A2A3A4");
    }

    @Test
    void transientArraysAreNotPartOfTheTransactionAndAreClearedByReset() {
        assertThat(send(0x30, 0x00, "B1B2B3B4").getSW()).isEqualTo(0x9000);
        assertThat(state().substring(12, 20)).isEqualTo("B1B2B3B4");
        card.powerCycle();
        card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID));
        assertThat(state().substring(12, 20)).isEqualTo("00000000");
    }

    @Test
    void transactionsDoNotNest() {
        assertThat(send(0x60, 0x00, "").getSW()).as("TransactionException.IN_PROGRESS").isEqualTo(0x0001);
        assertThat(send(0x61, 0x00, "").getSW()).as("TransactionException.NOT_IN_PROGRESS").isEqualTo(0x0002);
    }

    @Test
    void writesOutsideATransactionAreImmediateAndEachIsATearPoint() {
        long before = card.events();
        assertThat(send(0x50, 0x03, "").getSW()).isEqualTo(0x9000);
        assertThat(card.events() - before).isEqualTo(3);

        card.tearAfter(1);
        assertThatThrownBy(() -> send(0x50, 0x03, "")).isInstanceOf(CardTornException.class);
        card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID));
        assertThat(state().substring(8, 12)).as("3 + the one increment before the tear").isEqualTo("0004");
    }

    @Test
    void powerLossAtAnyEventOfATransactionLeavesAllOrNothing() {
        long n = countEvents(() -> send(0x10, 0x00, "11223344"));
        assertThat(n).as("p[0], p[1], p[2..3], counter, words[0], 16 key bytes, key, flags[0], refs[0], commit")
                .isEqualTo(1 + 1 + 1 + 1 + 1 + 16 + 1 + 1 + 1 + 1);
        for (long k = 0; k <= n; k++) {
            install();
            card.tearAfter(k);
            boolean torn;
            try {
                send(0x10, 0x00, "11223344");
                torn = false;
            } catch (CardTornException e) {
                torn = true;
            }
            assertThat(torn).as("k=%d", k).isEqualTo(k < n);
            assertThat(card.memory().powerLost()).isFalse();
            card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID));
            assertThat(state()).as("k=%d", k).isEqualTo(k < n ? UNTOUCHED : WRITTEN);
        }
    }

    @Test
    void powerLossInANonAtomicCopyLeavesItHalfDone() {
        card.tearAfter(2);
        assertThatThrownBy(() -> send(0x20, 0x00, "A1A2A3A4")).isInstanceOf(CardTornException.class);
        card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID));
        assertThat(state()).startsWith("A1A20000");
    }

    @Test
    void aCheckpointRestoresEveryPersistentValue() {
        HeapSnapshot start = card.snapshot();
        card.checkpoint();
        send(0x10, 0x00, "11223344");
        send(0x20, 0x00, "A1A2A3A4");
        send(0x50, 0x05, "");
        assertThat(card.snapshot().diff(start)).isNotEmpty();
        card.restoreCheckpoint();
        assertThat(card.snapshot().diff(start)).isEmpty();
    }

    @Test
    void everyChangeTheSnapshotSeesWentThroughTheBarrier() {
        HeapSnapshot start = card.snapshot();
        card.memory().startAudit();
        send(0x10, 0x00, "11223344");
        send(0x20, 0x00, "A1A2A3A4");
        send(0x50, 0x02, "");
        List<HeapSnapshot.Change> changes = card.snapshot().diff(start);
        assertThat(changes).hasSizeGreaterThan(10);
        assertThat(HeapSnapshot.unaudited(changes, card.memory().audited())).isEmpty();
    }

    @Test
    void theAuditNoticesAPersistentWriteNoBarrierSaw() {
        HeapSnapshot start = card.snapshot();
        card.memory().startAudit();
        send(0x70, 0x00, "");
        List<HeapSnapshot.Change> missed = HeapSnapshot.unaudited(card.snapshot().diff(start), card.memory().audited());
        assertThat(missed).isNotEmpty().allSatisfy(change -> assertThat(change.path()).endsWith("aidCopy"));
    }

    private long countEvents(Runnable command) {
        long before = card.events();
        command.run();
        return card.events() - before;
    }
}

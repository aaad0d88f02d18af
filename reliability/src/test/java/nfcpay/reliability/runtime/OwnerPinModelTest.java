package nfcpay.reliability.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code OwnerPIN} on the runtime against the Java Card 3.0.5 API (see {@link PinBarrier}), on
 * {@code ProbeApplet}'s PIN "1234", 3 tries. On plain jcardsim the aborts below undo nothing and no PIN
 * write is a tear point; with the try counter journaled, the first tests would fail.
 */
class OwnerPinModelTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] AID = HEX.parseHex("F0000008249901");
    private static final String RIGHT = "1234";
    private static final String WRONG = "9999";
    private static final String NEW = "86420";

    private TransactionalCard card;

    @BeforeEach
    void install() {
        card = new TransactionalCard();
        card.install(AID, "nfcpay.reliability.applets.ProbeApplet", new byte[0]);
        select();
    }

    private void select() {
        assertThat(card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID)).getSW()).isEqualTo(0x9000);
    }

    private static byte[] digits(String pin) {
        return pin.getBytes(StandardCharsets.US_ASCII);
    }

    private ResponseAPDU send(int ins, int p1, byte[] data) {
        return card.transmit(data.length == 0 ? new CommandAPDU(0x80, ins, p1, 0x00, 256)
                : new CommandAPDU(0x80, ins, p1, 0x00, data, 256));
    }

    /** check(): true on a match. P1 01 inside an aborted transaction, 02 through the PIN interface. */
    private boolean check(String pin, int p1) {
        ResponseAPDU r = send(0x80, p1, digits(pin));
        assertThat(r.getSW()).isEqualTo(0x9000);
        return r.getData()[0] == 1;
    }

    private int tries() {
        return send(0x84, 0, new byte[0]).getData()[0];
    }

    private boolean validated() {
        return send(0x84, 0, new byte[0]).getData()[1] == 1;
    }

    private long events(Runnable command) {
        long before = card.events();
        command.run();
        return card.events() - before;
    }

    @Test
    void aWrongPinSpendsATryThatAnAbortedTransactionDoesNotGiveBack() {
        assertThat(check(WRONG, 1)).isFalse();
        assertThat(tries()).as("check() does not take part in the transaction").isEqualTo(2);
        assertThat(card.memory().rollbacks()).isEqualTo(1);
    }

    @Test
    void aRightPinInsideAnAbortedTransactionStaysValidatedWithItsTriesRestored() {
        check(WRONG, 0);
        assertThat(check(RIGHT, 1)).isTrue();
        assertThat(tries()).isEqualTo(3);
        assertThat(validated()).isTrue();
    }

    @Test
    void aBlockedPinRefusesTheRightValueAndWritesNothing() {
        for (int i = 0; i < 3; i++) {
            check(WRONG, 0);
        }
        assertThat(tries()).isZero();
        assertThat(events(() -> assertThat(check(RIGHT, 0)).isFalse())).isZero();
        assertThat(validated()).isFalse();
    }

    @Test
    void theValidatedFlagIsTransientAndResetClearsIt() {
        assertThat(check(RIGHT, 0)).isTrue();
        card.powerCycle();
        select();
        assertThat(validated()).as("CLEAR_ON_RESET").isFalse();
        assertThat(check(RIGHT, 0)).isTrue();
        send(0x83, 0, new byte[0]);
        assertThat(validated()).isFalse();
        assertThat(tries()).isEqualTo(3);
    }

    @Test
    void updateInsideAnAbortedTransactionKeepsTheOldPin() {
        check(WRONG, 0);
        assertThat(send(0x81, 1, digits(NEW)).getSW()).isEqualTo(0x9000);
        assertThat(tries()).as("the try counter update is conditional too").isEqualTo(2);
        assertThat(check(NEW, 0)).isFalse();
        assertThat(check(RIGHT, 0)).isTrue();
    }

    @Test
    void updateCommittedReplacesThePinAndRestoresTheTries() {
        check(WRONG, 0);
        assertThat(send(0x81, 2, digits(NEW)).getSW()).isEqualTo(0x9000);
        assertThat(tries()).isEqualTo(3);
        assertThat(check(RIGHT, 0)).isFalse();
        assertThat(check(NEW, 0)).isTrue();
    }

    @Test
    void resetAndUnblockIsNotUndoneByAnAbort() {
        for (int i = 0; i < 3; i++) {
            check(WRONG, 0);
        }
        assertThat(send(0x82, 1, new byte[0]).getSW()).isEqualTo(0x9000);
        assertThat(tries()).isEqualTo(3);
        assertThat(check(RIGHT, 0)).isTrue();
    }

    @Test
    void thePinInterfaceIsModelledLikeOwnerPin() {
        assertThat(events(() -> assertThat(check(WRONG, 2)).isFalse())).isEqualTo(1);
        assertThat(events(() -> assertThat(check(RIGHT, 2)).isTrue())).as("spend, then restore").isEqualTo(2);
    }

    @Test
    void aRightPinTornAfterItsTryWasSpentCostsThatTryAndValidatesNothing() {
        card.tearAfter(1);
        assertThatThrownBy(() -> check(RIGHT, 0)).isInstanceOf(CardTornException.class);
        select();
        assertThat(tries()).isEqualTo(2);
        assertThat(validated()).isFalse();
    }

    @Test
    void aWrongPinTornAtItsOnlyEventSpentNothing() {
        card.tearAfter(0);
        assertThatThrownBy(() -> check(WRONG, 0)).isInstanceOf(CardTornException.class);
        select();
        assertThat(tries()).isEqualTo(3);
        assertThat(card.memory().powerLost()).isFalse();
    }

    @Test
    void updateInATransactionIsAllOrNothingAtEveryTearPoint() {
        long n = events(() -> send(0x81, 2, digits(NEW)));
        assertThat(n).as("value, length, try counter, commit").isEqualTo(4);
        for (long k = 0; k <= n; k++) {
            install();
            card.tearAfter(k);
            try {
                send(0x81, 2, digits(NEW));
            } catch (CardTornException e) {
                // the power went
            }
            card.disarm();
            select();
            boolean isNew = check(NEW, 0);
            boolean isOld = !isNew && check(RIGHT, 0);
            assertThat(isNew || isOld).as("k=%d: the PIN is the old or the new one", k).isTrue();
            assertThat(isNew).as("k=%d", k).isEqualTo(k == n);
        }
    }

    @Test
    void updateOutsideATransactionIsNotAtomicInTheModel() {
        card.tearAfter(1); // the value is copied, its length is not written
        assertThatThrownBy(() -> send(0x81, 0, digits(NEW))).isInstanceOf(CardTornException.class);
        select();
        assertThat(check(NEW, 0)).isFalse();
        assertThat(check(RIGHT, 0)).isFalse();
        assertThat(check("8642", 0)).as("the new digits under the old length").isTrue();
    }

    @Test
    void aCheckpointRestoresThePin() {
        HeapSnapshot start = card.snapshot();
        card.checkpoint();
        check(WRONG, 0);
        send(0x81, 0, digits(NEW));
        check(WRONG, 0);
        assertThat(card.snapshot().diff(start)).extracting(HeapSnapshot.Change::slot)
                .contains("OwnerPIN.value", "OwnerPIN.length", "OwnerPIN.tries");
        card.restoreCheckpoint();
        assertThat(card.snapshot().diff(start)).isEmpty();
        select();
        assertThat(check(RIGHT, 0)).isTrue();
    }

    @Test
    void everyPinChangeTheSnapshotSeesWentThroughTheBarrier() {
        HeapSnapshot start = card.snapshot();
        card.memory().startAudit();
        check(WRONG, 0);
        send(0x81, 2, digits(NEW));
        check(WRONG, 2);
        send(0x82, 0, new byte[0]);
        List<HeapSnapshot.Change> changes = card.snapshot().diff(start);
        assertThat(changes).extracting(HeapSnapshot.Change::slot).contains("OwnerPIN.value", "OwnerPIN.length");
        assertThat(HeapSnapshot.unaudited(changes, card.memory().audited())).isEmpty();
    }

    @Test
    void theAuditNoticesAPinChangedWhereNoBarrierSawIt() {
        HeapSnapshot start = card.snapshot();
        card.memory().startAudit();
        assertThat(send(0x85, 0, digits(NEW)).getSW()).isEqualTo(0x9000);
        List<HeapSnapshot.Change> missed = HeapSnapshot.unaudited(card.snapshot().diff(start), card.memory().audited());
        assertThat(missed).extracting(HeapSnapshot.Change::slot).contains("OwnerPIN.value", "OwnerPIN.length");
        assertThat(missed).allSatisfy(change -> assertThat(change.path()).endsWith(".pin"));
    }
}

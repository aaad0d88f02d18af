package nfcpay.reliability.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Persistent writes made by platform APIs (issue 15, item 4): cipher, signature, digest, random and
 * key-export output into a persistent array are tear points, one per byte, never journaled (the API
 * promises no atomicity for them); into a transient array they cost nothing; the audit sees every such
 * change as the barrier's; an output API the model does not cover is refused at load time.
 */
class PlatformOutputTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] AID = HEX.parseHex("F0000008249905");
    private static final String DATA = "0102030405060708";

    private TransactionalCard card;

    @BeforeEach
    void install() {
        card = new TransactionalCard();
        card.install(AID, "nfcpay.reliability.applets.PlatformOutputApplet", new byte[0]);
        select();
    }

    private void select() {
        assertThat(card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID)).getSW()).isEqualTo(0x9000);
    }

    private int send(int ins, int p1, int p2) {
        return card.transmit(new CommandAPDU(0x80, ins, p1, p2, HEX.parseHex(DATA))).getSW();
    }

    private String out() {
        return HEX.formatHex(card.transmit(new CommandAPDU(0x80, 0x70, 0, 0, 32)).getData());
    }

    @ParameterizedTest(name = "INS {0}: {1} bytes")
    @CsvSource({"16, 8", "32, 8", "48, 8", "49, 8", "64, 16", "80, 32"})
    void intoAPersistentArrayEachByteIsATearPointAndTheAuditSeesIt(int ins, int bytes) {
        HeapSnapshot start = card.snapshot();
        card.memory().startAudit();
        long before = card.events();
        assertThat(send(ins, 0, 0)).isEqualTo(0x9000);
        assertThat(card.events() - before).isEqualTo(bytes);
        List<HeapSnapshot.Change> changes = card.snapshot().diff(start);
        assertThat(changes).isNotEmpty();
        assertThat(HeapSnapshot.unaudited(changes, card.memory().audited())).isEmpty();
    }

    @ParameterizedTest(name = "INS {0}")
    @CsvSource({"16", "32", "48", "49", "64", "80"})
    void intoATransientArrayItCostsNoEvent(int ins) {
        long before = card.events();
        assertThat(send(ins, 0, 1)).isEqualTo(0x9000);
        assertThat(card.events() - before).isZero();
        assertThat(out()).isEqualTo("00".repeat(32));
    }

    @Test
    void tornAfterKBytesTheFirstKAreNewAndTheRestOld() {
        assertThat(send(0x40, 0, 0)).isEqualTo(0x9000); // out = the 16 key bytes
        String key = out().substring(0, 32);
        assertThat(key).isEqualTo("0102030405060708090A0B0C0D0E0F10");
        for (int k = 0; k < 8; k++) {
            card.tearAfter(k);
            int ins = 0x10;
            assertThatThrownBy(() -> send(ins, 0, 0)).isInstanceOf(CardTornException.class);
            card.disarm();
            select();
            String now = out().substring(0, 16);
            assertThat(now.substring(2 * k)).as("bytes from %d keep the old value", k).isEqualTo(key.substring(2 * k, 16));
            card.tearAfter(16);
            assertThat(send(0x40, 0, 0)).isEqualTo(0x9000);
            card.disarm();
        }
    }

    @Test
    void anAbortDoesNotUndoThem() {
        assertThat(send(0x10, 1, 0)).isEqualTo(0x9000);
        assertThat(out().substring(0, 16)).isNotEqualTo("0000000000000000");
        assertThat(card.memory().rollbacks()).isEqualTo(1);
    }

    @Test
    void anOutputApiTheModelDoesNotCoverIsRefused() {
        assertThatThrownBy(() -> CardClassLoader.mutant().cardClass("nfcpay.reliability.applets.UnmodelledOutputApplet"))
                .hasStackTraceContaining("platform output javacard/security/KeyAgreement.generateSecret");
    }
}

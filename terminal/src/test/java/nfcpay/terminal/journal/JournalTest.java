package nfcpay.terminal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalTime;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    static final byte[] SERIAL = Bytes.fromHex("86240000000000000001");

    @TempDir
    Path dir;

    static PendingTransaction purchase(long terminalSerial, int counter, long fen) {
        return new PendingTransaction(TransactionKind.PURCHASE, terminalSerial, "F000000824010101", "Daily", SERIAL, counter,
                Money.cny(fen), 50_000, Bytes.fromHex("CAFEBABE"), LocalDate.of(2026, 3, 1), LocalTime.of(12, 34, 56), null);
    }

    private Path file() {
        return dir.resolve("journal.db");
    }

    @Test
    void aPendingRecordSurvivesReopeningWithEverythingRecoveryNeeds() throws TerminalException {
        long id;
        try (Journal j = Fixtures.journal(dir)) {
            id = j.recordPending(purchase(j.nextTerminalSerial(), 7, 1234));
        }
        try (Journal j = Fixtures.journal(dir)) {
            JournalRecord r = j.find(id).orElseThrow();
            assertThat(r.state()).isEqualTo(TransactionState.PENDING);
            assertThat(r.cardSerial()).isEqualTo(SERIAL);
            assertThat(r.cardRandom()).isEqualTo(Bytes.fromHex("CAFEBABE"));
            assertThat(r.counter()).isEqualTo(7);
            assertThat(r.terminalSerial()).isEqualTo(1);
            assertThat(r.terminalId()).isEqualTo(Fixtures.TERMINAL_ID);
            assertThat(r.amount()).isEqualTo(Money.cny(1234));
            assertThat(r.date()).isEqualTo(LocalDate.of(2026, 3, 1));
            assertThat(r.time()).isEqualTo(LocalTime.of(12, 34, 56));
            assertThat(Bytes.hex(r.purchaseData().terminalSerial())).isEqualTo("00000001");
            assertThat(j.pending("F000000824010101", SERIAL)).extracting(JournalRecord::id).containsExactly(id);
            assertThat(j.pending("F000000824010101", Bytes.fromHex("86240000000000000002"))).isEmpty();
            assertThat(j.pendingAids()).containsExactly("F000000824010101");
        }
    }

    @Test
    void terminalSerialsAndTheTerminalIdPersistAndNeverRepeat() throws TerminalException {
        try (Journal j = Fixtures.journal(dir)) {
            assertThat(j.nextTerminalSerial()).isEqualTo(1);
            assertThat(j.nextTerminalSerial()).isEqualTo(2);
        }
        try (Journal j = Journal.open(file(), Bytes.fromHex("999999999999"), Fixtures.CLOCK)) {
            assertThat(j.nextTerminalSerial()).isEqualTo(3);
            assertThat(j.terminalId()).as("an existing journal keeps its terminal ID").isEqualTo(Fixtures.TERMINAL_ID);
        }
    }

    @Test
    void aNewJournalGetsARandomBcdTerminalId() throws TerminalException {
        try (Journal a = Journal.open(dir.resolve("a.db")); Journal b = Journal.open(dir.resolve("b.db"))) {
            assertThat(a.terminalId()).hasSize(6).isNotEqualTo(b.terminalId());
            assertThat(Bytes.hex(a.terminalId())).matches("[0-9]{12}");
        }
    }

    @Test
    void aRecordLeavesPendingExactlyOnce() throws TerminalException {
        try (Journal j = Fixtures.journal(dir)) {
            long id = j.recordPending(purchase(j.nextTerminalSerial(), 0, 100));
            j.resolve(id, TransactionState.COMPLETED, Bytes.fromHex("01020304"), Bytes.fromHex("05060708"), null);

            assertThatThrownBy(() -> j.resolve(id, TransactionState.VOID, null, null, "again"))
                    .isInstanceOf(JournalException.class).hasMessageContaining("not pending");
            JournalRecord r = j.find(id).orElseThrow();
            assertThat(r.state()).isEqualTo(TransactionState.COMPLETED);
            assertThat(r.tacHex()).isEqualTo("01020304");
            assertThat(r.mac2()).isEqualTo(Bytes.fromHex("05060708"));
            assertThat(j.pending()).isEmpty();
            assertThatThrownBy(() -> j.resolve(id, TransactionState.PENDING, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void listIsNewestFirstAndPrintsNoSerial() throws TerminalException {
        try (Journal j = Fixtures.journal(dir)) {
            j.recordPending(purchase(j.nextTerminalSerial(), 0, 100));
            j.recordPending(purchase(j.nextTerminalSerial(), 1, 200));

            assertThat(j.list(10)).extracting(r -> r.amount().minor()).containsExactly(200L, 100L);
            assertThat(j.list(1)).hasSize(1);
            String printed = j.list(10).toString();
            assertThat(printed).doesNotContain(Bytes.hex(SERIAL)).contains("****************0001");
        }
    }

    @Test
    void theDatabaseIsWalWithFullSyncAndTheSchemaIsVersioned() throws Exception {
        try (Journal j = Fixtures.journal(dir)) {
            j.recordPending(purchase(j.nextTerminalSerial(), 0, 100));
            assertThat(Files.exists(dir.resolve("journal.db-wal"))).isTrue();
            assertThat(j.pragma("journal_mode")).isEqualTo("wal");
            assertThat(j.pragma("synchronous")).as("2 = FULL: every commit is synced").isEqualTo("2");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM transactions WHERE state = 'PENDING'")) {
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aPendingRecordIsVisibleToAnotherConnectionAsSoonAsRecordPendingReturns() throws TerminalException {
        try (Journal writer = Fixtures.journal(dir); Journal reader = Fixtures.journal(dir)) {
            writer.recordPending(purchase(writer.nextTerminalSerial(), 0, 100));

            assertThat(reader.pending()).hasSize(1);
        }
    }

    @Test
    void aFileThatIsNotAJournalIsAClearError() throws Exception {
        Files.writeString(file(), "this is not a database, just text that is long enough to be checked by sqlite");

        assertThatThrownBy(() -> Fixtures.journal(dir)).isInstanceOf(JournalException.class)
                .hasMessageStartingWith("cannot open the journal");
    }
}

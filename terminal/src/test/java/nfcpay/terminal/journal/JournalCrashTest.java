package nfcpay.terminal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A terminal killed with SIGKILL loses nothing it reported as written: a child JVM writes to the
 * journal and is killed ({@link Process#destroyForcibly}) at a chosen point; the parent reopens
 * the file and finds every record the child said it committed.
 */
class JournalCrashTest {

    @TempDir
    Path dir;

    private Process start(String mode) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", classpath, JournalCrashChild.class.getName(),
                dir.resolve("journal.db").toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL on POSIX: no shutdown hooks, no finally blocks
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed, not exited").isNotZero();
    }

    @Test
    void aPendingRecordSurvivesAKillBeforeDebit() throws Exception {
        Process child = start("after-pending");
        long serial;
        long id;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            serial = Long.parseLong(out.readLine().split(" ")[1]);
            id = Long.parseLong(out.readLine().split(" ")[1]);
            kill(child);
        }

        try (Journal j = Fixtures.journal(dir)) {
            List<JournalRecord> pending = j.pending();
            assertThat(pending).extracting(JournalRecord::id).containsExactly(id);
            assertThat(pending.get(0).terminalSerial()).isEqualTo(serial);
            assertThat(pending.get(0).counter()).isEqualTo(5);
            assertThat(j.nextTerminalSerial()).as("a serial handed out before the crash is never handed out again")
                    .isGreaterThan(serial);
        }
    }

    @Test
    void everyRecordReportedCommittedSurvivesAKillInTheMiddleOfWriting() throws Exception {
        Process child = start("while-writing");
        long lastPending = 0;
        long lastCompleted = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (int lines = 0; lines < 41; lines++) { // stop after a PENDING line: mid-transaction
                String[] line = out.readLine().split(" ");
                if (line[0].equals("pending")) {
                    lastPending = Long.parseLong(line[1]);
                } else {
                    lastCompleted = Long.parseLong(line[1]);
                }
            }
            kill(child);
        }

        try (Journal j = Fixtures.journal(dir)) {
            for (long id = 1; id <= lastCompleted; id++) {
                assertThat(j.find(id)).as("record %d", id).get().extracting(JournalRecord::state)
                        .isEqualTo(TransactionState.COMPLETED);
            }
            assertThat(j.find(lastPending)).as("the last reported PENDING").isPresent();
            assertThat(lastPending).isGreaterThan(lastCompleted);
            // whatever the child wrote after its last report may or may not be there, but never half
            for (JournalRecord r : j.list(1_000)) {
                assertThat(r.tac() == null).isEqualTo(r.state() == TransactionState.PENDING);
            }
        }
    }

    @Test
    void theJournalOpensCleanlyAfterAKill() throws Exception {
        Process child = start("while-writing");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            out.readLine();
            kill(child);
        }
        try (Journal j = Fixtures.journal(dir)) {
            long before = j.list(1_000).size();
            j.recordPending(JournalTest.purchase(j.nextTerminalSerial(), 99, 1));
            assertThat(j.list(1_000)).hasSize((int) before + 1);
        } catch (TerminalException e) {
            throw new AssertionError("the journal must open after a crash", e);
        }
    }
}

package nfcpay.terminal.journal;

import java.nio.file.Path;
import java.time.Clock;
import nfcpay.terminal.apdu.Bytes;

/**
 * The process {@link JournalCrashTest} kills: writes to a journal and reports each committed step
 * on stdout, then either waits to be killed or keeps writing until it is.
 *
 * <p>{@code JournalCrashChild <journal file> after-pending|while-writing}
 */
public final class JournalCrashChild {

    private JournalCrashChild() {}

    public static void main(String[] args) throws Exception {
        Journal journal = Journal.open(Path.of(args[0]), Bytes.fromHex("001122334455"), Clock.systemUTC());
        if (args[1].equals("after-pending")) {
            long serial = journal.nextTerminalSerial();
            System.out.println("serial " + serial);
            long id = journal.recordPending(JournalTest.purchase(serial, 5, 1234));
            System.out.println("pending " + id);
            System.out.flush();
            Thread.sleep(60_000); // the parent kills us here, between PENDING and DEBIT
        } else {
            for (int counter = 0; ; counter++) {
                long serial = journal.nextTerminalSerial();
                long id = journal.recordPending(JournalTest.purchase(serial, counter, 100 + counter));
                System.out.println("pending " + id + " serial " + serial);
                journal.resolve(id, TransactionState.COMPLETED, Bytes.fromHex("01020304"), Bytes.fromHex("05060708"), null);
                System.out.println("completed " + id);
                System.out.flush();
            }
        }
    }
}

package nfcpay.cli;

import java.util.List;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.issuer.IssuerHostException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;

/** What a terminal exchanges with the issuer host besides loads: clearing (5.2) and the hot list (5.4). */
final class HostSync {

    static final int BATCH = 1_000;

    /** What one upload did. */
    record Upload(int cleared, int duplicate, int rejected) {}

    private HostSync() {}

    /**
     * Sends every completed purchase the host has not acknowledged, in batches, and records each answer in the
     * journal (so it is never sent again once answered).
     *
     * @throws IssuerHostException when the host refuses the token or cannot be reached: what it answered so far
     *     stays acknowledged, the rest waits for the next upload
     */
    static Upload upload(IssuerHost issuer, Journal journal) throws TerminalException {
        int cleared = 0;
        int duplicate = 0;
        int rejected = 0;
        long sent = 0;
        while (true) {
            List<JournalRecord> batch = journal.unacknowledgedPurchases(BATCH);
            if (batch.isEmpty()) {
                return new Upload(cleared, duplicate, rejected);
            }
            List<String> answers = issuer.clear(journal.terminalId(), batch);
            for (int i = 0; i < batch.size(); i++) {
                String a = answers.get(i);
                journal.acknowledge(batch.get(i).id(), a);
                if (a.equals("cleared")) {
                    cleared++;
                } else if (a.equals("duplicate")) {
                    duplicate++;
                } else {
                    rejected++;
                }
            }
            sent += batch.size();
            if (sent > 10_000_000) {
                throw new TerminalException("more than 10,000,000 purchases to upload: stopping (a bug?)");
            }
        }
    }

    /**
     * The hot list this terminal refuses: fetched from the host and kept in the journal with its version when the
     * host answers, else the one kept from the last time (a terminal offline still refuses what it knew).
     *
     * @return a note when the host could not be asked, else null
     */
    static String refreshHotList(IssuerHost issuer, Journal journal) throws TerminalException {
        try {
            IssuerHost.HotList list = issuer.hotList();
            if (list.version() != journal.hotListVersion()) {
                journal.saveHotList(list.version(), list.cards());
            }
            return null;
        } catch (IssuerHostException e) {
            if (e.unreachable()) {
                long v = journal.hotListVersion();
                return "hot list not refreshed (" + e.getMessage() + "); using " + (v < 0 ? "none" : "version " + v);
            }
            throw e;
        }
    }
}

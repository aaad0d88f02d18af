package nfcpay.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.issuer.HttpIssuerHost;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nfcpay upload}: clearing (PROTOCOL.md 5.2) of every journaled purchase the host has not acknowledged. */
@Command(name = "upload",
        description = {"Send every completed purchase of this terminal's journal that the issuer host has not"
            + " acknowledged yet, in batches of 1,000, and remember each answer (cleared, duplicate, rejected) in the"
            + " journal. Safe to repeat: the host clears each purchase once. See docs/host.md."})
final class UploadCommand implements Callable<Integer> {

    static final int BATCH = 1_000;

    @ParentCommand
    NfcpayCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", required = true, paramLabel = "URL", description = "The issuer host, e.g. http://127.0.0.1:8080.")
    String host;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "This terminal's bearer token (nfcpay host token --terminal ID); default: $NFCPAY_HOST_TOKEN.")
    String token;

    @Override
    public Integer call() throws TerminalException {
        String t = token != null ? token : System.getenv("NFCPAY_HOST_TOKEN");
        if (t == null || t.isBlank()) {
            throw new ParameterException(spec.commandLine(), "give this terminal's token with --token or $NFCPAY_HOST_TOKEN");
        }
        IssuerHost issuer;
        try {
            issuer = new HttpIssuerHost(host, t.strip());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--host: " + e.getMessage());
        }
        int cleared = 0;
        int duplicate = 0;
        int rejected = 0;
        try (Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
            long sent = 0;
            while (true) {
                List<JournalRecord> batch = journal.unacknowledgedPurchases(BATCH);
                if (batch.isEmpty()) {
                    break;
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
        Map<String, Object> json = Json.object();
        json.put("status", "uploaded");
        json.put("cleared", cleared);
        json.put("duplicate", duplicate);
        json.put("rejected", rejected);
        int c = cleared;
        int d = duplicate;
        int r = rejected;
        root.print(json, text -> text.println("uploaded to " + host + ": " + c + " cleared, " + d + " already cleared, "
                + r + " rejected" + (c + d + r == 0 ? " (nothing to upload)" : "")), false);
        return rejected == 0 ? Main.OK : Main.ERROR;
    }
}

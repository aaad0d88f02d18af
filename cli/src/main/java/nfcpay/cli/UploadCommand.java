package nfcpay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nfcpay upload}: clearing (PROTOCOL.md 5.2) of every journaled purchase the host has not acknowledged. */
@Command(name = "upload",
        description = {"Send every completed purchase of this terminal's journal that the issuer host has not"
            + " acknowledged yet, in batches of 1,000, and remember each answer (cleared, duplicate, rejected) in the"
            + " journal; confirm to the host the loads whose confirmation did not get through. Safe to repeat: the host"
            + " clears each purchase once. See docs/host.md."})
final class UploadCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions hostOptions;

    @Override
    public Integer call() throws TerminalException {
        IssuerHost issuer = hostOptions.issuer(root);
        if (issuer == null) {
            throw new ParameterException(spec.commandLine(), "give the issuer host with --host URL");
        }
        HostSync.Upload u;
        int loadsPosted;
        try (Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
            u = HostSync.upload(issuer, journal);
            loadsPosted = Kernel.builder().journal(journal).issuerHost(issuer).build().confirmLoads();
        }
        Map<String, Object> json = Json.object();
        json.put("status", "uploaded");
        json.put("cleared", u.cleared());
        json.put("duplicate", u.duplicate());
        json.put("rejected", u.rejected());
        json.put("loads_confirmed", loadsPosted);
        int total = u.cleared() + u.duplicate() + u.rejected();
        root.print(json, text -> text.println("uploaded to " + hostOptions.host + ": " + u.cleared() + " cleared, "
                + u.duplicate() + " already cleared, " + u.rejected() + " rejected" + (total == 0 ? " (nothing to upload)" : "")
                + (loadsPosted > 0 ? "; " + loadsPosted + " load" + (loadsPosted == 1 ? "" : "s") + " confirmed" : "")), false);
        return u.rejected() == 0 ? Main.OK : Main.ERROR;
    }
}

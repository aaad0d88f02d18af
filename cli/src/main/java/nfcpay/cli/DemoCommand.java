package nfcpay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.HexFormat;
import java.util.Optional;
import nfcpay.host.Host;
import nfcpay.host.db.HostStartException;
import nfcpay.host.keys.SoftwareKeyService;
import nfcpay.terminal.issuer.HttpIssuerHost;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.PurchaseResult;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code nfcpay demo}: the story of the project in four taps on simulated SIMs. */
@Command(name = "demo",
        description = {"Tell the story: a simulated SIM, three cards, four purchases of one tap each.",
            "",
            "The SIM holds Daily Wallet 15.00 (the default card), Salary Card 320.00 and Travel Card 1500.00. The story:"
                + " the default card pays; the default card is short and the SIM picks another card in the same tap;"
                + " no card can pay and the tap gets one clear answer; the balances before and after;"
                + " and, for contrast, a legacy SIM where the terminal's fallback finds the card.",
            "",
            "The story ends with the issuer host: an in-process one (embedded PostgreSQL under a temporary directory,"
                + " test keys, deleted at the end) loads the SIMs' opening balances, clears the purchases and checks its"
                + " ledger. Starting it takes a few seconds.",
            "",
            "The journal is a temporary one, deleted at the end, unless --data-dir is given."})
final class DemoCommand implements Callable<Integer> {

    static final Money DEFAULT_CARD_PAYS = Money.cny(1_200);
    static final Money DEFAULT_CARD_SHORT = Money.cny(2_500);
    static final Money NO_CARD_CAN_PAY = Money.cny(200_000);

    @ParentCommand
    NfcpayCommand root;

    @Option(names = "--platform", paramLabel = "PLATFORM", converter = SimPlatform.Converter.class,
            description = "What the simulated SIMs run on: jcardsim (default, in this process) or cref (Oracle's Java Card"
                    + " 3.0.5 reference VM under Wine, from the CAP files; needs NFCPAY_CREF and a build with JC_HOME,"
                    + " docs/card.md).")
    SimPlatform platform = SimPlatform.JCARDSIM;

    /** One purchase of the story: what it shows (a headline, and a line of how, or null), and the answer. */
    private record Step(String title, String how, PurchaseResult result) {

        String story() {
            return how == null ? title : title + " " + how;
        }
    }

    /** What the issuer host did at the end of the story. */
    private record Clearing(double startSeconds, HostSync.Upload upload, Map<String, Object> check) {}

    @Override
    public Integer call() throws TerminalException, IOException, HostStartException {
        Kernel.Builder kernel = root.keys().kernel(Keys.Use.PURCHASE);
        Path dir = root.dataDir != null ? root.dataDir : Files.createTempDirectory("nfcpay-demo");
        Path hostDir = Files.createTempDirectory("nfcpay-demo-host");
        try {
            long t0 = System.nanoTime();
            try (Host host = Host.start(hostDir, 0, Optional.empty(), SoftwareKeyService.withTestKeys())) {
                return tell(kernel, dir, host, hostDir, (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            deleteTree(hostDir);
            if (root.dataDir == null) {
                deleteTree(dir);
            }
        }
    }

    private int tell(Kernel.Builder kernelBuilder, Path dir, Host host, Path hostDir, double startSeconds)
            throws TerminalException, HostStartException {
        Wallet before;
        Wallet after;
        List<Step> steps = new ArrayList<>();
        Step legacy;
        String journalFile;
        Clearing clearing;
        try (Journal journal = NfcpayCommand.openJournal(dir)) {
            String terminalId = HexFormat.of().withUpperCase().formatHex(journal.terminalId());
            IssuerHost issuer = new HttpIssuerHost(host.url(), Host.issueToken(hostDir, Optional.empty(), terminalId));
            HostLoadIssuer opening = new HostLoadIssuer(issuer, journal.terminalId());
            Field smart = Field.simulated(platform.build(Field.simulation(Field.DEFAULT_WALLET, null, false, opening), root),
                    root.trace());
            Kernel kernel = kernelBuilder.journal(journal).build();
            journalFile = journal.file().toString();
            try (Transport card = smart.tap()) {
                before = Wallet.read(kernel, card);
            }
            String defaultCard = before.directory().candidates().get(0).label();
            steps.add(new Step(Text.money(DEFAULT_CARD_PAYS) + ": " + defaultCard + ", the default card, covers it.", null,
                    purchase(kernel, smart, DEFAULT_CARD_PAYS)));
            steps.add(new Step(Text.money(DEFAULT_CARD_SHORT) + ": more than " + defaultCard
                    + " has left.", "The SIM picks another card in the same tap.", purchase(kernel, smart, DEFAULT_CARD_SHORT)));
            steps.add(new Step(Text.money(NO_CARD_CAN_PAY) + ": more than any card holds.", "The tap still gets one clear answer.",
                    purchase(kernel, smart, NO_CARD_CAN_PAY)));
            try (Transport card = smart.tap()) {
                after = Wallet.read(kernel, card);
            }
            Field legacySim = Field.simulated(platform.build(Field.simulation(Field.DEFAULT_WALLET, null, true, opening), root),
                    root.trace());
            legacy = new Step(Text.money(DEFAULT_CARD_SHORT) + " on a legacy SIM (plain PPSE, no smart selection), the same"
                    + " three cards, fresh.", "The terminal tries them in priority order and moves on when " + defaultCard
                    + " answers 9401.", purchase(kernel, legacySim, DEFAULT_CARD_SHORT));
            clearing = new Clearing(startSeconds, HostSync.upload(issuer, journal), host.ledgerCheck());
        }
        boolean testKeys = steps.get(0).result().testKeys();
        String journalShown = root.dataDir != null ? journalFile : null;
        Map<String, Object> json = json(before, steps, after, legacy, journalShown);
        json.put("clearing", clearingJson(clearing));
        root.print(json, out -> {
            out.println("nfcpay demo: a simulated SIM with three cards" + (platform == SimPlatform.CREF
                    ? ", on Oracle's Java Card reference VM" : "") + ". Each purchase is one tap.");
            out.println();
            out.println("Balances before (smart selection: " + (before.directory().smartSelection() ? "yes" : "no") + "):");
            before.print(out, "  ");
            int n = 1;
            for (Step s : steps) {
                print(out, n++, s);
            }
            out.println();
            out.println("Balances after:");
            after.print(out, "  ");
            out.println();
            out.println("For contrast:");
            print(out, n, legacy);
            out.println();
            printClearing(out, clearing);
            out.println();
            out.println(journalShown == null ? "(journal: a temporary one, deleted now; --data-dir keeps it)"
                    : "(journal: " + journalShown + ")");
        }, testKeys);
        return Main.OK;
    }

    private static void printClearing(PrintWriter out, Clearing c) {
        HostSync.Upload u = c.upload();
        out.println("Clearing: the issuer host (in-process: embedded PostgreSQL under a temporary directory, test keys,"
                + String.format(java.util.Locale.ROOT, " started in %.1f s)", c.startSeconds()));
        out.println("  it loaded the SIMs' opening balances; the terminal uploaded its purchases: " + u.cleared() + " cleared, "
                + u.duplicate() + " already cleared, " + u.rejected() + " rejected");
        out.println("  ledger check: " + (Boolean.TRUE.equals(c.check().get("balanced")) ? "balanced" : "NOT balanced")
                + " (all lines sum to " + c.check().get("total") + "; " + c.check().get("cards_checked")
                + " card floats equal their loads minus their cleared purchases"
                + (((List<?>) c.check().get("card_mismatches")).isEmpty() ? "" : ", except "
                        + c.check().get("card_mismatches")) + ")");
    }

    private static Map<String, Object> clearingJson(Clearing c) {
        Map<String, Object> o = Json.object();
        o.put("cleared", c.upload().cleared());
        o.put("duplicate", c.upload().duplicate());
        o.put("rejected", c.upload().rejected());
        o.put("ledger_balanced", Boolean.TRUE.equals(c.check().get("balanced"))
                && ((List<?>) c.check().get("card_mismatches")).isEmpty());
        o.put("cards_checked", c.check().get("cards_checked"));
        o.put("host_start_seconds", String.format(java.util.Locale.ROOT, "%.1f", c.startSeconds()));
        return o;
    }

    private static PurchaseResult purchase(Kernel kernel, Field field, Money amount) throws TerminalException {
        try (Transport card = field.tap()) {
            return kernel.purchase(card, amount);
        }
    }

    private static void print(PrintWriter out, int n, Step s) {
        out.println();
        out.println(n + ". " + s.title());
        if (s.how() != null) {
            out.println("   " + s.how());
        }
        out.println("   " + Receipts.summary(s.result()));
    }

    private static Map<String, Object> json(Wallet before, List<Step> steps, Wallet after,
            Step legacy, String journal) {
        Map<String, Object> o = Json.object();
        o.put("smart_selection", before.directory().smartSelection());
        o.put("before", before.json());
        List<Object> purchases = new ArrayList<>();
        for (Step s : steps) {
            purchases.add(stepJson(s));
        }
        o.put("purchases", purchases);
        o.put("after", after.json());
        o.put("legacy", stepJson(legacy));
        o.put("journal", journal);
        return o;
    }

    private static Map<String, Object> stepJson(Step s) {
        Map<String, Object> o = Json.object();
        o.put("story", s.story());
        o.putAll(Receipts.json(s.result()));
        return o;
    }

    /** Best effort: a temporary directory left behind harms nothing, and must not hide how the demo ended. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException leftBehind) {
            // the system's temporary directory is cleaned by the system
        }
    }
}

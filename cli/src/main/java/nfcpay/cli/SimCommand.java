package nfcpay.cli;

import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.pcsc.ApduHandler;
import nfcpay.sim.pcsc.CardSimulatorHandler;
import nfcpay.sim.pcsc.PlatformHandler;
import nfcpay.sim.pcsc.VpcdCard;
import nfcpay.sim.pcsc.VpcdMain;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.TracingTransport;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code nfcpay sim --pcsc}: a simulated SIM as a card in pcscd's virtual reader, for terminals and
 * tools in other processes. Its state lives as long as the command; it runs in the foreground.
 */
@Command(name = "sim",
        description = {"Serve a simulated SIM as a card in a PC/SC reader, for nfcpay and any other PC/SC client in other"
                + " processes: nfcpay pay --reader, nfcpay cards --reader, opensc-tool, pcsc_scan.",
            "",
            VpcdCard.SETUP_HINT + " The script also installs opensc and pcsc-tools (opensc-tool, pcsc_scan) and"
                + " waits until vpcd listens.",
            "",
            "The SIM is built from the --card options as for pay (the demo wallet when there are none) and keeps its"
                + " balances, counters and logs while this command runs. It prints the reader to use (\"Virtual PCD 00 00\""
                + " for vpcd's first slot) and stays in the foreground; if vpcd cannot be reached it says so once and"
                + " keeps retrying. Ctrl-C or SIGTERM stops it (exit 130 or 143, as signals do).",
            "",
            "Commands on standard input, one a line: remove (take the card out of the reader; its state stays),"
                + " insert (put it back, powered up afresh), toggle, status, quit (stop, exit 0). End of input does not"
                + " stop it.",
            "",
            "--trace prints every APDU the card answers on stderr, masked as for pay."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped with quit", "1:an error (one line on stderr)", "130, 143:stopped by Ctrl-C, SIGTERM"})
final class SimCommand implements Callable<Integer> {

    static final String LOG_PREFIX = "nfcpay sim: ";

    @ParentCommand
    NfcpayCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--pcsc", description = "Serve the SIM to pcscd through the vsmartcard virtual reader (vpcd): the"
            + " only mode, required.")
    boolean pcsc;

    @Option(names = "--card", paramLabel = CardArg.SPEC_FORM, converter = CardArg.SpecConverter.class,
            description = "A card and its balance, e.g. 'Daily Wallet=15.00' or 'Euro=20@EUR'. Repeat it; the first is"
                    + " priority 1 (default: Daily Wallet 15.00, Salary Card 320.00, Travel Card 1500.00).")
    List<CardArg> cards = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "POLICY", converter = Field.PolicyConverter.class,
            description = "How the SIM picks among the cards that can pay: priority (default), best-fit, most-funds or any.")
    SelectionPolicy policy;

    @Option(names = "--legacy",
            description = "A plain PPSE without smart selection, as SIMs carry today; terminals fall back to priority order.")
    boolean legacy;

    @Option(names = "--platform", paramLabel = "PLATFORM", converter = SimPlatform.Converter.class,
            description = "What the SIM runs on: jcardsim (default, in this process) or cref (Oracle's Java Card 3.0.5"
                    + " reference VM under Wine, from the CAP files; needs NFCPAY_CREF and a build with JC_HOME, docs/card.md).")
    SimPlatform platform;

    @Option(names = "--vpcd", paramLabel = "HOST:PORT", converter = VpcdAddressConverter.class,
            description = "Where vpcd listens (default: 127.0.0.1:35963, its first slot, reader \"Virtual PCD 00 00\";"
                    + " 35964 is the second slot, \"Virtual PCD 00 01\").")
    InetSocketAddress vpcd;

    @picocli.CommandLine.Mixin
    HostOptions hostOptions;

    @Override
    public Integer call() throws InterruptedException, nfcpay.terminal.TerminalException {
        if (!pcsc) {
            throw new ParameterException(spec.commandLine(),
                    "sim needs --pcsc: serving the simulated SIM to pcscd is its only mode");
        }
        refuse(root.json, "--json: sim prints what happens as it runs, not one JSON object");
        refuse(root.typed("--key-file"), "--key-file: the simulated SIM is always issued under the published test keys");
        InetSocketAddress address = vpcd != null ? vpcd : VpcdCard.parseAddress(VpcdCard.DEFAULT_HOST);
        requireResolvable(address);
        nfcpay.terminal.issuer.IssuerHost issuer = hostOptions.issuer(root);
        HostLoadIssuer opening = null;
        if (issuer != null) {
            // The opening balances are loaded through the host as the terminal of --data-dir (its token's terminal),
            // so that the host's ledger knows where every unit on these cards came from.
            try (nfcpay.terminal.journal.Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
                opening = new HostLoadIssuer(issuer, journal.terminalId());
            }
        }
        SimulatedSim sim = FieldOptions.simulate(spec.commandLine(), cards, policy, legacy, opening, platform, root);
        PrintWriter out = root.out();
        describe(out, sim);
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = line -> {
            err.println(LOG_PREFIX + line);
            err.flush();
        };
        ApduHandler card = platform == null || platform == SimPlatform.JCARDSIM
                ? new CardSimulatorHandler(sim.cardSimulator()) : new PlatformHandler(sim.platform(), sim.lock());
        Consumer<String> trace = root.trace();
        if (trace != null) {
            card = new TracedCard(card, trace);
        }
        VpcdMain.serve(card, address,
                new InputStreamReader(root.environment().stdin(), StandardCharsets.UTF_8), out, log);
        return Main.OK;
    }

    /**
     * A vpcd that is not listening yet is waited for (pcscd may start after the SIM), but a host name that does not
     * resolve will not start to: saying "card ready" and retrying forever would hide a typo.
     */
    private void requireResolvable(InetSocketAddress address) {
        try {
            InetAddress.getByName(address.getHostString());
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--vpcd: no host named '" + address.getHostString()
                    + "' (write HOST:PORT, e.g. 127.0.0.1:35963)");
        }
    }

    private void refuse(boolean given, String why) {
        if (given) {
            throw new ParameterException(spec.commandLine(), why);
        }
    }

    /** The SIM's cards, read back from it, before it goes into the reader. */
    private void describe(PrintWriter out, SimulatedSim sim) {
        int n = sim.cards().size();
        out.println("nfcpay sim: a simulated SIM with " + n + " card" + (n == 1 ? "" : "s") + ", "
                + (sim.isLegacy() ? "legacy (plain PPSE, no smart selection)"
                        : "smart selection (policy " + Field.policyName(sim.policy()) + ")"));
        Text.Table table = new Text.Table("PRIORITY", "LABEL", "AID", "BALANCE");
        for (SimCard c : sim.cards()) {
            table.row(c.priority(), c.label(), c.aidHex(), Text.money(Money.of(sim.balance(c.label()), c.currency())));
        }
        table.print(out, "  ");
        out.println(NfcpayCommand.TEST_KEYS_FOOTER);
        out.flush();
    }

    /** picocli's hook for --vpcd: HOST:PORT, HOST, :PORT or [IPv6]:PORT. The host is resolved when the card connects. */
    static final class VpcdAddressConverter implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            InetSocketAddress address;
            try {
                address = VpcdCard.parseAddress(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (write HOST:PORT, e.g. 127.0.0.1:35963)");
            }
            if (!isHost(address.getHostString())) {
                throw new TypeConversionException("'" + value + "' does not name a host (write HOST:PORT, e.g. 127.0.0.1:35963)");
            }
            return address;
        }

        /** A host name or IPv4 address, or an IPv6 literal (checked without a name lookup). */
        private static boolean isHost(String host) {
            if (host.indexOf(':') < 0) {
                return host.matches("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
            }
            try {
                // a string with a colon is only ever parsed as an IPv6 literal, never looked up
                return InetAddress.getByName(host) instanceof Inet6Address;
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }

    /** The card with every APDU it answers written to the trace, masked by the terminal's {@link TracingTransport}. */
    private static final class TracedCard implements ApduHandler {

        private final ApduHandler card;
        private final TracingTransport traced;

        TracedCard(ApduHandler card, Consumer<String> trace) {
            this.card = card;
            this.traced = new TracingTransport(new Transport() {
                @Override
                public byte[] transceive(byte[] command) {
                    return card.transmit(command);
                }

                @Override
                public void close() {
                    // the card stays: vpcd owns its life
                }
            }, trace);
        }

        @Override
        public byte[] atr() {
            return card.atr();
        }

        @Override
        public byte[] transmit(byte[] command) {
            try {
                return traced.transceive(command);
            } catch (TransportException e) {
                throw new IllegalStateException("the card itself cannot fail as a transport", e);
            }
        }

        @Override
        public void reset() {
            card.reset();
        }
    }
}

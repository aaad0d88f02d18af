package nfcpay.reliability.chaos;

import nfcpay.bench.measure.SimulatedIssuerHost;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.Recovery;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.Transports;

/**
 * The terminal process of the kill run: the kernel and its journal file, its card reader the
 * parent's APDU bridge. It takes one intent a line on standard input and answers one line when
 * the intent is settled:
 *
 * <pre>
 * purchase ID AMOUNT_MINOR WATERMARK      → settled ID STATUS TAPS [RECOVERY_STATE...]
 * load ID AID AMOUNT_MINOR WATERMARK
 * quit                                    → (exits 0)
 * </pre>
 *
 * The parent kills it with SIGKILL at any moment and starts another on the same journal file, which
 * gets the same intent (same watermark) and must finish it without paying it twice.
 * Usage: {@code TerminalProcess PORT JOURNAL}.
 */
public final class TerminalProcess {

    private static final int MAX_TAPS = 40;
    private static final Currency CNY = Currency.getInstance("CNY");

    private TerminalProcess() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path journalFile = Path.of(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Journal journal = Journal.open(journalFile);
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                DataInputStream fromCard = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                DataOutputStream toCard = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
                BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            socket.setTcpNoDelay(true);
            // A restarted process starts a new in-process issuer: what the killed one authorized is settled by the card.
            Cashier cashier = new Cashier(Kernel.builder().journal(journal)
                    .issuerHost(new SimulatedIssuerHost(journal.terminalId())).build());
            out.println("ready");
            for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
                Intent intent = parse(line.split(" "));
                out.println(settle(cashier, intent, fromCard, toCard));
            }
        }
    }

    private static Intent parse(String[] w) {
        if (w[0].equals("purchase")) {
            return Intent.purchase(Long.parseLong(w[1]), Money.of(Long.parseLong(w[2]), CNY), 0,
                    Long.parseLong(w[3]));
        }
        if (w[0].equals("load")) {
            return Intent.load(Long.parseLong(w[1]), w[2], Money.of(Long.parseLong(w[3]), CNY), 0,
                    Long.parseLong(w[4]));
        }
        throw new IllegalArgumentException("unknown command " + w[0]);
    }

    private static String settle(Cashier cashier, Intent intent, DataInputStream fromCard, DataOutputStream toCard)
            throws Exception {
        List<String> recoveries = new ArrayList<>();
        for (int tap = 1; tap <= MAX_TAPS; tap++) {
            try (Transport card = Transports.stack(new BridgeTransport(fromCard, toCard), null)) {
                Cashier.Tap result = cashier.tap(card, intent);
                for (Recovery r : result.recoveries()) {
                    recoveries.add(r.state().name());
                }
                if (result.status().settled()) {
                    return "settled " + intent.id() + " " + result.status() + " " + tap
                            + (recoveries.isEmpty() ? "" : " " + String.join(" ", recoveries));
                }
            } catch (CardRemovedException e) {
                // the bridge does not remove the card; tap again all the same
            }
        }
        return "settled " + intent.id() + " " + Cashier.Status.UNSETTLED + " " + MAX_TAPS;
    }
}

package nfcpay.sim.pcsc;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import javacard.framework.AID;
import javacard.framework.Applet;
import nfcpay.sim.SimulatedSim;

/**
 * A bare runner of the virtual card, for trying the PC/SC path by hand and from tests; the
 * project's command line ({@code nfcpay sim --pcsc}) builds its own SIM and calls {@link #serve}.
 *
 * <pre>
 * java -cp ... nfcpay.sim.pcsc.VpcdMain [--vpcd HOST:PORT] [--applet AID=CLASS ...]
 * </pre>
 *
 * Without {@code --applet} it serves {@link SimulatedSim#defaultWallet()}. Each {@code --applet}
 * instead installs an applet class from the class path under an AID (hex) on a fresh jcardsim card,
 * with GlobalPlatform install parameters {@code Li AID | 00 | 00}.
 */
public final class VpcdMain {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: VpcdMain [--vpcd HOST:PORT] [--applet AID=CLASS ...]",
            "  Serves the demo wallet SIM (or a jcardsim card with the given applets) to pcscd through",
            "  the vsmartcard virtual reader (vpcd). --vpcd defaults to " + VpcdCard.DEFAULT_HOST + ":" + VpcdCard.DEFAULT_PORT + ".",
            "  " + VpcdCard.SETUP_HINT,
            "  Stays in the foreground; Ctrl-C or SIGTERM stops it. " + ConsoleControl.HELP + " (standard input).");

    /** How long the card may take to reach a listening vpcd before the first line says it is not ready. */
    private static final java.time.Duration READY_WAIT = java.time.Duration.ofSeconds(3);

    /** How long a stopped card waits for the console to print its answer to {@code quit}. */
    private static final long CONSOLE_LAST_WORD_MILLIS = 1_000;

    private VpcdMain() {}

    public static void main(String[] args) throws InterruptedException {
        InetSocketAddress vpcd = VpcdCard.parseAddress(VpcdCard.DEFAULT_HOST);
        List<String[]> applets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--vpcd":
                    vpcd = VpcdCard.parseAddress(value(args, ++i));
                    break;
                case "--applet":
                    String spec = value(args, ++i);
                    int eq = spec.indexOf('=');
                    if (eq <= 0) {
                        fail("--applet takes AID=CLASS, got " + spec);
                    }
                    applets.add(new String[] {spec.substring(0, eq), spec.substring(eq + 1)});
                    break;
                case "-h":
                case "--help":
                    System.out.println(USAGE);
                    return;
                default:
                    fail("unknown argument " + args[i]);
            }
        }
        CardSimulator simulator;
        if (applets.isEmpty()) {
            SimulatedSim sim = SimulatedSim.defaultWallet();
            sim.cards().forEach(c -> System.out.println("card: " + c.label() + " (" + c.aidHex() + ", priority " + c.priority() + ")"));
            simulator = sim.cardSimulator();
        } else {
            simulator = new CardSimulator();
            for (String[] applet : applets) {
                install(simulator, applet[0], applet[1]);
            }
        }
        serve(new CardSimulatorHandler(simulator), vpcd);
    }

    /**
     * Serves {@code card} until Ctrl-C, SIGTERM or {@code quit}: prints the reader to use, reads
     * presence commands from standard input, and closes the connection from a shutdown hook.
     */
    public static void serve(ApduHandler card, InetSocketAddress vpcd) throws InterruptedException {
        serve(card, vpcd, new InputStreamReader(System.in, StandardCharsets.UTF_8),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8), line -> System.err.println("vpcd: " + line));
    }

    /**
     * Serves {@code card} until Ctrl-C, SIGTERM or {@code quit}, for a program with its own streams
     * (the command line): prints the reader to use on {@code out}, runs the presence commands of
     * {@code commands} ({@link ConsoleControl}, answers on {@code out}) on a daemon thread, and closes
     * the connection from a shutdown hook. End of {@code commands} does not stop the card. A vpcd
     * that cannot be reached is not an error: the card retries until it can, saying so once on
     * {@code log}.
     *
     * @param log the card's events, one line each ({@link VpcdCard#VpcdCard(ApduHandler, InetSocketAddress, Consumer)})
     */
    public static void serve(ApduHandler card, InetSocketAddress vpcd, Reader commands, PrintWriter out,
            Consumer<String> log) throws InterruptedException {
        VpcdCard virtualCard = new VpcdCard(card, vpcd, log);
        Thread hook = new Thread(virtualCard::close, "vpcd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            virtualCard.start();
            // "card ready" only once vpcd has the card: said while it is unreachable, it sent people to a reader
            // that had no card (issue 16). A vpcd that comes later is still served; the log says when.
            if (virtualCard.awaitState(VpcdCard.State.CONNECTED, READY_WAIT)) {
                out.println("card ready in reader \"" + virtualCard.readerName() + "\" (vpcd "
                        + vpcd.getHostString() + ":" + vpcd.getPort() + "); " + ConsoleControl.HELP + "; Ctrl-C stops");
            } else {
                out.println("card NOT ready: waiting for vpcd at " + vpcd.getHostString() + ":" + vpcd.getPort()
                        + " (reader \"" + virtualCard.readerName() + "\" once it answers); " + ConsoleControl.HELP
                        + "; Ctrl-C stops");
            }
            out.flush();
            Thread console = ConsoleControl.start(new ConsoleControl(virtualCard, commands, out));
            virtualCard.awaitStopped();
            console.join(CONSOLE_LAST_WORD_MILLIS); // after quit, its answer; otherwise it is blocked reading
        } finally {
            virtualCard.close(); // interrupted: still take the card out of the reader
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running
            }
        }
    }

    private static void install(CardSimulator simulator, String aidHex, String className) {
        byte[] aid;
        Class<? extends Applet> appletClass;
        try {
            aid = HexFormat.of().parseHex(aidHex);
            appletClass = Class.forName(className).asSubclass(Applet.class);
        } catch (IllegalArgumentException | ClassNotFoundException | ClassCastException e) {
            fail("cannot install " + aidHex + "=" + className + ": " + e);
            return;
        }
        if (aid.length < 5 || aid.length > 16) {
            fail("an AID is 5 to 16 bytes: " + aidHex);
        }
        byte[] params = new byte[aid.length + 3];
        params[0] = (byte) aid.length;
        System.arraycopy(aid, 0, params, 1, aid.length);
        AID jcAid = AIDUtil.create(aid);
        simulator.installApplet(jcAid, appletClass, params, (short) 0, (byte) params.length);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            fail(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println(message);
        System.err.println(USAGE);
        System.exit(2);
    }
}

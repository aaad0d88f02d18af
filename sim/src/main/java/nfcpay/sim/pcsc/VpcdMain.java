package nfcpay.sim.pcsc;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
        VpcdCard virtualCard = new VpcdCard(card, vpcd);
        Thread hook = new Thread(virtualCard::close, "vpcd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        virtualCard.start();
        System.out.println("card ready in reader \"" + virtualCard.readerName() + "\" (vpcd "
                + vpcd.getHostString() + ":" + vpcd.getPort() + "); " + ConsoleControl.HELP + "; Ctrl-C stops");
        ConsoleControl.startOnStandardInput(virtualCard);
        virtualCard.awaitStopped();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
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

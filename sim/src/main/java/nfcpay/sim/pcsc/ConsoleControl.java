package nfcpay.sim.pcsc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Line commands that drive a {@link VpcdCard} from a terminal or a script: {@code remove},
 * {@code insert}, {@code toggle}, {@code status}, {@code quit}. Java cannot portably catch SIGUSR1,
 * so presence is toggled through standard input; a script that runs the card in the background
 * feeds it through a FIFO ({@code mkfifo ctl; java ... < ctl &; exec 3> ctl; echo remove >&3}).
 *
 * <p>End of input stops reading, not the card: a card started with {@code < /dev/null} or from a
 * service manager keeps serving until it is signalled.
 */
public final class ConsoleControl implements Runnable {

    public static final String HELP = "commands: remove | insert | toggle | status | quit";

    private final VpcdCard card;
    private final BufferedReader in;
    private final PrintStream out;

    public ConsoleControl(VpcdCard card, Reader in, PrintStream out) {
        this.card = Objects.requireNonNull(card, "card");
        this.in = new BufferedReader(Objects.requireNonNull(in, "in"));
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Reads {@code System.in} on a daemon thread, answering on {@code System.out}. */
    public static Thread startOnStandardInput(VpcdCard card) {
        Thread t = new Thread(new ConsoleControl(card, new InputStreamReader(System.in, StandardCharsets.UTF_8), System.out),
                "vpcd-console");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                String answer = execute(line);
                if (!answer.isEmpty()) {
                    out.println(answer);
                }
                if (card.state() == VpcdCard.State.STOPPED) {
                    return;
                }
            }
        } catch (IOException e) {
            out.println("console: " + e.getMessage() + "; commands no longer read");
        }
    }

    /** Runs one command line and returns the answer to print (empty for a blank line). */
    public String execute(String line) {
        String command = line.trim().toLowerCase(Locale.ROOT);
        switch (command) {
            case "":
                return "";
            case "remove":
                card.remove();
                return status();
            case "insert":
                card.insert();
                return status();
            case "toggle":
                card.toggle();
                return status();
            case "status":
                return status();
            case "quit":
            case "stop":
            case "exit":
                card.close();
                return "stopped";
            case "help":
                return HELP;
            default:
                return "unknown command '" + line.trim() + "'; " + HELP;
        }
    }

    private String status() {
        return (card.isInserted() ? "inserted" : "removed") + " (" + card.state().name().toLowerCase(Locale.ROOT)
                + ", " + card.apduCount() + " APDUs, " + card.connectionCount() + " connections) in \"" + card.readerName() + "\"";
    }
}

package nfcpay.terminal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TracingTransport;

/**
 * An APDU transcript: {@code >> command} and {@code << response} lines (hex, spaces ignored; the
 * response as {@link TracingTransport} writes it, data then SW), {@code << card removed} for a
 * tear, {@code # comments}, and {@code == tap} lines between taps. Replaying a tap asserts each
 * command the kernel sends equals the recorded one and answers with the recorded response.
 */
public final class Transcript {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private record Exchange(int line, String command, String response) {}

    private final String name;
    private final List<List<Exchange>> taps;

    private Transcript(String name, List<List<Exchange>> taps) {
        this.name = name;
        this.taps = taps;
    }

    public static Transcript resource(String name) {
        try (InputStream in = Transcript.class.getResourceAsStream("/nfcpay/terminal/transcripts/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + name);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Transcript parse(String name, String text) {
        List<List<Exchange>> taps = new ArrayList<>();
        List<Exchange> tap = new ArrayList<>();
        String pending = null;
        int pendingLine = 0;
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("== tap")) {
                taps.add(tap);
                tap = new ArrayList<>();
            } else if (line.startsWith(">>")) {
                if (pending != null) {
                    throw new IllegalArgumentException(name + ":" + (i + 1) + ": command without response above");
                }
                pending = line.substring(2).replace(" ", "").toUpperCase();
                pendingLine = i + 1;
            } else if (line.startsWith("<<")) {
                if (pending == null) {
                    throw new IllegalArgumentException(name + ":" + (i + 1) + ": response without command");
                }
                String r = line.substring(2).strip();
                tap.add(new Exchange(pendingLine, pending, r.equals(TracingTransport.CARD_REMOVED) ? null
                        : r.replace(" ", "").toUpperCase()));
                pending = null;
            } else {
                throw new IllegalArgumentException(name + ":" + (i + 1) + ": not a transcript line: " + line);
            }
        }
        taps.add(tap);
        return new Transcript(name, taps);
    }

    public int taps() {
        return taps.size();
    }

    /** A transport that replays tap {@code index} (0-based). */
    public Replay tap(int index) {
        return new Replay(taps.get(index));
    }

    /** Replays one tap; {@link #assertFinished} checks the kernel sent every recorded command. */
    public final class Replay implements Transport {
        private final List<Exchange> exchanges;
        private int next;

        private Replay(List<Exchange> exchanges) {
            this.exchanges = exchanges;
        }

        @Override
        public byte[] transceive(byte[] command) throws CardRemovedException {
            assertThat(next).as("%s: the kernel sent %s after the transcript ended", name, HEX.formatHex(command))
                    .isLessThan(exchanges.size());
            Exchange e = exchanges.get(next++);
            assertThat(HEX.formatHex(command)).as("%s line %d", name, e.line()).isEqualTo(e.command());
            if (e.response() == null) {
                throw new CardRemovedException("the card left the field (transcript)");
            }
            return HEX.parseHex(e.response());
        }

        public void assertFinished() {
            assertThat(next).as("%s: commands sent", name).isEqualTo(exchanges.size());
        }

        @Override
        public void close() {}
    }
}

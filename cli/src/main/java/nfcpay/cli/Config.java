package nfcpay.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The till's settings, {@code $NFCPAY_HOME/config} else {@code ~/.nfcpay/config}: one {@code key = value} a line,
 * {@code #} comments. Each key is the default of the option of the same name, so a flag always wins:
 * reader, data-dir, key-file, host, token, currency (and terminal-id, the ID a new journal gets). A line this
 * class cannot read is one error naming the file and the line, and the command does not run: a till that silently
 * ignored "rader = ACR122" would sell on the wrong reader.
 */
final class Config implements IDefaultValueProvider {

    static final String FILE = "config";

    /** Config key to the option it gives the default of. */
    private static final Map<String, String> OPTIONS = Map.of(
            "reader", "--reader", "data-dir", "--data-dir", "key-file", "--key-file", "host", "--host",
            "token", "--token", "currency", "--currency");
    private static final String TERMINAL_ID = "terminal-id";
    static final List<String> KEYS = List.of("reader", "data-dir", "key-file", "host", "token", "currency", TERMINAL_ID);

    private final Path file;
    private final Map<String, String> values;
    /** Why the file cannot be used, or null. */
    private final String error;
    private final Map<String, String> variables;

    private Config(Path file, Map<String, String> values, String error, Map<String, String> variables) {
        this.file = file;
        this.values = values;
        this.error = error;
        this.variables = variables;
    }

    /** The config of this environment; a missing file is an empty config, a malformed one remembers its error. */
    static Config load(Environment environment) {
        String home = environment.variables().get(Environment.NFCPAY_HOME);
        Path file = (home != null && !home.isBlank() ? Path.of(home) : environment.userHome().resolve(".nfcpay"))
                .resolve(FILE);
        Map<String, String> values = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Config(file, values, null, environment.variables());
        } catch (IOException e) {
            return new Config(file, values, "config " + file + ": " + nfcpay.terminal.IoErrors.describe(e, file),
                    environment.variables());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "config " + file + " line " + (i + 1) + ": ";
            int eq = line.indexOf('=');
            if (eq < 0) {
                return bad(file, where + "not 'key = value'", environment);
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (!KEYS.contains(key)) {
                return bad(file, where + "unknown key '" + key + "' (keys: " + String.join(", ", KEYS) + ")", environment);
            }
            if (value.isEmpty()) {
                return bad(file, where + key + " has no value", environment);
            }
            if (values.containsKey(key)) {
                return bad(file, where + key + " given twice", environment);
            }
            if (key.equals(TERMINAL_ID) && !value.matches("[0-9]{12}")) {
                return bad(file, where + "terminal-id is 12 digits (n12, as the card sees it), not '" + value + "'",
                        environment);
            }
            values.put(key, value);
        }
        return new Config(file, values, null, environment.variables());
    }

    private static Config bad(Path file, String error, Environment environment) {
        return new Config(file, Map.of(), error, environment.variables());
    }

    Path file() {
        return file;
    }

    /** Why the config cannot be used (one line naming file and line), or null. */
    String error() {
        return error;
    }

    /** The terminal ID a new journal gets, or null. */
    String terminalId() {
        return values.get(TERMINAL_ID);
    }

    boolean holdsToken() {
        return values.containsKey("token");
    }

    /** Whether group or others may read the file: a token in it is then no secret. */
    boolean readableByOthers() {
        return FilePermissions.readableByOthers(file);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String name = option.longestName();
        if (name.equals("--token") && variables.get(HostOptions.TOKEN_VARIABLE) != null) {
            return null; // the environment is more specific than the file: flag, then $NFCPAY_HOST_TOKEN, then config
        }
        for (Map.Entry<String, String> e : OPTIONS.entrySet()) {
            if (e.getValue().equals(name)) {
                return values.get(e.getKey());
            }
        }
        return null;
    }

    /** POSIX permission checks for files that hold secrets. */
    static final class FilePermissions {

        private FilePermissions() {}

        static boolean readableByOthers(Path file) {
            try {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
                return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
            } catch (UnsupportedOperationException | IOException e) {
                return false; // no POSIX permissions here (or no file): nothing to say
            }
        }

        /** "rw-r--r--". */
        static String mode(Path file) {
            try {
                return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException | IOException e) {
                return "?";
            }
        }
    }
}

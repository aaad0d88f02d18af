package nfcpay.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import nfcpay.terminal.TerminalException;

/**
 * Where the wallet commands get holder PINs: a file (--pin-file, --new-pin-file), else an environment
 * variable (NFCPAY_PIN, NFCPAY_NEW_PIN), else the terminal, read without echo. Never a plain
 * argument: those show in {@code ps} and in the shell's history.
 *
 * <p>A PIN is a {@code char[]} the caller wipes ({@link Pin#wipe}); the bytes read from a file are
 * wiped here. An environment variable is a {@code String} the JVM holds for its whole life: that is
 * the price of that source, and why a file or the prompt is better on a shared machine.
 */
final class Pins {

    static final String NFCPAY_PIN = "NFCPAY_PIN";
    static final String NFCPAY_NEW_PIN = "NFCPAY_NEW_PIN";
    static final int MIN_DIGITS = 4;
    static final int MAX_DIGITS = 8;

    /** Reads one line without echo; {@link #systemConsole()} is null when there is no terminal to ask on. */
    @FunctionalInterface
    interface Prompt {
        /** The line typed, or null at end of input. */
        char[] read(String prompt);
    }

    /**
     * A PIN and where it came from, for error messages.
     *
     * @param digits what was read; wiped by {@link #wipe}
     * @param source "NFCPAY_PIN", "--pin-file FILE", "the prompt"
     */
    record Pin(char[] digits, String source) {
        void wipe() {
            Arrays.fill(digits, '\0');
        }
    }

    private final Map<String, String> variables;
    private final Prompt prompt;

    /** @param prompt the terminal, or null when not interactive */
    Pins(Map<String, String> variables, Prompt prompt) {
        this.variables = variables;
        this.prompt = prompt;
    }

    /** The process's console, or null when stdin or stdout is not a terminal. */
    static Prompt systemConsole() {
        Console console = System.console();
        return console == null ? null : text -> console.readPassword("%s", text);
    }

    /** The holder PIN (today's), from --pin-file, NFCPAY_PIN or the prompt. */
    Pin holderPin(Path file) throws TerminalException {
        return read(file, "--pin-file", NFCPAY_PIN, "Holder PIN: ", false);
    }

    /** The new holder PIN, from --new-pin-file, NFCPAY_NEW_PIN or the prompt (asked twice). */
    Pin newPin(Path file) throws TerminalException {
        return read(file, "--new-pin-file", NFCPAY_NEW_PIN, "New holder PIN: ", true);
    }

    private Pin read(Path file, String fileOption, String variable, String question, boolean confirm)
            throws TerminalException {
        Pin pin = source(file, fileOption, variable, question, confirm);
        if (!wellFormed(pin.digits())) {
            pin.wipe();
            throw new TerminalException("the " + (confirm ? "new " : "") + "holder PIN from " + pin.source()
                    + " is not " + MIN_DIGITS + " to " + MAX_DIGITS + " digits");
        }
        return pin;
    }

    /** Checked here, before any card is touched, to name the PIN's source (docs/protocol.md 5.2). */
    private static boolean wellFormed(char[] pin) {
        if (pin.length < MIN_DIGITS || pin.length > MAX_DIGITS) {
            return false;
        }
        for (char c : pin) {
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private Pin source(Path file, String fileOption, String variable, String question, boolean confirm)
            throws TerminalException {
        if (file != null) {
            return new Pin(fromFile(file, fileOption), fileOption + " " + file);
        }
        String value = variables.get(variable);
        if (value != null) {
            return new Pin(value.toCharArray(), variable);
        }
        if (prompt == null) {
            throw new TerminalException("this needs the holder " + (confirm ? "new " : "") + "PIN and there is no"
                    + " terminal to ask it on: set " + variable + " or give " + fileOption + " FILE");
        }
        char[] first = ask(question);
        if (confirm) {
            char[] again = ask("Again: ");
            boolean same = Arrays.equals(first, again);
            Arrays.fill(again, '\0');
            if (!same) {
                Arrays.fill(first, '\0');
                throw new TerminalException("the two new PINs differ: nothing changed");
            }
        }
        return new Pin(first, "the prompt");
    }

    private char[] ask(String question) throws TerminalException {
        char[] line = prompt.read(question);
        if (line == null) {
            throw new TerminalException("no PIN typed (end of input)");
        }
        return line;
    }

    /** The file's one line, without its line end. */
    private static char[] fromFile(Path file, String option) throws TerminalException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TerminalException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            int end = bytes.length;
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
                if (end > 0 && bytes[end - 1] == '\r') {
                    end--;
                }
            }
            char[] pin = new char[end];
            for (int i = 0; i < end; i++) {
                if (bytes[i] == '\n' || bytes[i] == '\r') {
                    Arrays.fill(pin, '\0');
                    throw new TerminalException(option + ": " + file + " must hold the PIN alone, on one line");
                }
                pin[i] = (char) (bytes[i] & 0xFF);
            }
            return pin;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}

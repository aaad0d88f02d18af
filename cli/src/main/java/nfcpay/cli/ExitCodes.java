package nfcpay.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Each command's "Exit codes:" block, listing only what that command can return. The root's list is inherited by
 * every command that declares none (scope INHERIT), so cards, journal or upload used to promise "2: declined",
 * which only pay returns. Commands that declare their own list (pay, sim, wallet) keep it.
 */
final class ExitCodes {

    private static final String DONE = "0:done";
    private static final String ERROR = "1:an error, told in one line on stderr";

    private static final Map<String, String[]> LISTS = Map.ofEntries(
            Map.entry("nfcpay", new String[] {"0:approved, or done", "2:declined: no card on the SIM can pay (pay)",
                "3:outcome unknown: the card may have paid; tap the same phone again (pay)",
                "1:an error, told in one line on stderr", "130, 143:stopped by Ctrl-C, SIGTERM (sim, host serve)"}),
            Map.entry("nfcpay upload", new String[] {"0:every purchase cleared or already cleared",
                "1:an error, or a purchase the host rejected"}),
            Map.entry("nfcpay host check", new String[] {"0:the ledger holds", "1:it does not, or an error"}),
            Map.entry("nfcpay host serve", new String[] {"0:stopped", ERROR, "130, 143:stopped by Ctrl-C, SIGTERM"}));

    private ExitCodes() {}

    /** Sets the block of every command in {@code root}'s tree that has no list of its own. */
    static void apply(CommandLine root) {
        Map<String, String> inherited = root.getCommandSpec().usageMessage().exitCodeList();
        set(root, LISTS.get("nfcpay"));
        for (CommandLine sub : root.getSubcommands().values()) {
            applyBelow(sub, inherited);
        }
    }

    private static void applyBelow(CommandLine cl, Map<String, String> inherited) {
        String name = cl.getCommandSpec().qualifiedName();
        String[] list = LISTS.get(name);
        if (list != null) {
            set(cl, list);
        } else if (cl.getCommandSpec().usageMessage().exitCodeList().equals(inherited)) {
            set(cl, new String[] {DONE, ERROR});
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            applyBelow(sub, inherited);
        }
    }

    private static void set(CommandLine cl, String[] list) {
        Map<String, String> codes = new LinkedHashMap<>();
        for (String entry : list) {
            int colon = entry.indexOf(':');
            codes.put(entry.substring(0, colon), entry.substring(colon + 1));
        }
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    }
}

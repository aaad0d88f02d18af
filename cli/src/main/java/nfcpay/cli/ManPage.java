package nfcpay.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A man(7) page from a command's picocli definition: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS, EXIT STATUS.
 * picocli-codegen's ManPageGenerator writes AsciiDoc, which needs asciidoctor to become a page man can show; troff
 * written here needs nothing, and comes from the same definitions as --help, so the two cannot drift apart.
 */
final class ManPage {

    private ManPage() {}

    static String of(CommandLine command, String[] version) {
        CommandSpec spec = command.getCommandSpec();
        String name = spec.qualifiedName("-");
        StringBuilder page = new StringBuilder();
        page.append(".TH ").append(quote(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 \"\" ")
                .append(quote(version.length > 0 ? version[0] : "nfcpay")).append(" \"nfcpay manual\"\n");
        section(page, "NAME");
        String[] description = spec.usageMessage().description();
        page.append(escape(name)).append(" \\- ").append(escape(description.length > 0 ? description[0] : "")).append('\n');
        section(page, "SYNOPSIS");
        page.append(".nf\n").append(escape(command.getHelp().synopsis(0).strip())).append("\n.fi\n");
        if (description.length > 1) {
            section(page, "DESCRIPTION");
            for (int i = 1; i < description.length; i++) {
                String line = description[i];
                if (line.isEmpty()) {
                    page.append(".PP\n");
                } else if (line.startsWith("  ")) {
                    page.append(".nf\n").append(escape(line.strip())).append("\n.fi\n");
                } else {
                    page.append(escape(line)).append('\n');
                }
            }
        }
        List<PositionalParamSpec> positionals = spec.positionalParameters();
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty() || !positionals.isEmpty()) {
            section(page, "OPTIONS");
            for (PositionalParamSpec p : positionals) {
                item(page, "\\fI" + escape(p.paramLabel()) + "\\fR", p.description(), null);
            }
            for (OptionSpec o : options) {
                String names = String.join(", ", List.of(o.names()).stream().map(n -> "\\fB" + escape(n) + "\\fR").toList());
                String label = o.typeInfo().isBoolean() ? "" : " \\fI" + escape(o.paramLabel()) + "\\fR";
                item(page, names + label, o.description(), o.defaultValueString());
            }
        }
        Map<String, CommandLine> subs = command.getSubcommands();
        if (!subs.isEmpty()) {
            section(page, "COMMANDS");
            for (Map.Entry<String, CommandLine> e : subs.entrySet()) {
                String[] d = e.getValue().getCommandSpec().usageMessage().description();
                item(page, "\\fB" + escape(e.getKey()) + "\\fR", d.length > 0 ? new String[] {d[0]} : new String[0], null);
            }
            page.append(".PP\n").append(escape("Each command's own page: nfcpay man COMMAND.")).append('\n');
        }
        Map<String, String> exits = spec.usageMessage().exitCodeList();
        if (!exits.isEmpty()) {
            section(page, "EXIT STATUS");
            for (Map.Entry<String, String> e : exits.entrySet()) {
                item(page, "\\fB" + escape(e.getKey().strip()) + "\\fR", new String[] {e.getValue()}, null);
            }
        }
        return page.toString();
    }

    private static void section(StringBuilder page, String title) {
        page.append(".SH ").append(title).append('\n');
    }

    private static void item(StringBuilder page, String tag, String[] text, String defaultValue) {
        page.append(".TP\n").append(tag).append('\n');
        for (String line : text) {
            page.append(escape(line.replace("${DEFAULT-VALUE}", String.valueOf(defaultValue)).replace("%%", "%")))
                    .append('\n');
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\\(dq") + "\"";
    }

    /** Backslashes doubled as troff wants, and a line that would start with '.' or '\'' kept as text. */
    static String escape(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-").replaceAll("%n", " ");
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }
}

package nfcpay.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nfcpay.terminal.money.Money;

/** How the text output writes amounts and tables. */
final class Text {

    private Text() {}

    /** "CNY 12.00". */
    static String money(Money m) {
        return m.currency().getCurrencyCode() + " " + m.format();
    }

    /** Columns padded to their widest cell, two spaces apart, indented. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... headings) {
            rows.add(headings);
        }

        Table row(Object... cells) {
            rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : c.toString()).toArray(String[]::new));
            return this;
        }

        void print(PrintWriter out, String indent) {
            int columns = rows.get(0).length;
            int[] width = new int[columns];
            for (String[] r : rows) {
                for (int i = 0; i < columns; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder(indent);
                for (int i = 0; i < columns; i++) {
                    line.append(i == columns - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}

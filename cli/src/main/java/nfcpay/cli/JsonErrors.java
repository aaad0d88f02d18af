package nfcpay.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * With --json, an error is also one JSON object on stdout, {"status": "error", "error": "...", "exit_code": 1}, so a
 * program reading stdout gets an answer it can parse whatever happened; the line on stderr stays for people. A command
 * that already printed its answer (a purchase whose MAC2 failed) keeps stdout to that one object.
 */
final class JsonErrors {

    private JsonErrors() {}

    static void print(CommandLine failing, boolean json, NfcpayCommand root, String message, int exitCode) {
        if (!json || root.printed) {
            return;
        }
        Map<String, Object> o = Json.object();
        o.put("status", "error");
        o.put("error", message);
        o.put("exit_code", exitCode);
        PrintWriter out = failing.getOut();
        out.println(Json.write(o));
        out.flush();
    }
}

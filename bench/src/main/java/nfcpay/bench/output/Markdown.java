package nfcpay.bench.output;

import java.util.Locale;
import nfcpay.bench.air.BitRate;
import nfcpay.bench.measure.Cost;
import nfcpay.bench.measure.JournalCost;
import nfcpay.bench.measure.SelectionScaling;
import nfcpay.bench.measure.StrategyResult;

/** results.md: the figures as Markdown tables (also what the command line prints). */
public final class Markdown {

    private Markdown() {}

    public static String of(Results results) {
        StringBuilder out = new StringBuilder();
        var run = results.run();
        var w = results.workload();
        out.append("# nfcpay bench\n\n");
        out.append(String.format(Locale.ROOT, "Seed %s, %s run, %s. %d holders, %d purchases and %d top-ups over %d days;"
                + " every tap through the terminal kernel and the applets on jcardsim (test keys).%n%n",
                run.get("seed"), run.get("scale_name"), run.get("machine_summary"),
                w.holders().size(), w.purchases(), w.topUps(), w.parameters().days()));

        out.append("## Strategies on the identical workload\n\n");
        out.append("| strategy | first-tap success | long-run success | below 100.00 | from 100.00 | coverable declined"
                + " | APDUs | bytes | air ms 106k | 212k | 424k | balances disclosed (exact + short) | paid by default card"
                + " | ms in process: wall / CPU |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StrategyResult r : results.strategies()) {
            Cost c = r.cost();
            out.append(String.format(Locale.ROOT,
                    "| %s | %.2f%% | %.2f%% | %.2f%% | %.2f%% | %d | %.2f | %.1f | %.2f | %.2f | %.2f | %.3f (%.3f + %.3f) | %.1f%%"
                    + " | %.2f / %.2f |%n",
                    r.strategy().name(), 100 * r.firstTapSuccess(), 100 * r.longRunSuccess(), 100 * r.smallSuccess(),
                    100 * r.largeSuccess(), r.coverableDeclined(),
                    c.apdusPerTap(), c.bytesPerTap(), c.airMillisPerTap(BitRate.KBPS_106), c.airMillisPerTap(BitRate.KBPS_212),
                    c.airMillisPerTap(BitRate.KBPS_424), r.balancesDisclosed(), c.exactBalancesPerTap(), c.shortfallsPerTap(),
                    r.approved() == 0 ? 0.0 : 100.0 * r.paidByDefaultCard() / r.approved(), r.wallMillisPerPurchase(),
                    r.cpuMillisPerPurchase()));
        }
        out.append("\nFigures are means per purchase. Long run: the last third of the days. Air time: modelled ISO/IEC"
                + " 14443-4 exchanges, without activation and card processing. ms in process: mean wall and CPU time"
                + " of Kernel.purchase (one thread).\n\n");

        out.append("## Smart selection against the number of cards\n\n");
        out.append("| cards | APDUs | bytes | selection bytes | selection air ms 106k | purchase air ms 106k"
                + " | legacy walk, worst case, air ms 106k | CPU ms per purchase | CPU ms in GPO | purchases per CPU s"
                + " | simulator-bound purchases per CPU s | raw selection APDUs per CPU s | wall ms per purchase |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SelectionScaling.Point p : results.scaling()) {
            Cost s = p.smart();
            out.append(String.format(Locale.ROOT,
                    "| %d | %.1f | %.0f | %.0f | %.2f | %.2f | %s | %.3f | %.3f | %.0f | %.0f | %.0f | %.3f |%n",
                    p.cards(), s.apdusPerTap(), s.bytesPerTap(), s.selectionBytesPerTap(),
                    s.selectionAirMillisPerTap(BitRate.KBPS_106), s.airMillisPerTap(BitRate.KBPS_106),
                    p.walk() == null ? "-" : String.format(Locale.ROOT, "%.2f", p.walk().airMillisPerTap(BitRate.KBPS_106)),
                    p.cpu().medianMillis(), s.gpoCpuMillisPerTap(), p.purchasesPerCpuSecond(),
                    p.simulatorBoundPurchasesPerCpuSecond(), p.rawSelectionApdusPerCpuSecond(), p.wallMillisPerPurchase()));
        }
        JournalCost.Result j = results.journalCost();
        if (j != null) {
            out.append("\n## Journal\n\n");
            out.append(String.format(Locale.ROOT, "Kernel time per purchase with the journal on %s (%s, fsync per commit):"
                    + " %.2f ms", j.diskStore(), j.diskDir(), j.diskMillisPerPurchase()));
            if (j.memoryDir() != null) {
                out.append(String.format(Locale.ROOT, "; on %s (%s, fsync free): %.2f ms. The strategy runs above keep"
                        + " their journals on %s.", j.memoryStore(), j.memoryDir(), j.memoryMillisPerPurchase(),
                        run.get("journal_file_store")));
            }
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "%nScaling: medians over the purchases of each point. Speed figures are"
                + " this machine's, in process, one thread (load average %s at the start, %s at the end); CPU time is"
                + " the thread's own and does not grow when other processes share the cores. Reported, never asserted.%n",
                run.get("load_average_start"), run.get("load_average_end")));
        return out.toString();
    }
}

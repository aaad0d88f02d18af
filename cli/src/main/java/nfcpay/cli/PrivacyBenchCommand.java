package nfcpay.cli;

import java.util.List;
import java.util.concurrent.Callable;
import nfcpay.bench.BenchOptions;
import nfcpay.bench.privacy.PrivacyMeasurement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nfcpay bench privacy}: what a hostile reader learns of the balances (docs/benchmarks.md). */
@Command(name = "privacy",
        description = {"Measure what any reader in the field learns of the balances without a key or a PIN: for each"
            + " selection policy and a legacy PPSE, the exchanges it needs to read every card by GET BALANCE, by"
            + " INITIALIZE FOR PURCHASE, and by a binary search of the GET PROCESSING OPTIONS answer, on simulated"
            + " SIMs with the real applets. Prints one table per wallet; a few seconds. See docs/benchmarks.md."})
final class PrivacyBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_SEED,
            description = "Seeds the cards' random numbers, and so the ANY policy's picks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        List<PrivacyMeasurement.Row> rows = new PrivacyMeasurement(seed).run(List.of(PrivacyMeasurement.DEMO,
                PrivacyMeasurement.MIXED));
        spec.commandLine().getOut().print(PrivacyMeasurement.markdown(rows));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}

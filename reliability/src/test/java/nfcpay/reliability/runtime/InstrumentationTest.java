package nfcpay.reliability.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What the instrumentation puts into the project's card classes, and what it refuses to model. */
class InstrumentationTest {

    private static final String[] CARD_CLASSES = {
        "nfcpay.card.purse.PurseApplet", "nfcpay.card.purse.TransactionLog", "nfcpay.card.purse.Dgi",
        "nfcpay.card.purse.UInt32", "nfcpay.card.selector.SelectorApplet", "nfcpay.card.selector.Registry",
        "nfcpay.card.selector.AccountRecords", "nfcpay.card.selector.Amounts", "nfcpay.card.selector.Transactions",
    };

    @Test
    void everyCardClassLoadsInstrumentedThroughItsOwnLoader() {
        CardClassLoader loader = CardClassLoader.mutant();
        for (String name : CARD_CLASSES) {
            assertThat(loader.cardClass(name).getClassLoader()).isSameAs(loader);
        }
        String counts = loader.instrumentationCounts();
        System.out.println("[instrumentation] card classes: " + counts);
        // PurseApplet alone writes fields (macFailures, locked, ...), arrays, Util copies and keys
        assertThat(counts).doesNotStartWith("0 field writes").doesNotContain(" 0 array stores")
                .doesNotContain(" 0 Util calls").doesNotContain(" 0 key updates");
    }

    @Test
    void aPinIsRefusedRatherThanModelledWrong() {
        assertThatThrownBy(() -> CardClassLoader.mutant().cardClass("nfcpay.reliability.applets.PinApplet"))
                .hasStackTraceContaining("PIN and key-pair state are not modelled");
    }

    @Test
    void aMutationThatFindsNothingToChangeFailsLoudly() {
        CardClassLoader loader = CardClassLoader.mutant(Mutation.removeThrow("nfcpay.card.purse.PurseApplet", "processDebit", 0x1234));
        assertThatThrownBy(() -> loader.cardClass("nfcpay.card.purse.PurseApplet")).hasStackTraceContaining("found nothing to change");
    }
}

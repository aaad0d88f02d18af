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
        "nfcpay.card.selector.HolderCommands",
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
        // ... and HolderCommands checks, updates and resets its OwnerPIN
        assertThat(counts).doesNotStartWith("0 field writes").doesNotContain(" 0 array stores")
                .doesNotContain(" 0 Util calls").doesNotContain(" 0 key updates").doesNotContain(" 0 PIN calls");
    }

    @Test
    void aKeyPairIsRefusedRatherThanModelledWrong() {
        assertThatThrownBy(() -> CardClassLoader.mutant().cardClass("nfcpay.reliability.applets.UnmodelledApplet"))
                .hasStackTraceContaining("key-pair state are not modelled");
    }

    @Test
    void aSubclassOfOwnerPinIsRefused() {
        assertThatThrownBy(() -> CardClassLoader.mutant().cardClass("nfcpay.reliability.applets.UnmodelledApplet$CountingPin"))
                .hasStackTraceContaining("a subclass of OwnerPIN");
    }

    @Test
    void aMutationThatFindsNothingToChangeFailsLoudly() {
        CardClassLoader loader = CardClassLoader.mutant(Mutation.removeThrow("nfcpay.card.purse.PurseApplet", "processDebit", 0x1234));
        assertThatThrownBy(() -> loader.cardClass("nfcpay.card.purse.PurseApplet")).hasStackTraceContaining("found nothing to change");
    }
}

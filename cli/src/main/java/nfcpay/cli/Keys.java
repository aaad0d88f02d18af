package nfcpay.cli;

import java.nio.file.Path;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.security.KeyFile;
import nfcpay.terminal.security.KeyFileException;

/**
 * The keys the terminal runs with: the published test keys by default, or the entries of a
 * --key-file. The key values stay inside the security modules; this class only hands those out.
 */
final class Keys {

    /** What a command does with keys, and so which key file entries it needs. */
    enum Use {
        /** Reads the card or the journal only. */
        NONE,
        /** Purchases: the master purchase key (mpk). */
        PURCHASE,
        /** Loads: mpk, since a load first settles the card's torn purchases (the load key is the issuer host's). */
        LOAD
    }

    private final KeyFile file;

    private Keys(KeyFile file) {
        this.file = file;
    }

    /** The test keys when {@code file} is null, else the key file (read and checked now). */
    static Keys of(Path file) throws KeyFileException {
        return new Keys(file == null ? null : KeyFile.load(file));
    }

    /**
     * A kernel builder with the security modules {@code use} needs. Fails now, before any card or
     * journal is touched, when the key file lacks an entry. Modules a command does not use keep the
     * kernel's defaults.
     */
    Kernel.Builder kernel(Use use) throws KeyFileException {
        Kernel.Builder b = Kernel.builder();
        if (file != null && use != Use.NONE) {
            b.purchaseSecurityModule(file.purchaseModule());
        }
        return b;
    }

    /**
     * Whether output must say "test keys" for a command that uses no key: always without a key
     * file; with one, when any entry it has is the published test key.
     */
    boolean testKeys() {
        if (file == null) {
            return true;
        }
        try {
            return file.purchaseModule().usesTestKeys();
        } catch (KeyFileException absent) {
            return false;
        }
    }
}

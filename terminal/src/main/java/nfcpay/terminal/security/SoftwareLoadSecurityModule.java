package nfcpay.terminal.security;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;

/** The load security module in software (issuer role): MLK in memory, derived keys wiped after use. */
public final class SoftwareLoadSecurityModule implements LoadSecurityModule {

    private static final byte TRANSACTION_LOAD = 0x02;

    /** Application serial number → DLK; the MLK lives only inside this function. */
    private final UnaryOperator<byte[]> loadKey;
    private final boolean testKeys;

    SoftwareLoadSecurityModule(UnaryOperator<byte[]> loadKey, boolean testKeys) {
        this.loadKey = loadKey;
        this.testKeys = testKeys;
    }

    /** The published test MLK ({@link IssuerMasterKeys#TEST}). */
    public static SoftwareLoadSecurityModule withTestKeys() {
        return new SoftwareLoadSecurityModule(IssuerMasterKeys.TEST::loadKey, true);
    }

    /** The MLK of a key file ({@link KeyFile} describes the format). */
    public static SoftwareLoadSecurityModule fromKeyFile(Path file) throws KeyFileException {
        return KeyFile.load(file).loadModule();
    }

    @Override
    public boolean verifyMac1(LoadData l, byte[] mac1) {
        if (mac1 == null || mac1.length != PbocCrypto.MAC_LENGTH) {
            return false;
        }
        byte[] session = sessionKey(l);
        try {
            return PbocCrypto.macEquals(PbocCrypto.mac(session, l.oldBalance(), l.amount(),
                    new byte[] {TRANSACTION_LOAD}, l.terminalId()), mac1);
        } finally {
            PbocCrypto.wipe(session);
        }
    }

    @Override
    public byte[] computeMac2(LoadData l) {
        byte[] session = sessionKey(l);
        try {
            return PbocCrypto.mac(session, l.amount(), new byte[] {TRANSACTION_LOAD}, l.terminalId(), l.date(), l.time());
        } finally {
            PbocCrypto.wipe(session);
        }
    }

    @Override
    public boolean usesTestKeys() {
        return testKeys;
    }

    private byte[] sessionKey(LoadData l) {
        byte[] dlk = loadKey.apply(l.cardSerial());
        try {
            return PbocCrypto.loadSessionKey(dlk, l.cardRandom(), l.onlineCounter());
        } finally {
            PbocCrypto.wipe(dlk);
        }
    }

    @Override
    public String toString() {
        return testKeys ? "SoftwareLoadSecurityModule[test keys]" : "SoftwareLoadSecurityModule[key file]";
    }
}

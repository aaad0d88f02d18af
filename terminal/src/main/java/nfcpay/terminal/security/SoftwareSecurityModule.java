package nfcpay.terminal.security;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;

/**
 * The purchase security module in software: MPK in this object's memory, from a key file
 * ({@link KeyFile}) or the published test keys. Every derived key (DPK, session key) is wiped as
 * soon as the MAC is computed. Good enough for a demo and tests; a real terminal puts the same
 * interface in front of a PSAM or HSM.
 */
public final class SoftwareSecurityModule implements PurchaseSecurityModule {

    private static final byte TRANSACTION_PURCHASE = 0x06;

    /** Application serial number → DPK; the MPK lives only inside this function. */
    private final UnaryOperator<byte[]> purchaseKey;
    private final boolean testKeys;
    private final int keyVersion;

    SoftwareSecurityModule(UnaryOperator<byte[]> purchaseKey, boolean testKeys, int keyVersion) {
        this.purchaseKey = purchaseKey;
        this.testKeys = testKeys;
        this.keyVersion = keyVersion;
    }

    /** The published test MPK ({@link IssuerMasterKeys#TEST}), key version 1 as the simulated SIM's cards have. */
    public static SoftwareSecurityModule withTestKeys() {
        return withTestKeys(1);
    }

    /** The published test MPK, for cards whose purchase keys are of {@code keyVersion}. */
    public static SoftwareSecurityModule withTestKeys(int keyVersion) {
        return new SoftwareSecurityModule(IssuerMasterKeys.TEST::purchaseKey, true, keyVersion);
    }

    @Override
    public int purchaseKeyVersion() {
        return keyVersion;
    }

    /** The MPK of a key file ({@link KeyFile} describes the format). */
    public static SoftwareSecurityModule fromKeyFile(Path file) throws KeyFileException {
        return KeyFile.load(file).purchaseModule();
    }

    @Override
    public byte[] computeMac1(PurchaseData p) {
        byte[] session = sessionKey(p);
        try {
            return PbocCrypto.mac(session, p.amount(), new byte[] {TRANSACTION_PURCHASE}, p.terminalId(), p.date(), p.time());
        } finally {
            PbocCrypto.wipe(session);
        }
    }

    @Override
    public boolean verifyMac2(PurchaseData p, byte[] mac2) {
        if (mac2 == null || mac2.length != PbocCrypto.MAC_LENGTH) {
            return false;
        }
        byte[] session = sessionKey(p);
        try {
            return PbocCrypto.macEquals(PbocCrypto.mac(session, p.amount()), mac2);
        } finally {
            PbocCrypto.wipe(session);
        }
    }

    @Override
    public boolean usesTestKeys() {
        return testKeys;
    }

    private byte[] sessionKey(PurchaseData p) {
        byte[] dpk = purchaseKey.apply(p.cardSerial());
        try {
            return PbocCrypto.purchaseSessionKey(dpk, p.cardRandom(), p.offlineCounter(), p.terminalSerial());
        } finally {
            PbocCrypto.wipe(dpk);
        }
    }

    @Override
    public String toString() {
        return testKeys ? "SoftwareSecurityModule[test keys]" : "SoftwareSecurityModule[key file]";
    }
}

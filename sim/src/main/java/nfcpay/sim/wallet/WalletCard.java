package nfcpay.sim.wallet;

import java.util.Currency;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One card application as the holder's listing shows it (docs/protocol.md 5.3).
 *
 * @param aidHex the application identifier, upper-case hex
 * @param label the application label (tag 50)
 * @param priority the priority (tag 87), 1 = first
 * @param active false when the holder has deactivated it, or not yet activated it: out of the PPSE and of smart selection
 * @param isNew registered and never activated (nor declined) by the holder since: its issuer (or any applet on
 *     the SIM) put it there, and it pays only once the holder activates it
 * @param account the account status from the application's authenticated record
 * @param currency the account currency, when the record was authentic
 * @param balanceMinor the available balance in minor units, only while the holder PIN is verified
 */
public record WalletCard(String aidHex, String label, int priority, boolean active, boolean isNew, AccountStatus account,
        Optional<Currency> currency, OptionalLong balanceMinor) {}

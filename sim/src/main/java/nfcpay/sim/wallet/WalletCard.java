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
 * @param active false when the holder has deactivated it: out of the PPSE and of smart selection
 * @param account the account status from the application's authenticated record
 * @param currency the account currency, when the record was authentic
 * @param balanceMinor the available balance in minor units, only while the holder PIN is verified
 */
public record WalletCard(String aidHex, String label, int priority, boolean active, AccountStatus account,
        Optional<Currency> currency, OptionalLong balanceMinor) {}

package nfcpay.terminal.kernel;

import java.util.List;

/**
 * A card application's transaction history, newest first.
 *
 * @param application the application read
 * @param maskedSerial its application serial number, masked
 * @param records the log records, record 1 (newest) first
 */
public record CardLog(CardApplication application, String maskedSerial, List<LogRecord> records) {

    public CardLog {
        records = List.copyOf(records);
    }
}

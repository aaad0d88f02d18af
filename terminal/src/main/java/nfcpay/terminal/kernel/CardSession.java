package nfcpay.terminal.kernel;

import static nfcpay.terminal.apdu.TerminalWire.SW_OK;
import static nfcpay.terminal.apdu.TerminalWire.SW_PROOF_NOT_AVAILABLE;
import static nfcpay.terminal.apdu.TerminalWire.SW_RECORD_NOT_FOUND;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Apdu;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.apdu.CardDataException;
import nfcpay.terminal.apdu.Response;
import nfcpay.terminal.apdu.TerminalWire;
import nfcpay.terminal.apdu.TerminalWire.Command;
import nfcpay.terminal.money.Bcd;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.Transport;

/**
 * One method per command of PROTOCOL.md: builds the APDU, sends it, checks the status word
 * ({@link nfcpay.terminal.apdu.StatusWordException} for anything unexpected) and parses the data.
 * No decisions: those are the {@link Kernel}'s.
 */
final class CardSession {

    /** INITIALIZE FOR PURCHASE answer (PROTOCOL.md 3.2). */
    record PurchaseInit(long balance, int offlineCounter, long overdraftLimit, int keyVersion, int algorithmId, byte[] random) {}

    /** DEBIT FOR PURCHASE answer. */
    record Debit(byte[] tac, byte[] mac2) {}

    /** INITIALIZE FOR LOAD answer. */
    record LoadInit(long oldBalance, int onlineCounter, int keyVersion, int algorithmId, byte[] random, byte[] mac1) {}

    /** GET TRANSACTION PROVE answer: MAC2 (purchase) or the verified MAC2 (load), then TAC. */
    record Proof(byte[] mac, byte[] tac) {}

    private final Transport transport;

    CardSession(Transport transport) {
        this.transport = transport;
    }

    private Response send(Apdu apdu) throws TerminalException {
        return Response.of(apdu.command(), transport.transceive(apdu.bytes()));
    }

    /** SELECT PPSE; the directory and whether the card offers smart selection. */
    Directory selectPpse() throws TerminalException {
        Response r = Response.check(send(Apdu.of(Command.SELECT, TerminalWire.PPSE_AID, Apdu.LE_ANY)));
        return Fci.ppse(r.data());
    }

    /** GET PROCESSING OPTIONS with the smart-selection PDOL data; the application the card chose. */
    CardApplication getProcessingOptions(Money amount, byte[] unpredictableNumber) throws TerminalException {
        ByteArrayOutputStream pdolData = new ByteArrayOutputStream();
        pdolData.writeBytes(amount.toN12());
        pdolData.writeBytes(Money.currencyToN3(amount.currency()));
        pdolData.write(TerminalWire.TRANSACTION_TYPE_PURCHASE);
        pdolData.writeBytes(unpredictableNumber);
        byte[] template = new byte[2 + TerminalWire.PDOL_DATA_LENGTH];
        template[0] = (byte) TerminalWire.TAG_COMMAND_TEMPLATE;
        template[1] = (byte) TerminalWire.PDOL_DATA_LENGTH;
        System.arraycopy(pdolData.toByteArray(), 0, template, 2, TerminalWire.PDOL_DATA_LENGTH);
        Response r = Response.check(send(Apdu.of(Command.GET_PROCESSING_OPTIONS, template, Apdu.LE_ANY)));
        return Fci.selection(r.data());
    }

    /** SELECT a card application by AID; its FCI with 9F0C. */
    ApplicationFci selectApplication(String aid) throws TerminalException {
        Response r = Response.check(send(Apdu.of(Command.SELECT, Bytes.fromHex(aid), Apdu.LE_ANY)));
        return Fci.application(r.data(), aid);
    }

    PurchaseInit initializeForPurchase(Money amount, byte[] terminalId) throws TerminalException {
        Response r = Response.check(send(Apdu.of(Command.INITIALIZE_FOR_PURCHASE, initializeData(amount, terminalId),
                TerminalWire.INITIALIZE_FOR_PURCHASE_RESPONSE_LENGTH)));
        byte[] d = r.data(TerminalWire.INITIALIZE_FOR_PURCHASE_RESPONSE_LENGTH);
        PurchaseInit init = new PurchaseInit(Bytes.u32(d, 0), Bytes.u16(d, 4), Bytes.u16(d, 6) << 8 | Bytes.u8(d, 8),
                Bytes.u8(d, 9), Bytes.u8(d, 10), Arrays.copyOfRange(d, 11, 15));
        requireDes(init.algorithmId(), Command.INITIALIZE_FOR_PURCHASE);
        return init;
    }

    Debit debitForPurchase(long terminalSerial, byte[] date, byte[] time, byte[] mac1) throws TerminalException {
        byte[] data = concat(Bytes.u32(terminalSerial), date, time, mac1);
        Response r = Response.check(send(Apdu.of(Command.DEBIT_FOR_PURCHASE, data,
                TerminalWire.DEBIT_FOR_PURCHASE_RESPONSE_LENGTH)));
        byte[] d = r.data(TerminalWire.DEBIT_FOR_PURCHASE_RESPONSE_LENGTH);
        return new Debit(Arrays.copyOfRange(d, 0, 4), Arrays.copyOfRange(d, 4, 8));
    }

    LoadInit initializeForLoad(Money amount, byte[] terminalId) throws TerminalException {
        Response r = Response.check(send(Apdu.of(Command.INITIALIZE_FOR_LOAD, initializeData(amount, terminalId),
                TerminalWire.INITIALIZE_FOR_LOAD_RESPONSE_LENGTH)));
        byte[] d = r.data(TerminalWire.INITIALIZE_FOR_LOAD_RESPONSE_LENGTH);
        LoadInit init = new LoadInit(Bytes.u32(d, 0), Bytes.u16(d, 4), Bytes.u8(d, 6), Bytes.u8(d, 7),
                Arrays.copyOfRange(d, 8, 12), Arrays.copyOfRange(d, 12, 16));
        requireDes(init.algorithmId(), Command.INITIALIZE_FOR_LOAD);
        return init;
    }

    /** CREDIT FOR LOAD; the card's TAC. */
    byte[] creditForLoad(byte[] date, byte[] time, byte[] mac2) throws TerminalException {
        Response r = Response.check(send(Apdu.of(Command.CREDIT_FOR_LOAD, concat(date, time, mac2),
                TerminalWire.CREDIT_FOR_LOAD_RESPONSE_LENGTH)));
        return r.data(TerminalWire.CREDIT_FOR_LOAD_RESPONSE_LENGTH);
    }

    long getBalance() throws TerminalException {
        Response r = Response.check(send(Apdu.of(Command.GET_BALANCE, null, TerminalWire.GET_BALANCE_RESPONSE_LENGTH)));
        return Bytes.u32(r.data(TerminalWire.GET_BALANCE_RESPONSE_LENGTH), 0);
    }

    /** GET TRANSACTION PROVE for the transaction of that type and counter; empty when the card has no such proof (9406). */
    Optional<Proof> getTransactionProve(int type, int counter) throws TerminalException {
        Response r = Response.check(send(Apdu.of(Command.GET_TRANSACTION_PROVE, Command.GET_TRANSACTION_PROVE.p1(), type,
                Bytes.u16(counter), TerminalWire.TRANSACTION_PROVE_RESPONSE_LENGTH)), SW_OK, SW_PROOF_NOT_AVAILABLE);
        if (r.sw() == SW_PROOF_NOT_AVAILABLE) {
            return Optional.empty();
        }
        byte[] d = r.data(TerminalWire.TRANSACTION_PROVE_RESPONSE_LENGTH);
        return Optional.of(new Proof(Arrays.copyOfRange(d, 0, 4), Arrays.copyOfRange(d, 4, 8)));
    }

    /** READ RECORD n of the log; empty past the last record (6A83). */
    Optional<LogRecord> readRecord(int number, Currency currency) throws TerminalException {
        Response r = Response.check(send(Apdu.of(Command.READ_RECORD, number, Command.READ_RECORD.p2(), null, Apdu.LE_ANY)),
                SW_OK, SW_RECORD_NOT_FOUND);
        if (r.sw() == SW_RECORD_NOT_FOUND) {
            return Optional.empty();
        }
        byte[] d = r.data(TerminalWire.LOG_RECORD_LENGTH);
        try {
            return Optional.of(new LogRecord(number, Bytes.u16(d, 0), Bytes.u8(d, 9), Money.of(Bytes.u32(d, 5), currency),
                    Bytes.hex(Arrays.copyOfRange(d, 10, 16)), Bcd.toDate(d, 16), Bcd.toTime(d, 20)));
        } catch (IllegalArgumentException e) {
            throw new CardDataException("log record " + number + ": " + e.getMessage(), e);
        }
    }

    /** READ RECORD 1, 2, ... until the card has no more (at most {@link TerminalWire#LOG_RECORDS}). */
    List<LogRecord> readLog(Currency currency) throws TerminalException {
        List<LogRecord> log = new ArrayList<>();
        for (int n = 1; n <= TerminalWire.LOG_RECORDS; n++) {
            Optional<LogRecord> r = readRecord(n, currency);
            if (r.isEmpty()) {
                break;
            }
            log.add(r.get());
        }
        return log;
    }

    private static byte[] initializeData(Money amount, byte[] terminalId) {
        return concat(new byte[] {(byte) TerminalWire.KEY_INDEX}, amount.toBinary(), terminalId);
    }

    private static void requireDes(int algorithmId, Command command) throws CardDataException {
        if (algorithmId != TerminalWire.ALGORITHM_DES) {
            throw new CardDataException(command.title() + ": algorithm " + String.format("%02X", algorithmId)
                    + " is not supported (only 00, DES)");
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}

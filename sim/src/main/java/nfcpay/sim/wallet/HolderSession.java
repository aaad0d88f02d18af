package nfcpay.sim.wallet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;
import nfcpay.sim.SimAssembly;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.wallet.HolderException.Refusal;

/**
 * The holder's side of the SIM (docs/protocol.md 5): lists the card applications, sets their order, the
 * selection policy and which ones take part, and verifies or changes the holder PIN. It speaks the holder
 * APDUs over any transport that turns a command APDU into a response APDU (data and SW1 SW2): the
 * simulated SIM in process ({@code SimulatedSim.holderSession()}) or a PC/SC reader ({@link #open(CardChannel)}).
 *
 * <p>One session is one selection of the PPSE: {@link #open} selects it, a {@link #verify} holds until
 * the PPSE is selected again, deselected or the card reset. Anything else that selects on the same
 * channel in between (a payment through the same reader) ends the session: open a new one.
 *
 * <p>Cards are named by label or AID (hex); a label wins when both could match. A refusal is a
 * {@link HolderException} carrying the status word and a {@link Refusal}; a wrong PIN is a
 * {@link WrongPinException} with the tries left. PINs are 4 to 8 digits, passed as {@code char[]} that
 * this class wipes (fills with zeros) before returning, as it does its own PIN blocks and command
 * buffers; a transport may keep copies of its own ({@code javax.smartcardio.CommandAPDU} does).
 */
public final class HolderSession {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** As an int: {@code Wire.SW_OK} is a (negative) short. */
    private static final int SW_OK = 0x9000;
    /** A GET STATUS page holds at least one entry and the registry at most 16. */
    private static final int MAX_PAGES = Wire.SELECTOR_REGISTRY_CAPACITY;
    private static final byte[] ALL_APPLICATIONS = {Wire.TAG_AID, 0x00};
    private static final Map<Integer, Currency> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .filter(c -> c.getNumericCode() > 0)
            .collect(Collectors.toMap(Currency::getNumericCode, Function.identity(), (a, b) -> a));

    private final UnaryOperator<byte[]> transport;
    /** Where the selector is: the PPSE AID, or its own AID on a SIM whose contactless registry owns the PPSE. */
    private final byte[] selectorAid;

    private HolderSession(UnaryOperator<byte[]> transport, byte[] selectorAid) {
        this.transport = transport;
        this.selectorAid = selectorAid;
    }

    /**
     * Selects the PPSE over {@code transport} and returns the session. A SIM with no card application
     * registered answers the SELECT with 6A82 but is selected all the same; a card without the selector is
     * refused ({@link Refusal#REJECTED}).
     */
    public static HolderSession open(UnaryOperator<byte[]> transport) {
        return open(transport, SimAssembly.ppseAid());
    }

    /** As {@link #open(UnaryOperator)}, with the selector installed under {@code selectorAid} (docs/card.md, CRS). */
    public static HolderSession open(UnaryOperator<byte[]> transport, byte[] selectorAid) {
        HolderSession session = new HolderSession(Objects.requireNonNull(transport, "transport"),
                SimAssembly.checkSelectorAid(selectorAid));
        session.selectPpse();
        return session;
    }

    /** {@link #open(UnaryOperator)} through a PC/SC channel; a reader failure is an {@link UncheckedIOException}. */
    public static HolderSession open(CardChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return open(command -> {
            try {
                return channel.transmit(new CommandAPDU(command)).getBytes();
            } catch (CardException e) {
                throw new UncheckedIOException(new IOException("reader failed: " + e.getMessage(), e));
            }
        });
    }

    // ------------------------------------------------------------------ reading

    /** Every card application in priority order, deactivated ones included; balances only after {@link #verify}. */
    public List<WalletCard> list() {
        Response r = send(command(Wire.CLA_PROPRIETARY, Wire.INS_GET_STATUS, Wire.P1_GET_STATUS_APPLICATIONS,
                Wire.P2_GET_STATUS_FIRST, ALL_APPLICATIONS, true));
        if (r.sw == Wire.SW_REFERENCED_DATA_NOT_FOUND) {
            return List.of();
        }
        List<WalletCard> cards = new ArrayList<>();
        for (int page = 1; ; page++) {
            if (r.sw != SW_OK && r.sw != Wire.SW_MORE_DATA) {
                throw refusal("GET STATUS", r.sw, false, false);
            }
            for (Tlv entry : Tlv.parseAll(r.data)) {
                cards.add(walletCard(entry));
            }
            Arrays.fill(r.data, (byte) 0);
            if (r.sw == SW_OK) {
                return List.copyOf(cards);
            }
            if (page == MAX_PAGES) {
                throw new HolderException("GET STATUS does not end", r.sw, Refusal.REJECTED);
            }
            r = send(command(Wire.CLA_PROPRIETARY, Wire.INS_GET_STATUS, Wire.P1_GET_STATUS_APPLICATIONS,
                    Wire.P2_GET_STATUS_NEXT, ALL_APPLICATIONS, true));
        }
    }

    /** The card with this label (or, failing that, this AID in hex). */
    public WalletCard find(String labelOrAid) {
        return resolve(list(), labelOrAid);
    }

    /** Policy and PIN state (GET DATA A5). */
    public WalletSettings settings() {
        Response r = send(getData());
        if (r.sw != SW_OK) {
            throw refusal("GET DATA", r.sw, false, false);
        }
        Tlv template = Tlv.parseAll(r.data).get(0);
        int flags = single(template, Wire.TAG_PIN_FLAGS);
        return new WalletSettings(SelectionPolicy.fromWireValue(single(template, Wire.TAG_POLICY)),
                single(template, Wire.TAG_PIN_TRIES), (flags & Wire.PIN_FLAG_VERIFIED) != 0,
                (flags & Wire.PIN_FLAG_TRANSPORT) != 0);
    }

    // ------------------------------------------------------------------ PIN

    /** VERIFY: the holder PIN for this session. {@code pin} is wiped. */
    public void verify(char[] pin) {
        byte[] block = pinBlock(pin);
        byte[] command = command(Wire.CLA_ISO, Wire.INS_VERIFY, 0x00, Wire.P2_HOLDER_PIN, block, false);
        Arrays.fill(block, (byte) 0);
        Response r = sendAndWipe(command);
        if (r.sw != SW_OK) {
            throw refusal("VERIFY", r.sw, false, false);
        }
    }

    /**
     * CHANGE REFERENCE DATA: replaces the holder PIN (also the transport PIN) and leaves the session
     * verified. A wrong {@code oldPin} counts as a wrong PIN. Both arrays are wiped.
     */
    public void changePin(char[] oldPin, char[] newPin) {
        byte[] oldBlock = null;
        byte[] newBlock;
        try {
            oldBlock = pinBlock(oldPin);
            newBlock = pinBlock(newPin);
        } catch (IllegalArgumentException e) {
            if (oldBlock != null) {
                Arrays.fill(oldBlock, (byte) 0);
            }
            throw e;
        } finally {
            Arrays.fill(oldPin, '\0');
            Arrays.fill(newPin, '\0');
        }
        byte[] data = new byte[2 * Wire.PIN_BLOCK_LENGTH];
        System.arraycopy(oldBlock, 0, data, 0, Wire.PIN_BLOCK_LENGTH);
        System.arraycopy(newBlock, 0, data, Wire.PIN_BLOCK_LENGTH, Wire.PIN_BLOCK_LENGTH);
        Arrays.fill(oldBlock, (byte) 0);
        Arrays.fill(newBlock, (byte) 0);
        byte[] command = command(Wire.CLA_ISO, Wire.INS_CHANGE_REFERENCE_DATA, 0x00, Wire.P2_HOLDER_PIN, data, false);
        Arrays.fill(data, (byte) 0);
        Response r = sendAndWipe(command);
        if (r.sw != SW_OK) {
            throw refusal("CHANGE REFERENCE DATA", r.sw, false, false);
        }
    }

    // ------------------------------------------------------------------ changes (PIN verified)

    /**
     * SET PRIORITY ORDER: the named cards take the first places in this order, the others follow in
     * their current order (name them all for a complete order).
     */
    public void order(List<String> labelsOrAids) {
        if (labelsOrAids.isEmpty()) {
            throw new IllegalArgumentException("name at least one card");
        }
        List<WalletCard> cards = list();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (String name : labelsOrAids) {
            data.writeBytes(aidTlv(resolve(cards, name)));
        }
        if (data.size() > 255) {
            throw new IllegalArgumentException("too many AIDs for one command (over 255 bytes): name fewer cards,"
                    + " the others keep their order after them");
        }
        Response r = send(command(Wire.CLA_PROPRIETARY, Wire.INS_SET_ORDER, 0x00, 0x00, data.toByteArray(), false));
        if (r.sw != SW_OK) {
            throw refusal("SET PRIORITY ORDER", r.sw, true, false);
        }
    }

    /** SET SELECTION POLICY: the policy of every payment from now on. */
    public void policy(SelectionPolicy policy) {
        Response r = send(command(Wire.CLA_PROPRIETARY, Wire.INS_SET_POLICY, policy.wireValue(), 0x00, new byte[0], false));
        if (r.sw != SW_OK) {
            throw refusal("SET SELECTION POLICY", r.sw, true, false);
        }
    }

    /** SET STATUS activate: the card is back in the PPSE and in smart selection, with its credential. */
    public void activate(String labelOrAid) {
        setStatus(labelOrAid, true);
    }

    /** SET STATUS deactivate: the card leaves the PPSE and smart selection; the last active card cannot. */
    public void deactivate(String labelOrAid) {
        setStatus(labelOrAid, false);
    }

    private void setStatus(String labelOrAid, boolean activate) {
        WalletCard card = resolve(list(), labelOrAid);
        Response r = send(command(Wire.CLA_PROPRIETARY, Wire.INS_SET_STATUS, Wire.P1_SET_STATUS_AVAILABILITY,
                activate ? Wire.P2_ACTIVATE : Wire.P2_DEACTIVATE, aidTlv(card), false));
        if (r.sw != SW_OK) {
            throw refusal(activate ? "SET STATUS activate" : "SET STATUS deactivate", r.sw, true, !activate);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void selectPpse() {
        Response r = send(command(Wire.CLA_ISO, Wire.INS_SELECT, Wire.P1_SELECT_BY_NAME, Wire.P2_SELECT_FIRST_FCI,
                selectorAid.clone(), true));
        if (r.sw == SW_OK || (r.sw & 0xFF00) == Wire.SW_BYTES_REMAINING) {
            return;
        }
        if (r.sw == Wire.SW_FILE_NOT_FOUND) {
            // An empty selector answers 6A82 too, and is selected; a card without one does not know GET DATA A5.
            int probe = send(getData()).sw;
            if (probe == SW_OK || probe == Wire.SW_SECURITY_STATUS_NOT_SATISFIED) {
                return;
            }
        }
        throw new HolderException("no nfcpay selector answers SELECT PPSE", r.sw, Refusal.REJECTED);
    }

    private static byte[] getData() {
        return command(Wire.CLA_PROPRIETARY, Wire.INS_GET_DATA, Wire.P1P2_WALLET_SETTINGS >> 8,
                Wire.P1P2_WALLET_SETTINGS & 0xFF, new byte[0], true);
    }

    /**
     * The refusal a status word means for this command. 6982 means "verify first" on a change, unless
     * the settings, which need no PIN, are refused too: then the interface is the reason.
     */
    private HolderException refusal(String what, int sw, boolean change, boolean deactivation) {
        if ((sw & 0xFFF0) == Wire.SW_PIN_TRIES_LEFT) {
            return new WrongPinException(sw);
        }
        switch (sw) {
            case Wire.SW_PIN_BLOCKED:
                return new HolderException(what + ": the holder PIN is blocked", sw, Refusal.PIN_BLOCKED);
            case Wire.SW_REFERENCE_DATA_NOT_USABLE:
                return new HolderException(what + ": change the transport PIN first", sw, Refusal.TRANSPORT_PIN);
            case Wire.SW_REFERENCED_DATA_NOT_FOUND:
                return new HolderException(what + ": no such card application", sw, Refusal.UNKNOWN_CARD);
            case Wire.SW_SECURITY_STATUS_NOT_SATISFIED:
                if (change && send(getData()).sw != Wire.SW_SECURITY_STATUS_NOT_SATISFIED) {
                    return new HolderException(what + ": verify the holder PIN first", sw, Refusal.PIN_REQUIRED);
                }
                return new HolderException(what + ": refused over the contactless interface", sw, Refusal.CONTACTLESS);
            case Wire.SW_CONDITIONS_NOT_SATISFIED:
                if (deactivation) {
                    return new HolderException(what + ": the last active card stays active", sw, Refusal.LAST_ACTIVE_CARD);
                }
                return new HolderException(what + ": refused", sw, Refusal.REJECTED);
            default:
                return new HolderException(what + ": refused", sw, Refusal.REJECTED);
        }
    }

    private static WalletCard walletCard(Tlv entry) {
        if (entry.tag() != Wire.TAG_DIRECTORY_ENTRY) {
            throw new IllegalArgumentException("malformed answer from the SIM: entry tag " + Integer.toHexString(entry.tag()));
        }
        byte[] lifeCycle = entry.get(Wire.TAG_LIFE_CYCLE_STATE & 0xFFFF).value();
        Tlv currency = entry.find(Wire.TAG_APPLICATION_CURRENCY & 0xFFFF);
        Tlv balance = entry.find(Wire.TAG_BALANCE & 0xFF);
        return new WalletCard(
                HEX.formatHex(entry.get(Wire.TAG_AID).value()),
                new String(entry.get(Wire.TAG_LABEL).value(), StandardCharsets.US_ASCII),
                single(entry, Wire.TAG_PRIORITY),
                lifeCycle.length == 2 && lifeCycle[1] == Wire.CL_ACTIVATED,
                isNew(entry),
                AccountStatus.fromWireValue(single(entry, Wire.TAG_ACCOUNT_STATUS)),
                currency == null ? Optional.empty() : Optional.ofNullable(CURRENCIES.get(bcd(currency.value()))),
                balance == null ? OptionalLong.empty() : OptionalLong.of(unsigned(balance.value())));
    }

    /** {@code C3 01 01}: never activated by the holder (docs/protocol.md 5.3); any other value is malformed. */
    private static boolean isNew(Tlv entry) {
        Tlv mark = entry.find(Wire.TAG_HOLDER_NEW & 0xFF);
        if (mark == null) {
            return false;
        }
        if (mark.value().length != 1 || mark.value()[0] != Wire.HOLDER_NEW) {
            throw new IllegalArgumentException("malformed answer from the SIM: C3 " + HEX.formatHex(mark.value()));
        }
        return true;
    }

    private static int single(Tlv template, int tag) {
        byte[] value = template.get(tag & 0xFF).value();
        if (value.length != 1) {
            throw new IllegalArgumentException("malformed answer from the SIM: tag " + Integer.toHexString(tag));
        }
        return value[0] & 0xFF;
    }

    private static int bcd(byte[] digits) {
        int value = 0;
        for (byte b : digits) {
            value = value * 100 + ((b >> 4) & 0x0F) * 10 + (b & 0x0F);
        }
        return value;
    }

    private static long unsigned(byte[] value) {
        long v = 0;
        for (byte b : value) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    /** A label names a card when exactly one has it; otherwise an AID in hex does. */
    private static WalletCard resolve(List<WalletCard> cards, String labelOrAid) {
        List<WalletCard> byLabel = cards.stream().filter(c -> c.label().equals(labelOrAid)).toList();
        if (byLabel.size() > 1) {
            throw new IllegalArgumentException(byLabel.size() + " cards are labelled '" + labelOrAid + "': name one by AID");
        }
        if (byLabel.size() == 1) {
            return byLabel.get(0);
        }
        String aid = labelOrAid.toUpperCase(Locale.ROOT);
        return cards.stream().filter(c -> c.aidHex().equals(aid)).findFirst()
                .orElseThrow(() -> new NoSuchCardException(labelOrAid));
    }

    private static byte[] aidTlv(WalletCard card) {
        byte[] aid = HEX.parseHex(card.aidHex());
        byte[] tlv = new byte[2 + aid.length];
        tlv[0] = Wire.TAG_AID;
        tlv[1] = (byte) aid.length;
        System.arraycopy(aid, 0, tlv, 2, aid.length);
        return tlv;
    }

    /** The PIN block of docs/protocol.md 5.2: ASCII digits padded with FF to 8 bytes. Wipes {@code pin}. */
    static byte[] pinBlock(char[] pin) {
        try {
            if (pin.length < Wire.PIN_MIN_DIGITS || pin.length > Wire.PIN_MAX_DIGITS) {
                throw new IllegalArgumentException("a holder PIN has " + Wire.PIN_MIN_DIGITS + " to "
                        + Wire.PIN_MAX_DIGITS + " digits");
            }
            byte[] block = new byte[Wire.PIN_BLOCK_LENGTH];
            Arrays.fill(block, Wire.PIN_PAD);
            for (int i = 0; i < pin.length; i++) {
                if (pin[i] < '0' || pin[i] > '9') {
                    Arrays.fill(block, (byte) 0);
                    throw new IllegalArgumentException("a holder PIN has digits only");
                }
                block[i] = (byte) pin[i];
            }
            return block;
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** A short command APDU: header, Lc and data when there is data, Le 00 when asked. */
    private static byte[] command(int cla, int ins, int p1, int p2, byte[] data, boolean expectData) {
        if (data.length > 255) {
            throw new IllegalArgumentException("command data over 255 bytes");
        }
        int length = 4 + (data.length > 0 ? 1 + data.length : 0) + (expectData ? 1 : 0);
        byte[] command = new byte[length];
        command[0] = (byte) cla;
        command[1] = (byte) ins;
        command[2] = (byte) p1;
        command[3] = (byte) p2;
        if (data.length > 0) {
            command[4] = (byte) data.length;
            System.arraycopy(data, 0, command, 5, data.length);
        }
        return command;
    }

    private Response send(byte[] command) {
        byte[] response = transport.apply(command);
        if (response == null || response.length < 2) {
            throw new HolderException("no status word from the SIM", 0, Refusal.REJECTED);
        }
        int sw = ((response[response.length - 2] & 0xFF) << 8) | (response[response.length - 1] & 0xFF);
        return new Response(Arrays.copyOf(response, response.length - 2), sw);
    }

    private Response sendAndWipe(byte[] command) {
        try {
            return send(command);
        } finally {
            Arrays.fill(command, (byte) 0);
        }
    }

    private record Response(byte[] data, int sw) {}
}

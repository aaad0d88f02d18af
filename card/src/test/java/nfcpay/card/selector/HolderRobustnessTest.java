package nfcpay.card.selector;

import static nfcpay.card.selector.SelectorFixture.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random APDUs over the holder instructions (docs/protocol.md 5), mostly well-formed enough to get
 * past the first checks, with misbehaving card applications behind the selector, the interface switching
 * between contact and contactless, and power cycles. Every answer is a defined status word, never 6F00;
 * nothing changes without a verified PIN; nothing is served over contactless; one application stays active.
 * (The PIN is kept from blocking so that the run reaches the changes; HolderPinTest covers the blocked PIN.)
 */
class HolderRobustnessTest {

    private static final Set<Integer> DEFINED = Set.of(0x9000, 0x6310, 0x63C0, 0x63C1, 0x63C2, 0x63C3, 0x6700,
            0x6A80, 0x6A82, 0x6A86, 0x6A88, 0x6982, 0x6983, 0x6984, 0x6985, 0x6D00, 0x6E00);
    private static final int[] HOLDER_INS = {0x20, 0x24, 0xF0, 0xF2, 0xF4, 0xF6, 0xCA};
    private static final Set<Integer> CHANGING_INS = Set.of(0x24, 0xF0, 0xF4, 0xF6);

    private static final List<String> APPS = List.of("F000000824010101", "F000000824010102", "F000000824010103",
            "F000000824010104", "F0000008240101010203040506070A0B");
    /** AIDs that are not registered, some prefixes of registered ones. */
    private static final List<String> STRANGERS = List.of("F000000824010105", "F0000008240101", "A000000333010101",
            "F0000008240101010203040506070A0B0C");

    private Random random;
    private String currentPin = SelectorFixture.PIN;
    /** PIN tries left as the card last said; at 1 the next command is a right VERIFY, so the run keeps its happy paths. */
    private int triesLeft = Wire.PIN_TRY_LIMIT;

    @ParameterizedTest
    @ValueSource(longs = {20261126L, 5L, 55L, 555L, 5555L})
    void randomHolderCommandsOnlyEverGetDefinedAnswers(long seed) {
        random = new Random(seed);
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        for (int i = 0; i < APPS.size(); i++) {
            card.registeredApp(APPS.get(i), "APP " + i, 1 + random.nextInt(15), random.nextInt(100_000));
        }
        byte[] modes = {FakeCardApp.MODE_THROW, FakeCardApp.MODE_WRONG_TAG, FakeCardApp.MODE_OPEN_TRANSACTION,
            FakeCardApp.MODE_SHORT};
        for (int i = 1; i < modes.length + 1; i++) {
            card.mode(SelectorFixture.aid(APPS.get(i)), modes[i - 1]);
        }
        card.selectForHolder();

        boolean contactless = false;
        boolean verified = false;
        Map<Integer, Integer> changes = new HashMap<>();
        for (int step = 0; step < 2_000; step++) {
            int roll = random.nextInt(100);
            if (roll < 3) {
                contactless = !contactless;
                card.sim.changeProtocol(contactless ? "T=CL,TYPE_A,T1" : "T=1");
                continue;
            }
            if (roll < 6) {
                if (random.nextBoolean()) {
                    card.sim.reset();
                }
                card.selectForHolder();
                verified = false;
                continue;
            }
            CommandAPDU command = randomCommand();
            ResponseAPDU r = card.sim.transmitCommand(command);
            int sw = r.getSW();
            String what = "seed %d step %d: %s -> %04X".formatted(seed, step, HEX.formatHex(command.getBytes()), sw);
            assertThat(DEFINED).as(what).contains(sw);
            int ins = command.getINS();
            boolean holderCommand = isHolderCommand(command);
            if (contactless && holderCommand) {
                assertThat(sw).as(what).isEqualTo(0x6982);
                continue;
            }
            if (holderCommand && CHANGING_INS.contains(ins) && ins != 0x24 && sw == 0x9000) {
                assertThat(verified).as("a change without a verified PIN: " + what).isTrue();
                changes.merge(ins, 1, Integer::sum);
            }
            // The model of the session: a right PIN verifies, a wrong one ends the verified state.
            if (holderCommand && (ins == 0x20 && command.getNc() > 0 || ins == 0x24)) {
                if (sw == 0x9000) {
                    verified = true;
                    triesLeft = Wire.PIN_TRY_LIMIT;
                    if (ins == 0x24) {
                        currentPin = new String(java.util.Arrays.copyOfRange(command.getData(), 8, 16),
                                java.nio.charset.StandardCharsets.ISO_8859_1).replace("\u00FF", "");
                        changes.merge(ins, 1, Integer::sum);
                    }
                } else if ((sw & 0xFFF0) == 0x63C0) {
                    verified = false;
                    triesLeft = sw & 0x0F;
                }
            }
        }
        assertThat(changes.keySet()).as("seed %d reached every change", seed).contains(0xF0, 0xF4, 0xF6);

        // However it went, one application is still active and the PPSE lists it.
        card.sim.changeProtocol("T=0");
        assertThat(card.directory()).isNotEmpty();
    }

    private static boolean isHolderCommand(CommandAPDU command) {
        int cla = command.getCLA();
        int ins = command.getINS();
        return cla == 0x00 && (ins == 0x20 || ins == 0x24)
                || cla == 0x80 && (ins == 0xF0 || ins == 0xF2 || ins == 0xF4 || ins == 0xF6 || ins == 0xCA);
    }

    private CommandAPDU randomCommand() {
        if (triesLeft == 1) {
            return new CommandAPDU(0x00, 0x20, 0x00, 0x80, SelectorFixture.pinBlock(currentPin));
        }
        int ins = HOLDER_INS[random.nextInt(HOLDER_INS.length)];
        int cla = random.nextInt(20) == 0 ? random.nextInt(256) : (ins == 0x20 || ins == 0x24 ? 0x00 : 0x80);
        int p1;
        int p2;
        byte[] data;
        switch (ins) {
            case 0x20 -> {
                p1 = 0x00;
                p2 = 0x80;
                int kind = random.nextInt(10);
                data = kind < 6 ? SelectorFixture.pinBlock(currentPin)
                        : kind < 8 ? SelectorFixture.pinBlock(String.format("%04d", random.nextInt(10_000)))
                        : kind < 9 ? new byte[0] : randomBytes(random.nextInt(12));
            }
            case 0x24 -> {
                p1 = 0x00;
                p2 = 0x80;
                String next = random.nextBoolean() ? SelectorFixture.PIN : "13579";
                data = concat(SelectorFixture.pinBlock(random.nextInt(4) == 0 ? "0000" : currentPin), SelectorFixture.pinBlock(next));
                if (random.nextInt(6) == 0) {
                    data = java.util.Arrays.copyOf(data, random.nextInt(20));
                }
            }
            case 0xF0 -> {
                p1 = 0x01;
                p2 = random.nextInt(3) == 0 ? 0x01 : 0x00;
                data = aidTlv();
            }
            case 0xF2 -> {
                p1 = 0x40;
                p2 = random.nextInt(3) == 0 ? 0x01 : 0x00;
                data = random.nextBoolean() ? HEX.parseHex("4F00") : aidTlv();
            }
            case 0xF4 -> {
                p1 = 0x00;
                p2 = 0x00;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int n = 1 + random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    out.writeBytes(aidTlv());
                }
                data = out.toByteArray();
            }
            case 0xF6 -> {
                p1 = random.nextInt(5);
                p2 = 0x00;
                data = new byte[0];
            }
            default -> {
                p1 = 0x00;
                p2 = 0xA5;
                data = new byte[0];
            }
        }
        if (random.nextInt(8) == 0) {
            p1 = random.nextInt(256);
        }
        if (random.nextInt(8) == 0) {
            p2 = random.nextInt(256);
        }
        if (data.length > 0 && random.nextInt(6) == 0) {
            data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
        }
        if (data.length > 0 && random.nextInt(8) == 0) {
            data = java.util.Arrays.copyOf(data, random.nextInt(data.length + 3));
        }
        return data.length == 0
                ? (random.nextBoolean() ? new CommandAPDU(cla, ins, p1, p2) : new CommandAPDU(cla, ins, p1, p2, 256))
                : new CommandAPDU(cla, ins, p1, p2, data, 256);
    }

    private byte[] aidTlv() {
        int kind = random.nextInt(10);
        byte[] aid = kind < 7 ? HEX.parseHex(APPS.get(random.nextInt(APPS.size())))
                : kind < 9 ? HEX.parseHex(STRANGERS.get(random.nextInt(STRANGERS.size()))) : randomBytes(random.nextInt(20));
        return Tlv.encode(0x4F, aid);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package nfcpay.card.selector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;
import javacard.framework.AID;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded random APDUs at the selected PPSE, with misbehaving card applications behind it: every
 * answer is one of the status words the contract defines, never 6F00 (docs/protocol.md 1).
 */
class SelectorRobustnessTest {

    /** The terminal's status words, and the holder commands' (docs/protocol.md 5) that random INS bytes reach. */
    private static final Set<Integer> DEFINED = Set.of(0x9000, 0x6A86, 0x6700, 0x6A80, 0x6A81, 0x6A82, 0x6985,
            0x9401, 0x6D00, 0x6E00, 0x6A88, 0x6310, 0x6982, 0x6983, 0x6984);

    private static final String[] APPS = {
        "F000000824010101", "F000000824010102", "F000000824010103", "F000000824010104", "F0000008240101010203040506070A0B"
    };

    @ParameterizedTest
    @CsvSource({"20261126, 0, 0", "7, 0, 1", "8, 0, 2", "9, 0, 3", "10, 1, 0"})
    void randomCommandsNeverEndIn6F00(long seed, byte flags, byte policy) {
        Random random = new Random(seed);
        byte[] params = SelectorFixture.withPin(policy, SelectorFixture.PIN);
        params[0] = flags;
        SelectorFixture card = new SelectorFixture(params);
        List<AID> apps = new java.util.ArrayList<>();
        for (int i = 0; i < APPS.length; i++) {
            apps.add(card.registeredApp(APPS[i], "APP " + i, 1 + random.nextInt(15), random.nextInt(100_000)));
        }
        SelectorFixture.install(card.sim, SelectorFixture.aid("F0000000AA000001"), ImpostorApplet.class);
        byte[] modes = {FakeCardApp.MODE_NORMAL, FakeCardApp.MODE_THROW, FakeCardApp.MODE_WRONG_TAG,
            FakeCardApp.MODE_OPEN_TRANSACTION, FakeCardApp.MODE_REGISTER_WHILE_READ, FakeCardApp.MODE_STALE,
            FakeCardApp.MODE_SHORT, FakeCardApp.MODE_ZERO};
        for (int i = 1; i < apps.size(); i++) {
            card.mode(apps.get(i), modes[i]);
        }
        card.selectPpse();

        int answered9000 = 0;
        for (int i = 0; i < 1_500; i++) {
            if (random.nextInt(100) == 0) {
                // Change the world behind the PPSE: a misbehaviour, a balance, a deletion or a power cycle.
                switch (random.nextInt(4)) {
                    case 0 -> card.mode(apps.get(random.nextInt(apps.size())), modes[random.nextInt(modes.length)]);
                    case 1 -> card.balance(apps.get(random.nextInt(apps.size())), random.nextInt(100_000));
                    case 2 -> {
                        if (apps.size() > 1) {
                            card.sim.deleteApplet(apps.remove(random.nextInt(apps.size())));
                        }
                    }
                    default -> card.sim.reset();
                }
                card.selectPpse();
            }
            CommandAPDU command = randomCommand(random);
            ResponseAPDU r = card.sim.transmitCommand(command);
            int sw = r.getSW();
            assertThat(sw == 0x6F00).as("seed %d step %d: %s", seed, i, SelectorFixture.HEX.formatHex(command.getBytes())).isFalse();
            assertThat(DEFINED.contains(sw) || r.getSW1() == 0x61 || (sw & 0xFFF0) == 0x63C0)
                    .as("seed %d step %d: %s -> %04X", seed, i, SelectorFixture.HEX.formatHex(command.getBytes()), sw)
                    .isTrue();
            if (sw == 0x9000) {
                answered9000++;
            }
        }
        assertThat(answered9000).as("the loop also reaches the happy paths").isGreaterThan(20);
    }

    private static CommandAPDU randomCommand(Random random) {
        switch (random.nextInt(8)) {
            case 0:
                return new CommandAPDU(SelectorFixture.HEX.parseHex("00A404000E325041592E5359532E444446303100"));
            case 1:
                return withRandomLength(random, 0x00, 0xC0, random.nextInt(4) == 0 ? random.nextInt(256) : 0,
                        random.nextInt(4) == 0 ? random.nextInt(256) : 0);
            case 2:
            case 3: {
                long amount = random.nextInt(10) == 0 ? (long) (random.nextDouble() * 999_999_999_999L) : 1 + random.nextInt(120_000);
                byte[] data = SelectorFixture.gpoData(Long.toString(amount),
                        random.nextInt(4) == 0 ? random.nextInt(0x10000) : SelectorFixture.CNY,
                        random.nextInt(8) == 0 ? random.nextInt(256) : 0);
                if (random.nextInt(3) == 0) {
                    data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
                }
                if (random.nextInt(5) == 0) {
                    data = java.util.Arrays.copyOf(data, random.nextInt(data.length + 4));
                }
                int cla = random.nextInt(10) == 0 ? random.nextInt(256) : 0x80;
                int p1p2 = random.nextInt(10) == 0 ? random.nextInt(0x10000) : 0;
                return data.length == 0
                        ? new CommandAPDU(cla, 0xA8, p1p2 >> 8, p1p2 & 0xFF, 256)
                        : new CommandAPDU(cla, 0xA8, p1p2 >> 8, p1p2 & 0xFF, data, 256);
            }
            default: {
                int cla = random.nextInt(3) == 0 ? random.nextInt(256) : (random.nextBoolean() ? 0x00 : 0x80);
                int ins = random.nextInt(3) == 0 ? random.nextInt(256) : new int[] {0xA4, 0xC0, 0xA8, 0xCA, 0xB2}[random.nextInt(5)];
                int p1 = random.nextInt(256);
                int p2 = random.nextInt(256);
                byte[] data = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(40)];
                random.nextBytes(data);
                boolean selection = (cla & 0xFC) == 0 && ins == 0xA4 && p1 == 0x04 && (p2 & 0xE3) == 0;
                if (selection) {
                    // Keep the PPSE selected: never an AID (prefix) of an installed applet, never empty.
                    data = new byte[1 + random.nextInt(16)];
                    random.nextBytes(data);
                    data[0] = (byte) 0xA0;
                }
                return data.length == 0
                        ? withRandomLength(random, cla, ins, p1, p2)
                        : (random.nextBoolean()
                                ? new CommandAPDU(cla, ins, p1, p2, data)
                                : new CommandAPDU(cla, ins, p1, p2, data, 1 + random.nextInt(256)));
            }
        }
    }

    private static CommandAPDU withRandomLength(Random random, int cla, int ins, int p1, int p2) {
        return random.nextBoolean() ? new CommandAPDU(cla, ins, p1, p2) : new CommandAPDU(cla, ins, p1, p2, 1 + random.nextInt(256));
    }
}

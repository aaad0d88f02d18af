package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import nfcpay.reliability.runtime.CardTornException;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.Holder;
import nfcpay.reliability.sim.TransactionalSim;
import org.junit.jupiter.api.Test;

/**
 * Guessing the holder PIN with the power cut: the classic attack on a PIN whose try counter is written
 * only when the comparison fails. The attacker watches for the write (on a real card, in the power
 * trace) and cuts the power before it lands: a wrong guess then costs nothing, and a right one is the
 * guess that runs to its end. On the model, "cut before the write" is the tear point before the
 * command's first persistence event.
 *
 * <p>The defence is the platform's: {@code OwnerPIN.check} spends the try before it compares, outside
 * any transaction (Java Card 3.0.5 API; {@code PinBarrier}), so whatever the tear point a wrong guess and
 * the right one look the same to the attacker until a try is spent. It is checked on the selector's
 * holder PIN and on a test applet's {@code OwnerPIN}; the same applet's hand-rolled PIN, which compares
 * first, is the defenceless "mutant" the attack must break.
 */
class PinTearingAttackTest {

    private static final String RIGHT = "1234";
    private static final int LIMIT = 3;
    private static final List<String> DICTIONARY =
            List.of("0000", "1111", "9999", "4321", "2580", "1212", RIGHT, "7777", "1004", "6969");

    /** A PIN under attack, brought back to its start state (PIN 1234, 3 tries) by a checkpoint. */
    interface Target {
        /** Back to the start state, then {@link #tap()}. */
        void fresh();

        /** A new tap on the card as it is: select the application. */
        void tap();

        /** Presents the guess in one command; {@link CardTornException} when the armed tear point is reached. */
        int present(String guess);

        int triesLeft();

        TransactionalCard card();
    }

    static Target selector() {
        TransactionalSim sim = Wallets.genuine();
        sim.card().checkpoint();
        return new Target() {
            @Override
            public void fresh() {
                sim.card().restoreCheckpoint();
                tap();
            }

            @Override
            public void tap() {
                sim.ppse().select();
            }

            @Override
            public int present(String guess) {
                return sim.card().transmit(Holder.verify(guess)).getSW();
            }

            @Override
            public int triesLeft() {
                return sim.holderSession().settings().pinTriesLeft();
            }

            @Override
            public TransactionalCard card() {
                return sim.card();
            }
        };
    }

    /** {@code PinApplet}: P2 80 its OwnerPIN, P2 81 its hand-rolled PIN. */
    static Target pinApplet(boolean handRolled) {
        byte[] aid = Bytes.hex("F0000008249903");
        int p2 = handRolled ? 0x81 : 0x80;
        TransactionalCard card = new TransactionalCard();
        card.install(aid, "nfcpay.reliability.applets.PinApplet", new byte[0]);
        card.checkpoint();
        return new Target() {
            @Override
            public void fresh() {
                card.restoreCheckpoint();
                tap();
            }

            @Override
            public void tap() {
                card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, aid));
            }

            @Override
            public int present(String guess) {
                return card.transmit(new CommandAPDU(0x00, 0x20, 0x00, p2, guess.getBytes(StandardCharsets.US_ASCII))).getSW();
            }

            @Override
            public int triesLeft() {
                card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, aid));
                return card.transmit(new CommandAPDU(0x80, 0xCA, 0x00, p2, 1)).getData()[0];
            }

            @Override
            public TransactionalCard card() {
                return card;
            }
        };
    }

    /** What the attacker sees of one guess torn at {@code k}: the status word, or that the power went. */
    private record Seen(String answer, int triesSpent) {}

    private static Seen guess(Target target, String guess, long k) {
        target.fresh();
        target.card().tearAfter(k);
        String answer;
        try {
            answer = String.format("%04X", target.present(guess));
        } catch (CardTornException e) {
            answer = "torn";
        }
        target.card().disarm();
        return new Seen(answer, LIMIT - target.triesLeft());
    }

    static List<String> attack(Target target) {
        List<String> breaches = new ArrayList<>();
        // Every tear point: while a wrong guess has spent no try, it must look exactly like the right one.
        for (long k = 0; k <= 3; k++) {
            Seen wrong = guess(target, "9999", k);
            Seen right = guess(target, RIGHT, k);
            breach(breaches, wrong.triesSpent() == 0 && !wrong.answer().equals(right.answer()),
                    "torn at event " + k + " a wrong guess (" + wrong.answer() + ") is told from the right one ("
                            + right.answer() + ") without spending a try");
            breach(breaches, wrong.triesSpent() > 1, "one wrong guess spent " + wrong.triesSpent() + " tries");
        }
        // The dictionary, every guess cut before the card's first write.
        target.fresh();
        String found = null;
        for (String guess : DICTIONARY) {
            target.card().tearAfter(0);
            try {
                if (target.present(guess) == 0x9000 && found == null) {
                    found = guess;
                }
            } catch (CardTornException e) {
                target.tap(); // the power went: tap again, on the state the card kept
            }
            target.card().disarm();
        }
        int left = target.triesLeft();
        breach(breaches, found != null, "the PIN " + found + " was found among " + DICTIONARY.size()
                + " guesses cut at the first write, " + left + " tries still left");
        return breaches;
    }

    @Test
    void theSelectorsHolderPinGivesNothingToAnAttackerWhoCutsThePower() {
        assertThat(attack(selector())).isEmpty();
    }

    @Test
    void anOwnerPinGivesNothingToAnAttackerWhoCutsThePower() {
        assertThat(attack(pinApplet(false))).isEmpty();
    }

    @Test
    void aPinThatComparesBeforeSpendingTheTryIsFoundForFree() {
        List<String> breaches = attack(pinApplet(true));
        assertThat(breaches).anyMatch(b -> b.contains("without spending a try"));
        assertThat(breaches).anyMatch(b -> b.startsWith("the PIN 1234 was found") && b.endsWith("3 tries still left"));
    }
}

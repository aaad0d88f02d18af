package nfcpay.terminal.kernel;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The PPSE directory of the card in the field (PROTOCOL.md 2.1).
 *
 * @param applications the directory entries in the card's order
 * @param smartSelection true when the FCI carries this contract's PDOL (9F38): the card chooses
 */
public record Directory(List<CardApplication> applications, boolean smartSelection) {

    public Directory {
        applications = List.copyOf(applications);
    }

    /**
     * EMV Book B candidate list: by priority, highest (1) first, ties in directory order; an entry
     * without a priority goes last.
     */
    public List<CardApplication> candidates() {
        return applications.stream()
                .sorted(Comparator.comparingInt(a -> a.priority() == 0 ? Integer.MAX_VALUE : a.priority()))
                .toList();
    }

    public Optional<CardApplication> find(String aid) {
        return applications.stream().filter(a -> a.aid().equalsIgnoreCase(aid)).findFirst();
    }
}

package io.trainyard.spec.data;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecException;
import java.util.List;

/**
 * String columns read as text (the {@code data.text.*} keys): tokenised, counted into a vocabulary fitted on the
 * train split, and given to the network as a bag of words (an MLP) or as a sequence of token ids (an RNN or CNN over
 * an embedding). Off while {@code columns} is empty.
 *
 * @param columns    string columns, joined in this order with a separator token between them
 * @param unit       what a token is: a word (a run of letters and digits) or a single character
 * @param lowercase  whether text is lower-cased (locale-independently) before it is split
 * @param vocabulary the most frequent tokens of the train split kept (ties broken by token); others are unknown
 * @param minCount   a token seen fewer times than this in the train split is unknown
 * @param maxLength  tokens kept per row (the first ones); a sequence is padded to it and masked
 * @param weighting  a bag of words' values: TF-IDF (L2-normalised per row) or raw counts
 */
public record TextSpec(
        List<String> columns,
        Unit unit,
        boolean lowercase,
        int vocabulary,
        int minCount,
        int maxLength,
        Weighting weighting)
        implements java.io.Serializable {

    /** The most tokens a vocabulary may keep: a bag of words is this wide, an embedding this tall. */
    public static final int MAX_VOCABULARY = 1_000_000;
    /** The most tokens kept per row: a recurrent network steps through each of them. */
    public static final int MAX_LENGTH = 10_000;

    /** How text is split into tokens. */
    public enum Unit {
        /** Maximal runs of letters and digits (Unicode); everything else separates them. */
        WORDS,
        /** Every character (spaces and punctuation included). */
        CHARS
    }

    /** What a bag of words holds per vocabulary slot. */
    public enum Weighting {
        /** Count times smoothed inverse document frequency, the row then scaled to unit length (scikit-learn's). */
        TFIDF,
        /** The token's count in the row. */
        COUNTS
    }

    public TextSpec {
        columns = Checks.noDuplicates("data.text.columns", columns);
        for (String c : columns) {
            Checks.nonBlank("data.text.columns", c);
        }
        Checks.between("data.text.vocabulary", vocabulary, 1, MAX_VOCABULARY);
        Checks.positive("data.text.min-count", minCount);
        Checks.between("data.text.max-length", maxLength, 1, MAX_LENGTH);
        if (unit == null || weighting == null) {
            throw new SpecException("data.text.unit and data.text.weighting must be set");
        }
    }

    /** Whether any column is read as text. */
    public boolean enabled() {
        return !columns.isEmpty();
    }
}

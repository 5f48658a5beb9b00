package io.trainyard.data.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.split;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.SqlExpressions;
import io.trainyard.spec.data.TextSpec;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * How a row's text columns become inputs, as fitted on the train split: the tokenisation rule, the vocabulary, and
 * where the text sits in the input vector. A bag of words (an MLP's) takes one slot per vocabulary token plus one
 * for unknown tokens; a sequence (an RNN's or CNN's) takes {@code maxLength} slots of token ids, padded with
 * {@link #PADDING}, which the minibatches mask.
 *
 * @param spec        the {@code data.text} settings the plan was fitted with
 * @param layout      bag of words or token-id sequence
 * @param nullAsEmpty whether a null text column reads as empty text ({@code data.nulls = impute})
 * @param vocabulary  kept tokens, most frequent first (ties by token); token {@code i} has id {@code FIRST_TOKEN + i}
 * @param idf         a bag of words under TF-IDF: each vocabulary slot's inverse document frequency, then unknown's
 *                    (1: the least weight a token can get); null otherwise
 * @param documents   train rows the vocabulary was counted on
 * @param offset      first slot in the input vector
 * @param width       slots taken
 */
public record TextPlan(
        TextSpec spec,
        Layout layout,
        boolean nullAsEmpty,
        List<String> vocabulary,
        List<Double> idf,
        long documents,
        int offset,
        int width)
        implements java.io.Serializable {

    /** Stage-2 column of a row's tokens (array of strings, at most {@code max-length}). */
    public static final String TOKENS = "__t";
    /** The token placed between two text columns; no word or character token can equal it. */
    public static final String SEPARATOR_TOKEN = "<sep>";
    /** Token ids of a sequence: padding (masked), unknown token, separator, then the vocabulary. */
    public static final int PADDING = 0;

    public static final int UNKNOWN = 1;
    public static final int SEPARATOR = 2;
    public static final int FIRST_TOKEN = 3;

    /** How text is given to the network. */
    public enum Layout {
        /** One slot per vocabulary token plus unknown, holding TF-IDF or counts: an MLP's input. */
        BAG,
        /** The first {@code max-length} token ids, padded: an embedding's input. */
        SEQUENCE
    }

    public TextPlan {
        vocabulary = List.copyOf(vocabulary);
        idf = idf == null ? null : List.copyOf(idf);
        // A plan may come from someone else's model directory: its parts must agree before anything indexes by them.
        int slots = layout == Layout.BAG ? vocabulary.size() + 1 : spec.maxLength();
        if (width != slots
                || offset < 0
                || (idf != null && idf.size() != width)
                || vocabulary.size() > spec.vocabulary()) {
            throw new IllegalArgumentException(
                    "inconsistent text plan: " + layout + " of " + width + " slots at " + offset + " for "
                            + vocabulary.size() + " tokens" + (idf == null ? "" : " and " + idf.size() + " idf"));
        }
    }

    /** Distinct token ids a sequence may hold (an embedding's rows): padding, unknown, separator, vocabulary. */
    @JsonIgnore
    public int ids() {
        return vocabulary.size() + FIRST_TOKEN;
    }

    /** The idf as floats, the precision the encoder and an exported graph weigh counts in. */
    @JsonIgnore
    public float[] idfValues() {
        float[] out = new float[idf.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = idf.get(i).floatValue();
        }
        return out;
    }

    /**
     * A row's tokens as a Spark column: each text column lower-cased (Spark's {@code lower}) when asked, split into
     * words (maximal runs of Unicode letters and digits) or characters, the columns joined with
     * {@link #SEPARATOR_TOKEN}, the first {@code max-length} kept. Null when a column is null, unless
     * {@code nullAsEmpty}. Built with Spark's functions API from checked column names: nothing reaches a parser.
     */
    public static Column tokens(TextSpec spec, boolean nullAsEmpty) {
        Column joined = null;
        for (String name : spec.columns()) {
            SqlExpressions.checkName("data.text.columns", name);
            Column text = col(FeatureSelector.quote(name));
            if (nullAsEmpty) {
                text = coalesce(text, lit(""));
            }
            if (spec.lowercase()) {
                text = lower(text);
            }
            Column parts = split(text, spec.unit() == TextSpec.Unit.WORDS ? "[^\\p{L}\\p{N}]+" : "");
            Column kept = filter(parts, t -> t.notEqual(lit("")));
            joined = joined == null ? kept : concat(joined, array(lit(SEPARATOR_TOKEN)), kept);
        }
        return slice(joined, 1, spec.maxLength());
    }
}

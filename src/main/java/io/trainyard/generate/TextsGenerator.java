package io.trainyard.generate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Short reviews in two text columns ({@code title}, 2-5 words, and {@code body}, 6-40 words) with a {@code sentiment}
 * label, 60% {@code positive}. Each word is, with probability {@link #SENTIMENT_SHARE}, a sentiment word (from the
 * label's own list with probability {@link #OWN_LIST}, from the other list otherwise) and else one of
 * {@link #FILLER_WORDS} made-up filler words. Titles and sentences start with a capital, bodies end with a full stop
 * and some words carry a comma, as text does.
 *
 * <p>The likelihood ratio of a row is {@code (OWN_LIST / (1 - OWN_LIST))^(p - n)} for p positive and n negative
 * words, so with 60/40 priors the Bayes rule is "positive when p >= n", a linear rule on word counts, and its accuracy
 * is computed exactly from the length and word distributions ({@link #bayesAccuracy()}).
 */
public final class TextsGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    public static final List<String> POSITIVE = List.of(
            "good",
            "great",
            "excellent",
            "love",
            "wonderful",
            "perfect",
            "happy",
            "amazing",
            "best",
            "nice",
            "pleasant",
            "superb",
            "brilliant",
            "delightful",
            "fantastic",
            "lovely",
            "reliable",
            "solid",
            "smooth",
            "enjoyable");
    public static final List<String> NEGATIVE = List.of(
            "bad",
            "poor",
            "awful",
            "hate",
            "terrible",
            "broken",
            "worst",
            "boring",
            "disappointing",
            "ugly",
            "slow",
            "noisy",
            "cheap",
            "useless",
            "annoying",
            "faulty",
            "horrible",
            "weak",
            "sad",
            "flimsy");
    static final double POSITIVE_SHARE = 0.6;
    static final double SENTIMENT_SHARE = 0.2;
    static final double OWN_LIST = 0.75;
    static final int FILLER_WORDS = 600;
    static final int[] TITLE_WORDS = {2, 5};
    static final int[] BODY_WORDS = {6, 40};
    private static final String[] SYLLABLES = {
        "ka", "lo", "mi", "ren", "to", "sa", "vi", "del", "mor", "tun", "pa", "ge", "bri", "son", "la", "qua", "fen",
        "dor", "ith", "ul", "ber", "co", "nex", "zu"
    };
    /** Made-up words of two or three syllables: the same list on every machine. */
    static final List<String> FILLER = filler();

    @Override
    public String name() {
        return "texts";
    }

    @Override
    public String description() {
        return "reviews in two text columns (title, body) labelled positive (60%) or negative by which of two word "
                + "lists dominates, among made-up filler words";
    }

    @Override
    public StructType schema() {
        return new StructType()
                .add("row_id", DataTypes.LongType, false)
                .add("title", DataTypes.StringType, false)
                .add("body", DataTypes.StringType, false)
                .add("sentiment", DataTypes.StringType, false);
    }

    @Override
    public Row row(long id, SplittableRandom r) {
        boolean positive = r.nextDouble() < POSITIVE_SHARE;
        String title = words(r, positive, TITLE_WORDS, false);
        String body = words(r, positive, BODY_WORDS, true);
        return RowFactory.create(id, title, body, positive ? "positive" : "negative");
    }

    private static String words(SplittableRandom r, boolean positive, int[] range, boolean sentence) {
        int n = range[0] + r.nextInt(range[1] - range[0] + 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String word;
            if (r.nextDouble() < SENTIMENT_SHARE) {
                List<String> list = (r.nextDouble() < OWN_LIST) == positive ? POSITIVE : NEGATIVE;
                word = list.get(r.nextInt(list.size()));
            } else {
                word = FILLER.get(r.nextInt(FILLER.size()));
            }
            if (i == 0) {
                word = word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
            }
            s.append(i == 0 ? "" : " ").append(word);
            if (sentence && i < n - 1 && r.nextDouble() < 0.08) {
                s.append(',');
            }
        }
        return sentence ? s.append('.').toString() : s.toString();
    }

    private static List<String> filler() {
        List<String> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(20261207L);
        Set<String> taken = new HashSet<>(POSITIVE);
        taken.addAll(NEGATIVE);
        while (out.size() < FILLER_WORDS) {
            int syllables = 2 + r.nextInt(2);
            StringBuilder w = new StringBuilder();
            for (int i = 0; i < syllables; i++) {
                w.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            }
            if (taken.add(w.toString())) {
                out.add(w.toString());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The Bayes rule's accuracy: sum over the row's word count of the chance that the positive-minus-negative count
     * falls on the right side of 0 (p >= n predicts positive), by dynamic programming over the words.
     */
    public static double bayesAccuracy() {
        double ownWord = SENTIMENT_SHARE * OWN_LIST;
        double otherWord = SENTIMENT_SHARE * (1 - OWN_LIST);
        int titles = TITLE_WORDS[1] - TITLE_WORDS[0] + 1;
        int bodies = BODY_WORDS[1] - BODY_WORDS[0] + 1;
        double accuracy = 0;
        for (int t = TITLE_WORDS[0]; t <= TITLE_WORDS[1]; t++) {
            for (int b = BODY_WORDS[0]; b <= BODY_WORDS[1]; b++) {
                int n = t + b;
                // d = own-list words minus other-list words, offset by n.
                double[] d = new double[2 * n + 1];
                d[n] = 1;
                for (int w = 0; w < n; w++) {
                    double[] next = new double[2 * n + 1];
                    for (int k = 0; k < d.length; k++) {
                        if (d[k] == 0) {
                            continue;
                        }
                        next[k] += d[k] * (1 - ownWord - otherWord);
                        if (k + 1 < d.length) {
                            next[k + 1] += d[k] * ownWord;
                        }
                        if (k > 0) {
                            next[k - 1] += d[k] * otherWord;
                        }
                    }
                    d = next;
                }
                double ownAhead = 0;
                double ownAheadOrTied = 0;
                for (int k = 0; k < d.length; k++) {
                    ownAheadOrTied += k >= n ? d[k] : 0;
                    ownAhead += k > n ? d[k] : 0;
                }
                // A positive row is right when p - n = d >= 0; a negative one when p - n < 0, i.e. its own-list lead >
                // 0.
                double right = POSITIVE_SHARE * ownAheadOrTied + (1 - POSITIVE_SHARE) * ownAhead;
                accuracy += right / (titles * bodies);
            }
        }
        return accuracy;
    }

    /** The Bayes rule on a row's text: positive when it has at least as many positive as negative words. */
    public static boolean bayesPositive(String text) {
        int score = 0;
        for (String token : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            score += POSITIVE.contains(token) ? 1 : NEGATIVE.contains(token) ? -1 : 0;
        }
        return score >= 0;
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "binary classification of text");
        out.put("label", "sentiment");
        out.put("id", "row_id");
        out.put("text_columns", List.of("title", "body"));
        out.put("positive_share", POSITIVE_SHARE);
        out.put("bayes_accuracy", bayesAccuracy());
        out.put(
                "bayes_rule",
                "positive when the title and body hold at least as many words of the positive list as of "
                        + "the negative list");
        out.put("majority_accuracy", POSITIVE_SHARE);
        return out;
    }
}

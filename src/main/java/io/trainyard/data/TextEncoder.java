package io.trainyard.data;

import io.trainyard.data.features.TextPlan;
import io.trainyard.spec.data.TextSpec;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A row's tokens into its text slots, as {@link TextPlan} says: a bag of words (each vocabulary token's count, times
 * its idf and the row scaled to length 1 under TF-IDF; unknown tokens share the last slot) or the token ids of a
 * sequence ({@link TextPlan#PADDING} after the last token). Tokens are looked up in a hash map of Spark's own UTF-8
 * strings, so no token becomes a Java string on the training path.
 */
final class TextEncoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private final TextPlan plan;
    private final float[] idf;
    private transient Map<UTF8String, Integer> ids;

    TextEncoder(TextPlan plan) {
        this.plan = plan;
        this.idf = plan.idf() == null ? null : plan.idfValues();
    }

    /** Puts the tokens of one row (Spark's internal array of strings) into {@code vector}'s text slots. */
    void fill(float[] vector, int base, ArrayData tokens) {
        int n = tokens.numElements();
        int start = base + plan.offset();
        for (int k = 0; k < n; k++) {
            put(vector, start, k, id(tokens.getUTF8String(k)));
        }
        finish(vector, start);
    }

    /** As {@link #fill(float[], int, ArrayData)} for the tokens of a {@link org.apache.spark.sql.Row}. */
    void fill(float[] vector, int base, List<String> tokens) {
        int start = base + plan.offset();
        for (int k = 0; k < tokens.size(); k++) {
            put(vector, start, k, id(UTF8String.fromString(tokens.get(k))));
        }
        finish(vector, start);
    }

    private void put(float[] vector, int start, int k, int id) {
        if (plan.layout() == TextPlan.Layout.SEQUENCE) {
            vector[start + k] = id;
        } else if (id != TextPlan.SEPARATOR) {
            // Vocabulary token i has id FIRST_TOKEN + i and slot i; unknown tokens share the last slot.
            int slot = id == TextPlan.UNKNOWN ? plan.width() - 1 : id - TextPlan.FIRST_TOKEN;
            vector[start + slot] += 1f;
        }
    }

    private void finish(float[] vector, int start) {
        if (plan.layout() != TextPlan.Layout.BAG || plan.spec().weighting() != TextSpec.Weighting.TFIDF) {
            return;
        }
        double norm = 0;
        for (int s = 0; s < plan.width(); s++) {
            float v = vector[start + s] * idf[s];
            vector[start + s] = v;
            norm += (double) v * v;
        }
        if (norm > 0) {
            float scale = (float) (1.0 / Math.sqrt(norm));
            for (int s = 0; s < plan.width(); s++) {
                vector[start + s] *= scale;
            }
        }
    }

    private int id(UTF8String token) {
        if (ids == null) {
            Map<UTF8String, Integer> map = new HashMap<>();
            List<String> vocabulary = plan.vocabulary();
            for (int i = 0; i < vocabulary.size(); i++) {
                map.put(UTF8String.fromString(vocabulary.get(i)), TextPlan.FIRST_TOKEN + i);
            }
            map.put(UTF8String.fromString(TextPlan.SEPARATOR_TOKEN), TextPlan.SEPARATOR);
            ids = map;
        }
        Integer id = ids.get(token);
        return id == null ? TextPlan.UNKNOWN : id;
    }
}

package io.trainyard.data.columnar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A block's distinct values of one text column (a class label or a category) as codes, in order of first
 * appearance. Strings are looked up by Spark's own bytes and copied only when new: most rows repeat a value. Past
 * {@code cap} values, every new value shares one last code, {@link #OVERFLOW}: the block then only tells that the
 * column has too many values for this reader (or for a classification), never holds them all.
 */
final class Dictionary {
    /** The value standing for every value past the cap. */
    static final String OVERFLOW = "\u0000more values";

    private final int cap;
    private final Map<Object, Integer> codes = new HashMap<>();
    private final List<String> values = new ArrayList<>();

    Dictionary(int cap) {
        this.cap = cap;
    }

    /** The code of the non-null value at {@code row}. */
    int code(ColumnVector v, int row, ColumnReader reader) {
        if (reader == ColumnReader.STRING) {
            UTF8String s = v.getUTF8String(row);
            Integer code = codes.get(s);
            return code != null ? code : add(s.copy(), s.toString());
        }
        String text = reader.text(v, row);
        Integer code = codes.get(text);
        return code != null ? code : add(text, text);
    }

    private int add(Object key, String text) {
        if (values.size() == cap) {
            values.add(OVERFLOW);
        }
        if (values.size() > cap) {
            return cap;
        }
        codes.put(key, values.size());
        values.add(text);
        return values.size() - 1;
    }

    /** Whether more distinct values came than the cap. */
    boolean overflowed() {
        return values.size() > cap;
    }

    List<String> values() {
        return List.copyOf(values);
    }
}

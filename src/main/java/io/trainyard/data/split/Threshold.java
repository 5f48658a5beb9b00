package io.trainyard.data.split;

import java.io.Serializable;

/**
 * A cut in the order of row hashes: a row is below the cut when {@code hash < value}, or {@code hash == value} and
 * the cut is inclusive. Rows with equal hashes (equal split keys) always fall on the same side.
 */
public record Threshold(long value, boolean inclusive) implements Serializable {
    public boolean below(long hash) {
        return hash < value || (inclusive && hash == value);
    }
}

package io.trainyard.data.split;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.shiftleft;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.trainyard.data.source.DataException;
import io.trainyard.data.source.FeatureSelector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * A split in order ({@code split.order-by}): the oldest rows train, the newest test. The exact split ranks rows by a
 * 64-bit {@link SplitAssigner#HASH}; here that value is the row's place in the order, stretched over the high bits so
 * that the split's histogram spreads over its buckets, with the split-key hash in the low bits to rank rows that share
 * a place. Timestamps, dates and integers keep their exact order; other numbers are placed on 2^48 steps of their
 * range (values closer than 3.6e-15 of the range share a place).
 */
public final class OrderedSplit {
    /** The order position of a row, before the split-key hash is added. */
    public static final String POSITION = "__order_position";

    private static final String KEY = "split.order-by";
    private static final int NUMBER_BITS = 48;

    private final int tieBits;

    private OrderedSplit(int tieBits) {
        this.tieBits = tieBits;
    }

    /** The frame with {@link #POSITION}, and the split that turns it into a rank; refuses nulls and unordered types. */
    public static Marked mark(Dataset<Row> source, String expression, String sourceName) {
        FeatureSelector.Resolved resolved = FeatureSelector.resolve(KEY, expression, source, sourceName);
        Column value = resolved.column();
        DataType type = resolved.type();
        boolean exact = type instanceof TimestampType
                || type instanceof TimestampNTZType
                || type instanceof DateType
                || type instanceof IntegralType;
        if (!exact && !(type instanceof DecimalType) && type != DataTypes.DoubleType && type != DataTypes.FloatType) {
            throw new DataException(KEY + ": '" + expression + "' is " + type.simpleString() + " in " + sourceName
                    + "; the split order must be a timestamp, a date or a number");
        }
        Column ordinal = type instanceof TimestampType
                ? unix_micros(value)
                : type instanceof TimestampNTZType
                        ? unix_micros(value.cast("timestamp"))
                        : type instanceof DateType
                                ? unix_date(value).cast("long")
                                : exact ? value.cast("long") : value.cast("double");
        Column missing = exact ? value.isNull() : value.isNull().or(isnan(value.cast("double")));
        Row range = source.agg(
                        min(when(missing.unary_$bang(), ordinal)),
                        max(when(missing.unary_$bang(), ordinal)),
                        count(when(missing, lit(1))))
                .first();
        if (range.getLong(2) > 0) {
            throw new DataException(KEY + ": '" + expression + "' is null or NaN in " + range.getLong(2) + " rows of "
                    + sourceName + "; every row needs a place in the order (filter them out, or coalesce)");
        }
        if (range.isNullAt(0)) {
            throw new DataException("data: no rows to train on");
        }
        if (exact) {
            long low = range.getLong(0);
            long span = range.getLong(1) - low;
            int tieBits = span == 0 ? Long.SIZE : Long.numberOfLeadingZeros(span);
            Column offset = ordinal.minus(lit(low));
            Column position = tieBits == Long.SIZE ? lit(0L) : shiftleft(offset, tieBits);
            return new Marked(source.withColumn(POSITION, position), new OrderedSplit(tieBits));
        }
        // Halves, so that a range from -1e308 to 1e308 stays finite.
        double low = range.getDouble(0) / 2;
        double span = range.getDouble(1) / 2 - low;
        if (span == 0) {
            return new Marked(source.withColumn(POSITION, lit(0L)), new OrderedSplit(Long.SIZE));
        }
        Column step = floor(ordinal.divide(2).minus(lit(low)).divide(lit(span)).multiply(lit((double)
                        ((1L << NUMBER_BITS) - 1))))
                .cast("long");
        return new Marked(
                source.withColumn(POSITION, shiftleft(step, Long.SIZE - NUMBER_BITS)),
                new OrderedSplit(Long.SIZE - NUMBER_BITS));
    }

    /** The split's rank value: the order position, ties ranked by the key hash, as a signed long in order. */
    Column hash(Column keyHash) {
        Column tie = tieBits == 0
                ? lit(0L)
                : tieBits == Long.SIZE ? keyHash : shiftrightunsigned(keyHash, Long.SIZE - tieBits);
        return col(POSITION).bitwiseOR(tie).bitwiseXOR(lit(Long.MIN_VALUE));
    }

    /** The source with its order position, and how to rank it. */
    public record Marked(Dataset<Row> frame, OrderedSplit split) {}
}

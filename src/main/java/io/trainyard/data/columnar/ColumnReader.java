package io.trainyard.data.columnar;

import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.vectorized.ColumnVector;

/**
 * How one source column type is read from a vectorised batch: its value as a double ({@code CAST(x AS DOUBLE)}), its
 * text ({@code CAST(x AS STRING)}, for class labels) and its contribution to a row hash, computed exactly as Spark's
 * {@code xxhash64} computes it (so a split made here equals the split made by a Spark expression).
 */
enum ColumnReader {
    DOUBLE {
        @Override
        double value(ColumnVector v, int row) {
            return v.getDouble(row);
        }

        @Override
        long hash(ColumnVector v, int row, long seed) {
            double d = v.getDouble(row);
            // Spark hashes -0.0 as 0.0 (and every NaN alike, through doubleToLongBits).
            return XXH64.hashLong(d == -0.0d ? 0L : Double.doubleToLongBits(d), seed);
        }
    },
    FLOAT {
        @Override
        double value(ColumnVector v, int row) {
            return v.getFloat(row);
        }

        @Override
        long hash(ColumnVector v, int row, long seed) {
            float f = v.getFloat(row);
            return XXH64.hashInt(f == -0.0f ? 0 : Float.floatToIntBits(f), seed);
        }
    },
    LONG {
        @Override
        double value(ColumnVector v, int row) {
            return v.getLong(row);
        }

        @Override
        long hash(ColumnVector v, int row, long seed) {
            return XXH64.hashLong(v.getLong(row), seed);
        }

        @Override
        String text(ColumnVector v, int row) {
            return Long.toString(v.getLong(row));
        }
    },
    INT {
        @Override
        double value(ColumnVector v, int row) {
            return v.getInt(row);
        }

        @Override
        long hash(ColumnVector v, int row, long seed) {
            return XXH64.hashInt(v.getInt(row), seed);
        }

        @Override
        String text(ColumnVector v, int row) {
            return Integer.toString(v.getInt(row));
        }
    },
    SHORT {
        @Override
        double value(ColumnVector v, int row) {
            return v.getShort(row);
        }

        @Override
        long hash(ColumnVector v, int row, long seed) {
            return XXH64.hashInt(v.getShort(row), seed);
        }

        @Override
        String text(ColumnVector v, int row) {
            return Short.toString(v.getShort(row));
        }
    },
    BYTE {
        @Override
        double value(ColumnVector v, int row) {
            return v.getByte(row);
        }

        @Override
        long hash(ColumnVector v, int row, long seed) {
            return XXH64.hashInt(v.getByte(row), seed);
        }

        @Override
        String text(ColumnVector v, int row) {
            return Byte.toString(v.getByte(row));
        }
    },
    BOOLEAN {
        @Override
        double value(ColumnVector v, int row) {
            return v.getBoolean(row) ? 1.0 : 0.0;
        }

        @Override
        long hash(ColumnVector v, int row, long seed) {
            return XXH64.hashInt(v.getBoolean(row) ? 1 : 0, seed);
        }

        @Override
        String text(ColumnVector v, int row) {
            return Boolean.toString(v.getBoolean(row));
        }
    },
    STRING {
        @Override
        double value(ColumnVector v, int row) {
            throw new UnsupportedOperationException("a string column has no numeric value");
        }

        @Override
        long hash(ColumnVector v, int row, long seed) {
            return XXH64.hashUTF8String(v.getUTF8String(row), seed);
        }

        @Override
        String text(ColumnVector v, int row) {
            return v.getUTF8String(row).toString();
        }
    };

    /** The non-null value at {@code row} as Spark casts it to double. */
    abstract double value(ColumnVector v, int row);

    /** Spark's xxhash64 step over the non-null value at {@code row}. */
    abstract long hash(ColumnVector v, int row, long seed);

    /** The non-null value at {@code row} as Spark casts it to a string; for the types a class label may have. */
    String text(ColumnVector v, int row) {
        throw new UnsupportedOperationException(name() + " is not read as a class label here");
    }

    /** Whether {@link #text} gives Spark's string cast of this type. */
    boolean hasText() {
        return this != DOUBLE && this != FLOAT;
    }

    /** The reader of a Spark type, or null when this path does not read it. */
    static ColumnReader of(DataType type) {
        if (type instanceof DoubleType) {
            return DOUBLE;
        } else if (type instanceof FloatType) {
            return FLOAT;
        } else if (type instanceof LongType) {
            return LONG;
        } else if (type instanceof IntegerType) {
            return INT;
        } else if (type instanceof ShortType) {
            return SHORT;
        } else if (type instanceof ByteType) {
            return BYTE;
        } else if (type instanceof BooleanType) {
            return BOOLEAN;
        } else if (type instanceof StringType) {
            return STRING;
        }
        return null;
    }
}

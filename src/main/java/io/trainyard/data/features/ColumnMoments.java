package io.trainyard.data.features;

/**
 * What the train split says about one scalar input before imputation: rows, non-null values, and the mean,
 * population variance, minimum and maximum of the non-null values.
 */
public record ColumnMoments(String name, long rows, long nonNull, double mean, double varPop, double min, double max) {

    /**
     * The variance after nulls are filled with the mean: the filled rows add no spread but count in the total.
     */
    public double varianceAfterMeanImputation() {
        return rows == 0 ? 0 : varPop * nonNull / rows;
    }
}

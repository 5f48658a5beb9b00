package io.trainyard.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * Classification metrics computed from a confusion matrix (rows: actual class, columns: predicted), as the
 * textbook and scikit-learn define them, not as DL4J averages them: DL4J's macro-F1 leaves classes that were never
 * predicted out of the mean, and with one sigmoid output its F1 is the positive class's. Here macro-F1 is the mean
 * over every class of the label, and a precision, recall or F1 with nothing to divide by is 0.
 */
public final class ConfusionMetrics {
    private ConfusionMetrics() {}

    /** Per-class precision, recall, F1 and support, in class order. */
    public static List<ClassMetrics> perClass(long[][] confusion, List<String> classes) {
        int k = classes.size();
        List<ClassMetrics> out = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            long truePositives = confusion[c][c];
            long actual = 0;
            long predicted = 0;
            for (int other = 0; other < k; other++) {
                actual += confusion[c][other];
                predicted += confusion[other][c];
            }
            double precision = ratio(truePositives, predicted);
            double recall = ratio(truePositives, actual);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new ClassMetrics(classes.get(c), precision, recall, f1, actual));
        }
        return out;
    }

    /** The unweighted mean of every class's F1, classes never predicted (F1 0) included. */
    public static double macroF1(List<ClassMetrics> perClass) {
        return perClass.stream().mapToDouble(ClassMetrics::f1).average().orElse(0);
    }

    /** The share of rows on the diagonal. */
    public static double accuracy(long[][] confusion) {
        long right = 0;
        long total = 0;
        for (int a = 0; a < confusion.length; a++) {
            for (int p = 0; p < confusion[a].length; p++) {
                total += confusion[a][p];
                right += a == p ? confusion[a][p] : 0;
            }
        }
        return ratio(right, total);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}

package io.trainyard.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The {@code shapes} generator's published optimum, measured again: a classifier that knows how the images are drawn
 * (every placement, length and size of each shape, the brightness range and the noise) picks, for each image, the
 * class of the shape that fits it best by least squares, the maximum-likelihood choice under Gaussian noise.
 */
class ShapesGeneratorTest {
    private static final int SIZE = ShapesGenerator.SIZE;

    /** Every shape the generator can draw, as pixel indices, by class. */
    static List<List<int[]>> templates() {
        List<List<int[]>> byClass = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            byClass.add(new ArrayList<>());
        }
        for (int length = 5; length <= 9; length++) {
            for (int a = 0; a < SIZE; a++) {
                for (int b = 0; b + length <= SIZE; b++) {
                    byClass.get(0).add(line(a, b, 0, 1, length));
                    byClass.get(1).add(line(b, a, 1, 0, length));
                }
            }
            for (int y = 0; y + length <= SIZE; y++) {
                for (int x = 0; x + length <= SIZE; x++) {
                    byClass.get(2).add(line(y, x, 1, 1, length));
                }
            }
        }
        for (int side = 4; side <= 7; side++) {
            for (int top = 0; top + side <= SIZE; top++) {
                for (int left = 0; left + side <= SIZE; left++) {
                    java.util.TreeSet<Integer> outline = new java.util.TreeSet<>();
                    for (int[] edge : List.of(
                            line(top, left, 0, 1, side),
                            line(top + side - 1, left, 0, 1, side),
                            line(top, left, 1, 0, side),
                            line(top, left + side - 1, 1, 0, side))) {
                        for (int p : edge) {
                            outline.add(p);
                        }
                    }
                    byClass.get(3)
                            .add(outline.stream().mapToInt(Integer::intValue).toArray());
                }
            }
        }
        return byClass;
    }

    private static int[] line(int y, int x, int dy, int dx, int length) {
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = (y + i * dy) * SIZE + x + i * dx;
        }
        return out;
    }

    /** The class whose best-fitting shape explains the most of the image (brightness fitted within 0.7-1.3). */
    static int classify(float[] pixels, List<List<int[]>> templates) {
        int best = -1;
        double bestGain = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < templates.size(); k++) {
            for (int[] t : templates.get(k)) {
                double sum = 0;
                for (int p : t) {
                    sum += pixels[p];
                }
                double b = Math.max(0.7, Math.min(1.3, sum / t.length));
                double gain = 2 * b * sum - b * b * t.length;
                if (gain > bestGain) {
                    bestGain = gain;
                    best = k;
                }
            }
        }
        return best;
    }

    static double oracleAccuracy(int rows, long seed) {
        ShapesGenerator generator = new ShapesGenerator();
        List<List<int[]>> templates = templates();
        List<String> classes = List.of(ShapesGenerator.CLASSES);
        int right = 0;
        for (long id = 0; id < rows; id++) {
            Row row = generator.row(id, new SplittableRandom(seed * 1_000_003L + id));
            Float[] drawn = (Float[]) row.get(1);
            float[] pixels = new float[drawn.length];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = drawn[i];
            }
            right += classes.get(classify(pixels, templates)).equals(row.getString(2)) ? 1 : 0;
        }
        return right / (double) rows;
    }

    @Test
    void thePublishedOptimumIsWhatTheMaximumLikelihoodClassifierScores() {
        double published = ((Number) new ShapesGenerator().optimum().get("oracle_accuracy")).doubleValue();
        int rows = 4_000;
        double measured = oracleAccuracy(rows, 11);
        // Four binomial standard deviations at this many rows.
        double tolerance = 4 * Math.sqrt(published * (1 - published) / rows) + 1e-3;
        assertEquals(published, measured, tolerance);
    }
}

package io.trainyard.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Small grey images ({@value #SIZE}x{@value #SIZE}, one channel, as an {@code array<float>} column in row-major
 * order): one stroke shape per image (a horizontal bar, a vertical bar, a diagonal or a square outline) of random
 * length, brightness and position, over Gaussian pixel noise. The class is what the shape is, wherever it lies: a
 * convolution's shared, translation-invariant filters see it at once, while an MLP must learn every position apart.
 * The strokes stand well above the noise, so a good model is nearly always right.
 */
public final class ShapesGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    public static final int SIZE = 16;
    static final String[] CLASSES = {"horizontal", "vertical", "diagonal", "square"};
    private static final double NOISE_SD = 0.35;

    @Override
    public String name() {
        return "shapes";
    }

    @Override
    public String description() {
        return SIZE + "x" + SIZE + " grey images of four stroke shapes at random positions over noise sd " + NOISE_SD
                + "; the class is the shape";
    }

    @Override
    public StructType schema() {
        return new StructType()
                .add("image_id", DataTypes.LongType, false)
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("shape", DataTypes.StringType, false);
    }

    @Override
    public Row row(long id, SplittableRandom r) {
        int kind = r.nextInt(CLASSES.length);
        float[][] image = new float[SIZE][SIZE];
        double brightness = 0.7 + 0.6 * r.nextDouble();
        int length = 5 + r.nextInt(5);
        switch (kind) {
            case 0 -> line(image, r.nextInt(SIZE), r.nextInt(SIZE - length + 1), 0, 1, length, brightness);
            case 1 -> line(image, r.nextInt(SIZE - length + 1), r.nextInt(SIZE), 1, 0, length, brightness);
            case 2 -> line(image, r.nextInt(SIZE - length + 1), r.nextInt(SIZE - length + 1), 1, 1, length, brightness);
            default -> {
                int side = 4 + r.nextInt(4);
                int top = r.nextInt(SIZE - side + 1);
                int left = r.nextInt(SIZE - side + 1);
                line(image, top, left, 0, 1, side, brightness);
                line(image, top + side - 1, left, 0, 1, side, brightness);
                line(image, top, left, 1, 0, side, brightness);
                line(image, top, left + side - 1, 1, 0, side, brightness);
            }
        }
        Float[] pixels = new Float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                pixels[y * SIZE + x] = (float) (image[y][x] + NOISE_SD * Gaussian.next(r));
            }
        }
        return RowFactory.create(id, pixels, CLASSES[kind]);
    }

    private static void line(float[][] image, int y, int x, int dy, int dx, int length, double brightness) {
        for (int i = 0; i < length; i++) {
            image[y + i * dy][x + i * dx] = (float) brightness;
        }
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "classification");
        out.put("label", "shape");
        out.put("id", "image_id");
        out.put("shape", List.of(1, SIZE, SIZE));
        out.put("classes", List.of(CLASSES));
        // Measured by ShapesGeneratorTest's maximum-likelihood classifier, which knows every shape the generator can
        // draw (least-squares fit over all placements, lengths and sizes), on 20,000 images: what a model can reach.
        out.put("oracle_accuracy", 0.9975);
        out.put(
                "note",
                "strokes of 5 to 9 pixels at brightness 0.7-1.3 over noise sd " + NOISE_SD
                        + ": nearly separable; the maximum-likelihood template classifier scores 0.9975");
        return out;
    }
}

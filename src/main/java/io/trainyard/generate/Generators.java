package io.trainyard.generate;

import io.trainyard.run.UserInputException;
import java.util.List;

/** The datasets {@code trainyard generate} knows, by name. */
public final class Generators {
    private static final List<DatasetGenerator> ALL = List.of(
            new ClassificationGenerator(),
            new RegressionGenerator(),
            RegressionGenerator.prices(),
            new ShapesGenerator(),
            new WideGenerator(),
            new SeasonalGenerator(),
            new TrendGenerator(),
            new ClimbGenerator(),
            new ImbalancedGenerator(),
            new ManifoldGenerator(),
            new MixtureGenerator(),
            new TabularGenerator(),
            new TextsGenerator());

    private Generators() {}

    public static List<DatasetGenerator> all() {
        return ALL;
    }

    public static DatasetGenerator byName(String name) {
        return ALL.stream()
                .filter(g -> g.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new UserInputException("unknown dataset '" + name + "'; known: "
                        + String.join(
                                ", ", ALL.stream().map(DatasetGenerator::name).toList())));
    }
}

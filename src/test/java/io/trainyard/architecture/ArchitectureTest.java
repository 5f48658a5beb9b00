package io.trainyard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md, enforced on the compiled classes: each package may use only the packages
 * listed for it (and the libraries), so arrows point one way and no cycle can form. A new package must be added here,
 * with what it may use, or the test fails. The plain-Java packages never touch Spark.
 */
class ArchitectureTest {
    private static final String BASE = "io.trainyard.";
    /**
     * Each package and the Trainyard packages it may depend on. Listed roughly top first, but the map, not the order,
     * is the rule: {@code cli} uses {@code api} and {@code api} uses {@code job}, while {@code artifact} (the model
     * directory) sits above {@code export} (the ONNX graph it writes).
     */
    static final Map<String, List<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put(
                "cli",
                List.of(
                        "api",
                        "job",
                        "bench",
                        "generate",
                        "trials",
                        "train",
                        "data",
                        "model",
                        "sweep",
                        "report",
                        "spec",
                        "run",
                        "artifact",
                        "evaluate"));
        MAY_USE.put(
                "job",
                List.of(
                        "trials",
                        "family",
                        "gan",
                        "train",
                        "train.averaging",
                        "artifact",
                        "export",
                        "evaluate",
                        "report",
                        "sweep",
                        "model",
                        "data",
                        "spec",
                        "run"));
        MAY_USE.put("api", List.of("job", "family", "artifact", "evaluate", "sweep", "data", "spec", "run"));
        MAY_USE.put(
                "bench", List.of("train", "train.averaging", "train.step", "evaluate", "model", "data", "spec", "run"));
        MAY_USE.put("trials", List.of("family", "artifact", "train", "sweep", "data", "spec", "run"));
        MAY_USE.put(
                "family",
                List.of(
                        "gan",
                        "train",
                        "train.averaging",
                        "artifact",
                        "evaluate",
                        "report",
                        "sweep",
                        "model",
                        "data",
                        "spec",
                        "run"));
        MAY_USE.put(
                "gan", List.of("train", "train.averaging", "train.step", "evaluate", "model", "data", "spec", "run"));
        MAY_USE.put("train", List.of("train.averaging", "evaluate", "model", "data", "spec", "run"));
        MAY_USE.put("train.averaging", List.of("train.step", "spec", "run"));
        MAY_USE.put("train.step", List.of("spec", "run"));
        MAY_USE.put("export", List.of("model", "data.features", "spec", "run"));
        MAY_USE.put("artifact", List.of("export", "evaluate", "model", "data", "spec", "run"));
        MAY_USE.put("evaluate", List.of("train.step", "model", "data", "spec", "run"));
        MAY_USE.put("report", List.of("evaluate", "sweep", "spec", "run"));
        MAY_USE.put("sweep", List.of("spec", "run"));
        MAY_USE.put("generate", List.of("spec", "run"));
        MAY_USE.put("model", List.of("data", "spec", "run"));
        MAY_USE.put("data", List.of("data.columnar", "data.features", "data.split", "data.source", "spec", "run"));
        MAY_USE.put("data.columnar", List.of("data.features", "data.split", "data.source", "spec", "run"));
        MAY_USE.put("data.features", List.of("data.split", "data.source", "spec", "run"));
        MAY_USE.put("data.split", List.of("data.source", "spec", "run"));
        MAY_USE.put("data.source", List.of("spec", "run"));
        MAY_USE.put("spec", List.of("spec.train", "spec.model", "spec.data", "spec.check", "run"));
        MAY_USE.put("spec.train", List.of("spec.model", "spec.data", "spec.check", "run"));
        MAY_USE.put("spec.model", List.of("spec.check", "run"));
        MAY_USE.put("spec.data", List.of("spec.check", "run"));
        MAY_USE.put("spec.check", List.of("run"));
        MAY_USE.put("run", List.of());
    }

    static JavaClasses classes;

    /** Layers whose subpackages are one role seen from above: a package allowed the layer may use all of it. */
    private static final Map<String, List<String>> LAYERS = Map.of(
            "data", List.of("data.columnar", "data.features", "data.split", "data.source"),
            "spec", List.of("spec.train", "spec.model", "spec.data", "spec.check"));

    private static List<String> expanded(List<String> mayUse) {
        List<String> out = new ArrayList<>(mayUse);
        for (String layer : mayUse) {
            out.addAll(LAYERS.getOrDefault(layer, List.of()));
        }
        return out;
    }

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.trainyard");
    }

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() {
        for (Map.Entry<String, List<String>> e : MAY_USE.entrySet()) {
            List<String> forbidden = new ArrayList<>();
            for (String other : MAY_USE.keySet()) {
                if (!other.equals(e.getKey()) && !expanded(e.getValue()).contains(other)) {
                    forbidden.add(BASE + other);
                }
            }
            noClasses()
                    .that()
                    .resideInAPackage(BASE + e.getKey())
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(forbidden.toArray(String[]::new))
                    .because(e.getKey() + " may use only " + e.getValue() + " (docs/architecture.md)")
                    .check(classes);
        }
    }

    /** Packages of plain Java: unit-testable without a Spark session, and usable where no Spark runs (export). */
    static final List<String> WITHOUT_SPARK = List.of("sweep", "report", "spec", "model", "export", "artifact");

    @Test
    void thePlainJavaPackagesNeverTouchSpark() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        WITHOUT_SPARK.stream().map(p -> BASE + p + "..").toArray(String[]::new))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.spark..", "scala..")
                .because("search, reports, specs, network building and the model directory are plain Java "
                        + "(docs/architecture.md)")
                .check(classes);
    }

    @Test
    void everyPackageIsOnTheMap() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        MAY_USE.keySet().stream().map(p -> BASE + p).toArray(String[]::new))
                .should()
                .resideInAPackage("io.trainyard..")
                .because("every package needs a row in the map of what it may use")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.trainyard.(**)").should().beFreeOfCycles().check(classes);
    }
}

package io.trainyard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked here of the deployment templates that cannot run here (Kubernetes, YARN, Airflow, Docker):
 * every file, class and jar they name exists, scripts and YAML parse, the DAG compiles. An IT: the shaded jar they
 * name is built by {@code package}, before integration tests.
 */
class DeployTemplatesIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** Where deploy/Dockerfile puts the checkout's files in the image. */
    private static final String IMAGE_HOME = "/opt/trainyard/";
    /** What {@code mvn package} puts under target/. */
    private static final List<String> BUILT =
            List.of("target/trainyard-all.jar", "target/trainyard.jar", "target/classpath.txt");

    private static final Pattern PATH =
            Pattern.compile("(?<![\\w.$-])((?:/opt/trainyard/|target/|deploy/|conf/|jobs/)" + "[\\w./-]*\\w)");
    private static final Pattern CLASS = Pattern.compile(
            "\\b((?:io\\.trainyard|org\\.apache\\.spark|org\\.nd4j|org\\.deeplearning4j)(?:\\.[a-z]\\w*)+\\.[A-Z]\\w*)");

    private static List<Path> templates() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("SECURITY.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).forEach(files::add);
        }
        try (Stream<Path> deploy = Files.walk(ROOT.resolve("deploy"));
                Stream<Path> conf = Files.list(ROOT.resolve("conf/spark"))) {
            deploy.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().contains("__pycache__"))
                    .forEach(files::add);
            conf.forEach(files::add);
        }
        return files;
    }

    @Test
    void everyFileTheTemplatesNameExists() throws IOException {
        List<String> missing = new ArrayList<>();
        TreeSet<String> checked = new TreeSet<>();
        for (Path file : templates()) {
            Matcher m = PATH.matcher(Files.readString(file));
            while (m.find()) {
                String named = m.group(1);
                String inCheckout = named.startsWith(IMAGE_HOME) ? named.substring(IMAGE_HOME.length()) : named;
                if (inCheckout.equals("trainyard-all.jar")) {
                    inCheckout = "target/trainyard-all.jar";
                }
                // Under target/, only what the build makes must exist; the rest is what scripts create as they run.
                if (inCheckout.startsWith("target/") && !BUILT.contains(inCheckout)) {
                    continue;
                }
                checked.add(inCheckout);
                if (!Files.exists(ROOT.resolve(inCheckout))) {
                    missing.add(ROOT.relativize(file) + " names " + named);
                }
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(
                checked.containsAll(List.of(
                        "target/trainyard-all.jar",
                        "conf/spark/k8s.properties",
                        "conf/spark/yarn.properties",
                        "jobs/quickstart.conf",
                        "deploy/submit.sh")),
                checked.toString());
    }

    @Test
    void everyClassTheTemplatesNameIsOnTheClasspath() throws IOException {
        List<String> missing = new ArrayList<>();
        TreeSet<String> checked = new TreeSet<>();
        for (Path file : templates()) {
            Matcher m = CLASS.matcher(Files.readString(file));
            while (m.find()) {
                checked.add(m.group(1));
                try {
                    Class.forName(m.group(1), false, getClass().getClassLoader());
                } catch (ClassNotFoundException e) {
                    missing.add(ROOT.relativize(file) + " names " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(
                checked.containsAll(List.of(
                        "io.trainyard.cli.Main",
                        "org.nd4j.kryo.Nd4jRegistrator",
                        "org.apache.spark.deploy.SparkSubmit",
                        "org.apache.spark.deploy.worker.Worker")),
                checked.toString());
    }

    @Test
    void theKubernetesTemplatesParseAndTheApplicationRunsTrainyard() throws IOException {
        Map<String, Object> app = new Yaml().load(Files.readString(ROOT.resolve("deploy/k8s/sparkapplication.yaml")));
        assertEquals("SparkApplication", app.get("kind"));
        Map<?, ?> spec = (Map<?, ?>) app.get("spec");
        assertEquals("io.trainyard.cli.Main", spec.get("mainClass"));
        assertEquals("local:///opt/trainyard/trainyard-all.jar", spec.get("mainApplicationFile"));
        assertEquals("3.5.7", spec.get("sparkVersion"));
        Map<?, ?> conf = (Map<?, ?>) spec.get("sparkConf");
        assertEquals("org.nd4j.kryo.Nd4jRegistrator", conf.get("spark.kryo.registrator"));
        Map<String, Object> storage = new Yaml().load(Files.readString(ROOT.resolve("deploy/k8s/storage.yaml")));
        assertEquals(
                ((Map<?, ?>) ((List<?>) spec.get("volumes")).get(0)).get("persistentVolumeClaim"),
                Map.of("claimName", ((Map<?, ?>) storage.get("metadata")).get("name")));
    }

    @Test
    void theDockerfileBuildsOnTheOfficialSparkImageFromFilesOfTheCheckout() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("deploy/Dockerfile"));
        assertTrue(lines.contains("FROM apache/spark:3.5.7-scala2.12-java17-ubuntu"), lines.toString());
        for (String line : lines) {
            if (line.startsWith("COPY ")) {
                String[] words = line.split("\\s+");
                String source = words[words.length - 2];
                assertTrue(Files.exists(ROOT.resolve(source)), line);
            }
        }
    }

    @Test
    void scriptsParseAndTheDagCompiles() throws Exception {
        List<String> shells = new ArrayList<>();
        try (Stream<Path> deploy = Files.walk(ROOT.resolve("deploy"))) {
            deploy.filter(f -> f.toString().endsWith(".sh") || f.endsWith("spark-class") || f.endsWith("spark-submit"))
                    .forEach(f -> shells.add(f.toString()));
        }
        shells.add(ROOT.resolve("trainyard").toString());
        for (String script : shells) {
            assertEquals(0, exec("bash", "-n", script), script);
            assertTrue(Files.isExecutable(Path.of(script)), script + " is not executable");
        }
        Path dag = ROOT.resolve("deploy/airflow/trainyard_sweep.py");
        // Compiles without Airflow installed and without writing __pycache__ into the checkout.
        assertEquals(
                0,
                exec(
                        "python3",
                        "-c",
                        "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')",
                        dag.toString()),
                dag.toString());
    }

    private static int exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        return p.exitValue();
    }
}

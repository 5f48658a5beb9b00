package io.trainyard.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class PreflightTest {
    /** Each property file of conf/spark/ with a master of its kind. */
    private static final Map<String, String> SHIPPED = Map.of(
            "local",
            "local[2]",
            "standalone",
            "spark://127.0.0.1:7077",
            "yarn",
            "yarn",
            "k8s",
            "k8s://https://kubernetes.default.svc:443");

    private static SparkConf conf(String master, String... settings) {
        SparkConf conf = SparkSessions.withRequiredSettings(new SparkConf(false).set("spark.master", master), "test");
        for (int i = 0; i < settings.length; i += 2) {
            conf.set(settings[i], settings[i + 1]);
        }
        return conf;
    }

    @Test
    void everyShippedPropertyFilePassesForItsKindOfMaster() throws IOException {
        for (Map.Entry<String, String> target : SHIPPED.entrySet()) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of("conf/spark", target.getKey() + ".properties"))) {
                properties.load(in);
            }
            SparkConf conf = conf(target.getValue());
            properties.forEach((k, v) -> conf.set((String) k, (String) v));
            assertEquals(List.of(), Preflight.problems(conf), target.getKey());
        }
    }

    @Test
    void kryoWithoutTheNd4jRegistratorIsRefusedWithTheSettingThatWouldWork() {
        List<String> problems = Preflight.problems(conf("local[2]", "spark.kryo.registrator", "com.example.Mine"));
        assertEquals(1, problems.size());
        assertTrue(
                problems.get(0).contains("set spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator,com.example.Mine"),
                problems.get(0));
        assertEquals(
                List.of(),
                Preflight.problems(
                        conf("local[2]", "spark.kryo.registrator", "com.example.Mine, org.nd4j.kryo.Nd4jRegistrator")));
        assertEquals(
                List.of(),
                Preflight.problems(conf(
                        "local[2]",
                        "spark.serializer",
                        "org.apache.spark.serializer.JavaSerializer",
                        "spark.kryo.registrator",
                        "com.example.Mine")));
        assertTrue(Preflight.problems(conf("local[2]", "spark.kryo.registrationRequired", "true"))
                .get(0)
                .contains("set spark.kryo.registrationRequired=false"));
    }

    @Test
    void containerOverheadBelowTheOffHeapLimitIsRefusedOnYarnAndKubernetes() {
        for (String master : List.of("yarn", "k8s://https://k:443")) {
            List<String> problems = Preflight.problems(conf(
                    master,
                    "spark.executor.memory",
                    "4g",
                    "spark.executor.memoryOverhead",
                    "1g",
                    "spark.executor.extraJavaOptions",
                    "-Dorg.bytedeco.javacpp.maxbytes=4G"));
            assertEquals(1, problems.size(), master);
            assertTrue(
                    problems.get(0)
                            .startsWith("spark.executor.memoryOverhead (1024 MiB) is below the executors' "
                                    + "off-heap limit org.bytedeco.javacpp.maxbytes=4G (4096 MiB)"),
                    problems.get(0));
            assertTrue(
                    problems.get(0).contains("set spark.executor.memoryOverhead to at least 4096m"), problems.get(0));
        }
        // Without a limit, JavaCPP allows as much as the heap, and the default overhead is a tenth of it.
        String unlimited =
                Preflight.problems(conf("yarn", "spark.executor.memory", "8g")).get(0);
        assertTrue(
                unlimited.contains("spark.executor.memoryOverhead (819 MiB)")
                        && unlimited.contains("no org.bytedeco.javacpp.maxbytes set, so the heap size) (8192 MiB)"),
                unlimited);
        // A standalone worker and local mode do not kill a process for outgrowing heap + overhead.
        assertEquals(List.of(), Preflight.problems(conf("spark://h:7077", "spark.executor.memory", "8g")));
    }

    @Test
    void aPhysicalLimitAboveTheContainerIsRefused() {
        List<String> problems = Preflight.problems(conf(
                "yarn",
                "spark.executor.memory",
                "2g",
                "spark.executor.memoryOverhead",
                "3g",
                "spark.executor.defaultJavaOptions",
                "-Dorg.bytedeco.javacpp.maxbytes=2G",
                "spark.executor.extraJavaOptions",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=6G"));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("to at most 5120M"), problems.get(0));
    }

    @Test
    void javaOptionsAreReadAsTheJvmReadsThem() {
        assertEquals(
                Optional.of("3G"),
                Preflight.systemProperty(
                        "-Dorg.bytedeco.javacpp.maxbytes=2G -Xss4m -Dorg.bytedeco.javacpp.maxbytes=3G",
                        Preflight.MAX_BYTES));
        assertEquals(
                Optional.empty(), Preflight.systemProperty("-Dxorg.bytedeco.javacpp.maxbytes=2G", Preflight.MAX_BYTES));
        assertEquals(4096, Preflight.javacppMb("4G", 1024));
        assertEquals(4096, Preflight.javacppMb("4096m", 1024));
        assertEquals(2048, Preflight.javacppMb("2147483648", 1024));
        assertEquals(1024, Preflight.javacppMb("50%", 2048));
    }
}

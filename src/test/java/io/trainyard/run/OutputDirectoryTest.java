package io.trainyard.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trainyard.run.OutputDirectory.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
    @TempDir
    Path dir;

    private String refusal(Path out, Kind kind, Map<String, String> inputs) {
        return assertThrows(UserInputException.class, () -> OutputDirectory.requireWritable(out, kind, "--out", inputs))
                .getMessage();
    }

    @Test
    void anOutputOverlappingAnInputIsRefused() throws Exception {
        Path input = Files.createDirectories(dir.resolve("data"));
        Map<String, String> inputs = Map.of("--input", input.toString());
        assertEquals(
                "--out " + input + " is the --input " + input
                        + "; write the output somewhere apart from what the command reads",
                refusal(input, Kind.PREDICTIONS, inputs));
        assertEquals(
                "--out " + input.resolve("p") + " lies inside the --input " + input
                        + "; write the output somewhere apart from what the command reads",
                refusal(input.resolve("p"), Kind.PREDICTIONS, inputs));
        assertEquals(
                "--out " + dir + " contains the --input " + input
                        + "; write the output somewhere apart from what the command reads",
                refusal(dir, Kind.PREDICTIONS, inputs));
    }

    @Test
    void overlapsAreFoundThroughGlobsFileUrlsRelativePathsAndLinks() throws Exception {
        Path input = Files.createDirectories(dir.resolve("data/day=1"));
        Path link = Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("data"));
        refusal(input, Kind.RUN, Map.of("data.path", dir + "/data/day=*"));
        refusal(input, Kind.RUN, Map.of("data.path", "file://" + dir + "/data"));
        refusal(
                link.resolve("out"),
                Kind.RUN,
                Map.of("data.path", dir.resolve("data").toString()));
        Path relative = Path.of("").toAbsolutePath().relativize(input);
        refusal(relative, Kind.RUN, Map.of("data.path", input.toString()));
    }

    @Test
    void inputsOnOtherFileSystemsAreNotCompared() {
        assertEquals(Optional.empty(), OutputDirectory.localPath("s3a://bucket/data"));
        assertEquals(Optional.of(Path.of("/data")), OutputDirectory.localPath("/data/*/x.parquet"));
        OutputDirectory.requireWritable(dir.resolve("out"), Kind.RUN, "--out", Map.of("data.path", "hdfs:///data"));
    }

    @Test
    void onlyAbsentEmptyOrSameKindDirectoriesAreWritable() throws Exception {
        OutputDirectory.requireWritable(dir.resolve("absent"), Kind.PREDICTIONS, "--out", Map.of());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        OutputDirectory.requireWritable(empty, Kind.PREDICTIONS, "--out", Map.of());
        OutputDirectory.mark(empty, Kind.PREDICTIONS);
        Files.writeString(empty.resolve("part-0.parquet"), "x");
        OutputDirectory.requireWritable(empty, Kind.PREDICTIONS, "--out", Map.of());
        assertEquals(
                "--out " + empty + " is not empty and holds Trainyard predictions, not run; Trainyard replaces "
                        + "only its own outputs: choose another directory, or empty this one",
                refusal(empty, Kind.RUN, Map.of()));
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertEquals(
                "--out " + file + " exists and is not a directory; choose another path",
                refusal(file, Kind.RUN, Map.of()));
    }

    @Test
    void fileUrlsInAnyCaseAndWithLocalhostAreCompared() throws Exception {
        Path input = Files.createDirectories(dir.resolve("data"));
        for (String url : new String[] {"FILE://" + input, "file://localhost" + input, "File:" + input}) {
            assertEquals(
                    "--out " + input.resolve("run") + " lies inside the data.path " + url
                            + "; write the output somewhere apart from what the command reads",
                    refusal(input.resolve("run"), Kind.RUN, Map.of("data.path", url)));
        }
        assertEquals(Optional.of(input), OutputDirectory.localPath("file://localhost" + input));
    }

    @Test
    void aForgedRunJsonDoesNotMakeAForeignFolderARun() throws Exception {
        // Before the marker, a run.json naming a Trainyard version was taken for an earlier run (and replaced).
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("run.json"), "{\"trainyard_version\": \"0.1\"}");
        Files.writeString(foreign.resolve("notes.txt"), "precious");
        assertEquals(
                "--out " + foreign + " is not empty and was not written by Trainyard (it has no "
                        + OutputDirectory.MARKER
                        + " file); Trainyard replaces only its own outputs: choose another directory, or empty this one",
                refusal(foreign, Kind.RUN, Map.of()));
    }

    @Test
    void noOutputIsWrittenInsideADataset() throws Exception {
        Path spark = Files.createDirectories(dir.resolve("spark-data"));
        Files.writeString(spark.resolve("_SUCCESS"), "");
        Path pyarrow = Files.createDirectories(dir.resolve("pyarrow-data"));
        Files.writeString(pyarrow.resolve("table.parquet"), "x");
        Path generated = Files.createDirectories(dir.resolve("generated"));
        OutputDirectory.mark(generated, Kind.DATASET);
        for (Path dataset : new Path[] {spark, pyarrow, generated}) {
            for (Kind kind : Kind.values()) {
                assertEquals(
                        "--out " + dataset.resolve("sub/deeper") + " lies inside the dataset " + dataset + " (it holds "
                                + "Parquet data); an output there would become part of what Spark reads from it: "
                                + "choose a path outside it",
                        refusal(dataset.resolve("sub/deeper"), kind, Map.of()));
            }
        }
        // A run directory ends with a _SUCCESS too, but outputs may go inside it.
        Path run = Files.createDirectories(dir.resolve("run"));
        OutputDirectory.mark(run, Kind.RUN);
        Files.writeString(run.resolve("_SUCCESS"), "");
        OutputDirectory.requireWritable(run.resolve("predictions"), Kind.PREDICTIONS, "--out", Map.of());
    }
}

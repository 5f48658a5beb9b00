package io.trainyard.api;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * A {@link TrainyardModel} saved as a Spark ML stage (alone, or inside a saved {@code PipelineModel}): Spark ML's
 * metadata file, and the model directory's files copied under {@code model/}. The path may be on any Hadoop file
 * system; reading one that is not local copies {@code model/} to a temporary directory first, since a model is read
 * (and its checksums and signature checked) from local files.
 */
final class SavedStage {
    static final String MODEL = "model";

    private SavedStage() {}

    static final class Writer extends MLWriter {
        private final TrainyardModel model;

        Writer(TrainyardModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(
                    model,
                    path,
                    sc(),
                    DefaultParamsWriter$.MODULE$.saveMetadata$default$4(),
                    DefaultParamsWriter$.MODULE$.saveMetadata$default$5());
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path, MODEL);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(model.directory())) {
                FileSystem fs = target.getFileSystem(sc().hadoopConfiguration());
                fs.mkdirs(target);
                for (Path file : files) {
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        fs.copyFromLocalFile(
                                false,
                                true,
                                new org.apache.hadoop.fs.Path(file.toUri()),
                                new org.apache.hadoop.fs.Path(
                                        target, file.getFileName().toString()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("saving the model to " + target + ": " + e.getMessage(), e);
            }
        }
    }

    static final class Reader extends MLReader<TrainyardModel> {
        @Override
        public TrainyardModel load(String path) {
            DefaultParamsReader.Metadata metadata =
                    DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), TrainyardModel.class.getName());
            org.apache.hadoop.fs.Path saved = new org.apache.hadoop.fs.Path(path, MODEL);
            try {
                FileSystem fs = saved.getFileSystem(sc().hadoopConfiguration());
                Path local = "file".equals(fs.getUri().getScheme())
                        ? Path.of(fs.makeQualified(saved).toUri())
                        : localCopy(fs, saved);
                return TrainyardModel.restore(metadata.uid(), local);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the model at " + saved + ": " + e.getMessage(), e);
            }
        }

        /** The saved model's files in a temporary directory of this JVM's, removed when it exits. */
        private static Path localCopy(FileSystem fs, org.apache.hadoop.fs.Path saved) throws IOException {
            Path local = Files.createTempDirectory("trainyard-model-");
            local.toFile().deleteOnExit();
            for (FileStatus status : fs.listStatus(saved)) {
                if (status.isFile()) {
                    File file = local.resolve(status.getPath().getName()).toFile();
                    fs.copyToLocalFile(false, status.getPath(), new org.apache.hadoop.fs.Path(file.toURI()), true);
                    file.deleteOnExit();
                }
            }
            return local;
        }
    }
}

package io.trainyard.data.source;

import io.trainyard.run.Preflight;
import io.trainyard.run.Sha256;
import io.trainyard.run.SparkSessions;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Opens Parquet data (a file, a directory, a partitioned directory or a glob) and checks it before any work: the
 * path exists, it holds Parquet files, none is empty or corrupt, and all agree on their schema. Reads only footers.
 */
public final class ParquetSource {
    private ParquetSource() {}

    public static SourceData open(SparkSession spark, String pathSpec) {
        SparkSessions.withoutSubstitution(spark);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<FileStatus> files = listDataFiles(pathSpec, conf);
        long rows = checkFooters(files, conf);
        URI first = files.get(0).getPath().toUri();
        if ("file".equals(first.getScheme())) {
            Preflight.requireReadableByExecutors(
                    JavaSparkContext.fromSparkContext(spark.sparkContext()),
                    java.nio.file.Path.of(first),
                    "data.path file");
        }
        Dataset<Row> frame;
        try {
            frame = spark.read().parquet(pathSpec);
        } catch (Exception e) {
            throw new DataException("data.path: Spark cannot read " + pathSpec + ": " + firstLine(e), e);
        }
        long bytes = files.stream().mapToLong(FileStatus::getLen).sum();
        List<String> names = files.stream().map(f -> f.getPath().toString()).toList();
        return new SourceData(pathSpec, frame, names, bytes, fingerprint(files), rows);
    }

    static List<FileStatus> listDataFiles(String pathSpec, Configuration conf) {
        Path path = new Path(pathSpec);
        List<FileStatus> out = new ArrayList<>();
        try {
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] roots;
            if (isGlob(pathSpec)) {
                roots = fs.globStatus(path);
                if (roots == null || roots.length == 0) {
                    throw new DataException("data.path: no files match " + pathSpec);
                }
            } else {
                if (!fs.exists(path)) {
                    throw new DataException("data.path: " + pathSpec + " does not exist");
                }
                roots = new FileStatus[] {fs.getFileStatus(path)};
            }
            for (FileStatus root : roots) {
                collect(fs, root, out, true);
            }
        } catch (IOException e) {
            throw new DataException("data.path: cannot list " + pathSpec + ": " + firstLine(e), e);
        } catch (RuntimeException e) {
            // Hadoop reports a file system whose classes are not on the classpath (s3a without hadoop-aws) this way.
            if (e.getCause() instanceof ClassNotFoundException) {
                throw new DataException(
                        "data.path: no file system for " + pathSpec + " on the classpath ("
                                + e.getCause().getMessage() + "); add its Hadoop connector to the Spark classpath",
                        e);
            }
            throw e;
        }
        if (out.isEmpty()) {
            throw new DataException("data.path: no Parquet files under " + pathSpec);
        }
        out.sort(Comparator.comparing(f -> f.getPath().toString()));
        return out;
    }

    /** Like Spark, skips names starting with '_' or '.' (_SUCCESS, .crc files, _temporary). */
    private static void collect(FileSystem fs, FileStatus status, List<FileStatus> out, boolean isRoot)
            throws IOException {
        String name = status.getPath().getName();
        if (!isRoot && (name.startsWith("_") || name.startsWith("."))) {
            return;
        }
        if (status.isDirectory()) {
            for (FileStatus child : fs.listStatus(status.getPath())) {
                collect(fs, child, out, false);
            }
        } else {
            out.add(status);
        }
    }

    /** Checks every footer and returns the rows they count. */
    private static long checkFooters(List<FileStatus> files, Configuration conf) {
        long rows = 0;
        Map<String, String> reference = null;
        String referenceFile = null;
        for (FileStatus file : files) {
            String name = file.getPath().toString();
            if (file.getLen() == 0) {
                throw new DataException("data.path: " + name + " is an empty (zero-byte) file");
            }
            MessageType schema;
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
                schema = reader.getFooter().getFileMetaData().getSchema();
                rows += reader.getRecordCount();
            } catch (IOException | RuntimeException e) {
                throw new DataException(
                        "data.path: " + name + " is not a readable Parquet file (" + firstLine(e) + ")", e);
            }
            Map<String, String> columns = describe(schema);
            if (reference == null) {
                reference = columns;
                referenceFile = name;
            } else {
                compare(reference, referenceFile, columns, name);
            }
        }
        return rows;
    }

    private static Map<String, String> describe(MessageType schema) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Type field : schema.getFields()) {
            String type = field.isPrimitive()
                    ? field.asPrimitiveType().getPrimitiveTypeName().name()
                    : "group";
            if (field.getLogicalTypeAnnotation() != null) {
                type += " (" + field.getLogicalTypeAnnotation() + ")";
            }
            out.put(field.getName(), type);
        }
        return out;
    }

    private static void compare(Map<String, String> ref, String refFile, Map<String, String> other, String otherFile) {
        for (Map.Entry<String, String> e : ref.entrySet()) {
            String theirs = other.get(e.getKey());
            if (theirs == null) {
                throw new DataException("data.path: schemas disagree: column '" + e.getKey() + "' is in " + refFile
                        + " but not in " + otherFile);
            }
            if (!theirs.equals(e.getValue())) {
                throw new DataException("data.path: schemas disagree: column '" + e.getKey() + "' is " + e.getValue()
                        + " in " + refFile + " but " + theirs + " in " + otherFile);
            }
        }
        for (String column : other.keySet()) {
            if (!ref.containsKey(column)) {
                throw new DataException("data.path: schemas disagree: column '" + column + "' is in " + otherFile
                        + " but not in " + refFile);
            }
        }
    }

    private static boolean isGlob(String path) {
        return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static String fingerprint(List<FileStatus> files) {
        StringBuilder listing = new StringBuilder();
        for (FileStatus f : files) {
            listing.append(f.getPath())
                    .append('|')
                    .append(f.getLen())
                    .append('|')
                    .append(f.getModificationTime())
                    .append('\n');
        }
        return Sha256.hex(listing.toString()).substring(0, 16);
    }

    public static String firstLine(Throwable e) {
        String message = e instanceof AnalysisException a ? a.getSimpleMessage() : e.getMessage();
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

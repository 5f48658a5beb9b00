package io.trainyard.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Who owns an output directory. A command writes into, or replaces, a directory only when it does not exist, is
 * empty, or carries the {@link #MARKER} of an earlier output of the same kind; and never where an output would be,
 * lie inside or contain one of the command's inputs. Refusals are one line (exit 2), decided before anything is
 * written, so no command deletes what it did not write.
 */
public final class OutputDirectory {
    /** The marker file; Spark's readers skip names starting with '_', so Parquet outputs stay readable. */
    public static final String MARKER = "_trainyard_output";

    private static final Pattern REMOTE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    private static final Pattern GLOB = Pattern.compile(".*[*?\\[{\\\\].*");

    /** What a Trainyard command writes. */
    public enum Kind {
        /** A run directory: train, sweep, prepare, bench. */
        RUN,
        /** Scored rows from predict. */
        PREDICTIONS,
        /** A generated dataset. */
        DATASET,
        /** An exported model: {@code model.onnx} and its input description. */
        EXPORT;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private OutputDirectory() {}

    /**
     * Refuses {@code out} when a Trainyard command other than one writing {@code kind} did not write it, or when it
     * equals, lies inside or contains one of {@code inputs} (what each is called, mapped to its path; paths on other
     * file systems than the local one are not compared). {@code what} names the option, e.g. {@code --out}.
     */
    public static void requireWritable(Path out, Kind kind, String what, Map<String, String> inputs) {
        Path target = real(out);
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            Optional<Path> local = localPath(input.getValue());
            if (local.isEmpty()) {
                continue;
            }
            Path in = real(local.get());
            if (target.equals(in) || target.startsWith(in) || in.startsWith(target)) {
                throw new UserInputException(what + " " + out + " "
                        + (target.equals(in) ? "is" : target.startsWith(in) ? "lies inside" : "contains") + " the "
                        + input.getKey() + " " + input.getValue()
                        + "; write the output somewhere apart from what the command reads");
            }
        }
        // After the inputs: an output inside an input is named as such, more precisely than as inside a dataset.
        Path dataset = enclosingDataset(target);
        if (dataset != null) {
            throw new UserInputException(what + " " + out + " lies inside the dataset " + dataset + " (it holds "
                    + "Parquet data); an output there would become part of what Spark reads from it: choose a path "
                    + "outside it");
        }
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserInputException(what + " " + out + " exists and is not a directory; choose another path");
        }
        if (isEmpty(out) || kind.label().equals(markerOf(out))) {
            return;
        }
        String marker = markerOf(out);
        throw new UserInputException(what + " " + out + " is not empty and "
                + (marker == null
                        ? "was not written by Trainyard (it has no " + MARKER + " file)"
                        : "holds Trainyard " + marker + ", not " + kind.label())
                + "; Trainyard replaces only its own outputs: choose another directory, or empty this one");
    }

    /** The nearest folder above {@code target} that holds Parquet data (Spark's _SUCCESS, a part file, a marker). */
    static Path enclosingDataset(Path target) {
        for (Path dir = target.getParent(); dir != null; dir = dir.getParent()) {
            String marker = markerOf(dir);
            // A run directory ends with a _SUCCESS of its own, and a sweep's holds results.parquet: outputs of its
            // own (a sweep's best trial, predictions beside the model) may go inside it.
            if (Kind.RUN.label().equals(marker) || Kind.EXPORT.label().equals(marker)) {
                continue;
            }
            if (Kind.DATASET.label().equals(marker)
                    || Kind.PREDICTIONS.label().equals(marker)
                    || Files.isRegularFile(dir.resolve(RunFiles.SUCCESS), LinkOption.NOFOLLOW_LINKS)
                    || holdsParquet(dir)) {
                return dir;
            }
        }
        return null;
    }

    private static boolean holdsParquet(Path dir) {
        try (var parquet = Files.newDirectoryStream(dir, "*.parquet")) {
            return parquet.iterator().hasNext();
        } catch (IOException | SecurityException e) {
            return false; // a folder we cannot list is no dataset we could have read either
        }
    }

    /** Records that {@code dir} holds an output of {@code kind}. */
    public static void mark(Path dir, Kind kind) {
        if (!kind.label().equals(markerOf(dir))) {
            RunDirectory.writeAtomically(dir.resolve(MARKER), kind.label() + "\n");
        }
    }

    private static String markerOf(Path dir) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(marker);
            return bytes.length > 64 ? "" : new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + marker, e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The local path an input names (its part before any glob), or empty for another file system. */
    static Optional<Path> localPath(String input) {
        String p = input;
        if (REMOTE.matcher(p).matches()) {
            int colon = p.indexOf(':');
            // Schemes are case-insensitive (FILE:///x is file:///x), and file://localhost/x names the local /x.
            if (!p.substring(0, colon).equalsIgnoreCase("file")) {
                return Optional.empty();
            }
            p = p.substring(colon + 1);
            if (p.startsWith("//")) {
                int path = p.indexOf('/', 2);
                p = path < 0 ? "/" : p.substring(path);
            }
        }
        Path path = Path.of(p);
        Path prefix = path.isAbsolute() ? path.getRoot() : Path.of("");
        for (Path part : path) {
            if (GLOB.matcher(part.toString()).matches()) {
                break;
            }
            prefix = prefix.resolve(part);
        }
        return Optional.of(prefix);
    }

    /** The absolute path with every link on its existing part resolved (a link must not hide an overlap). */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }
}

package io.trainyard.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A run's output directory. Every file is written under a temporary name and renamed into place, so a reader never
 * sees half a file; {@code _SUCCESS} is removed when a run starts and written last when it ends well.
 */
public final class RunDirectory {
    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /**
     * Opens (creating if needed) a run directory and withdraws any earlier success marker. Refused, before anything is
     * written, when the directory holds something other than a Trainyard run or overlaps one of {@code inputs} (what
     * each input is called, mapped to its path): see {@link OutputDirectory}.
     */
    public static RunDirectory open(Path root, Map<String, String> inputs) {
        OutputDirectory.requireWritable(root, OutputDirectory.Kind.RUN, "--out", inputs);
        try {
            Files.createDirectories(root);
            OutputDirectory.mark(root, OutputDirectory.Kind.RUN);
            Files.deleteIfExists(root.resolve(RunFiles.SUCCESS));
        } catch (IOException e) {
            throw new UserInputException("cannot create run directory " + root + ": " + e.getMessage(), e);
        }
        return new RunDirectory(root);
    }

    /** A run directory that reads the spec's data: {@code data.path} must lie apart from it. */
    public static RunDirectory open(Path root, String dataPath) {
        return open(root, Map.of("data.path", dataPath));
    }

    public Path root() {
        return root;
    }

    /**
     * A path inside the run directory. Refuses names that would lead out of it: absolute paths, {@code ..}, and any
     * symbolic link on the way (inside the run directory one could point anywhere, and writes would follow it).
     */
    public Path resolve(String relative) {
        Path base = root.normalize();
        Path p = base.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !p.startsWith(base)) {
            throw new UserInputException("'" + relative + "' is not a path inside the run directory " + root);
        }
        Path at = base;
        for (Path part : base.relativize(p)) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                throw new UserInputException(
                        at + " is a symbolic link; Trainyard does not write through links inside a "
                                + "run directory (remove it)");
            }
        }
        return p;
    }

    public void writeJson(String relative, Object value) {
        writeText(relative, Json.write(value) + "\n");
    }

    public void writeText(String relative, String text) {
        writeAtomically(resolve(relative), text);
    }

    /**
     * Writes {@code text} to a new temporary sibling of {@code target} and renames it into place. The temporary file
     * has a random name and is created exclusively (never through a link planted in its place), and the rename
     * replaces a link at {@code target} rather than following it.
     */
    public static void writeAtomically(Path target, String text) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            moveAtomically(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Only our own temporary file; the write's failure is what the caller needs to hear.
        }
    }

    /** A sibling name for a directory being built or retired: random, so nobody can plant a link there first. */
    private static Path sibling(Path target, String role) {
        return target.toAbsolutePath()
                .resolveSibling("." + target.getFileName() + "." + role + "-" + UUID.randomUUID());
    }

    /** Fills a directory that does not exist yet (creating it, or letting Spark create it). */
    @FunctionalInterface
    public interface DirectoryWriter {
        void writeTo(Path directory) throws IOException;
    }

    /**
     * Builds a directory under a temporary sibling name with {@code writer}, then puts it in place of {@code target}
     * ({@link #replaceDirectory}): a reader sees the old directory or the new one, never a half-written one.
     */
    public static Path publishDirectory(Path target, DirectoryWriter writer) {
        Path tmp = sibling(target, "tmp");
        try {
            writer.writeTo(tmp);
            replaceDirectory(tmp, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /**
     * Like {@link #publishDirectory}, for a directory that must not exist: if one appeared at {@code target} while
     * this one was built, it is left alone, the built one removed, and the write refused.
     */
    public static Path publishNewDirectory(Path target, DirectoryWriter writer) {
        Path tmp = sibling(target, "tmp");
        try {
            writer.writeTo(tmp);
            try {
                Files.move(tmp, target);
            } catch (FileAlreadyExistsException e) {
                deleteTree(tmp);
                throw new UserInputException(target + " appeared while it was being written; it was left as it is");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Renames {@code from} onto {@code to}, atomically where the file system allows. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Puts a finished directory {@code from} in place of {@code to}: any previous {@code to} is moved aside first and
     * deleted only after the rename, so a reader sees the old directory or the new one, never half of either.
     */
    public static void replaceDirectory(Path from, Path to) throws IOException {
        if (!Files.exists(to)) {
            moveAtomically(from, to);
            return;
        }
        Path old = sibling(to, "old");
        Files.move(to, old);
        moveAtomically(from, to);
        deleteTree(old);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public void markSuccess() {
        writeText(RunFiles.SUCCESS, "");
    }
}

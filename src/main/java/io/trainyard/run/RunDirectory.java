package io.trainyard.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run's output directory. Every file is written under a temporary name and renamed into place, so a reader never
 * sees half a file; {@code _SUCCESS} is removed when a run starts and written last when it ends well.
 */
public final class RunDirectory {
    public static final String SUCCESS = "_SUCCESS";
    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** Opens (creating if needed) a run directory and withdraws any earlier success marker. */
    public static RunDirectory open(Path root) {
        try {
            Files.createDirectories(root);
            Files.deleteIfExists(root.resolve(SUCCESS));
        } catch (IOException e) {
            throw new UserInputException("cannot create run directory " + root + ": " + e.getMessage(), e);
        }
        return new RunDirectory(root);
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
                throw new UserInputException(at + " is a symbolic link; Trainyard does not write through links inside a "
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

    /** Writes {@code text} to a temporary sibling of {@code target} and renames it into place. */
    public static void writeAtomically(Path target, String text) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            moveAtomically(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
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
        Path tmp = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".tmp-"
                + Long.toHexString(System.nanoTime()));
        try {
            writer.writeTo(tmp);
            replaceDirectory(tmp, target);
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
        Path old = to.toAbsolutePath().resolveSibling("." + to.getFileName() + ".old-" + Long.toHexString(System.nanoTime()));
        Files.move(to, old);
        moveAtomically(from, to);
        try (Stream<Path> paths = Files.walk(old)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public void markSuccess() {
        writeText(SUCCESS, "");
    }
}

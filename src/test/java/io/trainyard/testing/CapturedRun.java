package io.trainyard.testing;

import io.trainyard.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and keeps its exit code and what it printed. */
public record CapturedRun(int exitCode, String out, String err) {
    public static synchronized CapturedRun of(String... args) {
        SparkTestSession.get();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new CapturedRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** {@code trainyard predict} of {@code input} with the model in {@code modelDir}, into {@code out}. */
    public static CapturedRun predict(java.nio.file.Path modelDir, java.nio.file.Path input, java.nio.file.Path out) {
        return of("predict", "--model", modelDir.toString(), "--input", input.toString(), "--out", out.toString());
    }

    /** {@code trainyard train spec --out out}, each override given as {@code --set}. */
    public static CapturedRun train(java.nio.file.Path spec, java.nio.file.Path out, String... overrides) {
        java.util.List<String> args =
                new java.util.ArrayList<>(java.util.List.of("train", spec.toString(), "--out=" + out));
        for (String o : overrides) {
            args.add("--set");
            args.add(o);
        }
        return of(args.toArray(String[]::new));
    }

    /** The single error line the CLI printed. */
    public String errorLine() {
        return err.lines()
                .filter(l -> l.startsWith("trainyard: error: "))
                .findFirst()
                .map(l -> l.substring("trainyard: error: ".length()))
                .orElse("<no error line in: " + err + ">");
    }
}

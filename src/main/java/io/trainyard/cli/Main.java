package io.trainyard.cli;

import io.trainyard.run.ConfigurationException;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Secrets;
import io.trainyard.run.Termination;
import io.trainyard.run.UserInputException;
import io.trainyard.sweep.NoTrialSucceededException;
import io.trainyard.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trainyard} command line. The only place that calls {@code System.exit}. */
@Command(
        name = "trainyard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Train neural networks on Apache Spark from a declarative job spec.",
        subcommands = {
            QuickstartCommand.class,
            TrainCommand.class,
            SweepCommand.class,
            PredictCommand.class,
            BenchCommand.class,
            GenerateCommand.class,
            ValidateCommand.class,
            PrepareCommand.class,
            ExportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, line, parsed) -> report(e));
        cli.setParameterExceptionHandler((e, args1) -> {
            System.err.println("trainyard: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            return ExitCode.BAD_INPUT;
        });
        return cli.execute(args);
    }

    /** Maps a failure to the exit-code contract, printing one line (and the trace only for infrastructure faults). */
    static int report(Throwable e) {
        if (Termination.inProgress()) {
            System.err.println("trainyard: terminated; run the same command again to resume");
            return ExitCode.TERMINATED;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException) {
                System.err.println("trainyard: configuration refused: " + Secrets.redact(t.getMessage()));
                return ExitCode.CONFIGURATION;
            }
        }
        Throwable cause = e;
        while (cause != null && !(cause instanceof UserInputException)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            cause = UserInputException.raisedInSql(e);
        }
        if (cause != null) {
            System.err.println("trainyard: error: " + Secrets.redact(cause.getMessage()));
            return ExitCode.BAD_INPUT;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoTrialSucceededException) {
                System.err.println("trainyard: sweep failed: " + t.getMessage());
                return ExitCode.DIVERGED;
            }
            if (t instanceof TrainingDivergedException) {
                System.err.println("trainyard: diverged: " + t.getMessage());
                return ExitCode.DIVERGED;
            }
        }
        System.err.println("trainyard: failed: " + Secrets.redact(String.valueOf(e)));
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        System.err.print(Secrets.redact(trace.toString()));
        return ExitCode.INFRASTRUCTURE;
    }
}

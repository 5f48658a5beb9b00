package io.trainyard.cli;

import io.trainyard.data.DataPreparer;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.SelectedFeature;
import io.trainyard.run.ExitCode;
import io.trainyard.run.SparkSessions;
import io.trainyard.spec.JobSpec;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code trainyard validate SPEC}: the dry run. Checks the spec and the data's files and schema; trains nothing. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check a spec and its data without training; print the resolved spec.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    SpecOptions spec;

    @Override
    public Integer call() {
        JobSpec job = spec.load();
        System.out.println("# resolved spec: " + spec.spec);
        System.out.println(job.render());
        FeatureSelector.Selection selection = DataPreparer.check(SparkSessions.start("trainyard-validate"), job);
        System.out.println("# label: " + selection.labelExpression() + " ("
                + selection.labelKind().name().toLowerCase(Locale.ROOT) + ")");
        for (SelectedFeature f : selection.features()) {
            System.out.println("# feature: " + f.name() + " (" + f.kind().name().toLowerCase(Locale.ROOT) + ")"
                    + (f.expression().startsWith("`") ? "" : " = " + f.expression()));
        }
        System.out.println("# ok: " + job.name() + " is valid");
        return ExitCode.OK;
    }
}

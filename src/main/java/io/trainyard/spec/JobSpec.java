package io.trainyard.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.data.DataSpec;
import io.trainyard.spec.data.NormalizeMethod;
import io.trainyard.spec.data.NormalizeTarget;
import io.trainyard.spec.data.SplitSpec;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.model.ModelSpec;
import io.trainyard.spec.model.ModelType;
import io.trainyard.spec.train.TrainSpec;
import java.util.regex.Pattern;

/**
 * A whole job: what to train on, how to split and prepare it, how to train. Immutable and valid by construction.
 *
 * @param normalizeTarget whether a regression label is standardised for training
 * @param resolved        the spec as resolved from the job file, the defaults and the overrides; written with every run
 */
public record JobSpec(
        String name,
        Task task,
        DataSpec data,
        SplitSpec split,
        NormalizeMethod normalize,
        NormalizeTarget normalizeTarget,
        ModelSpec model,
        TrainSpec train,
        Config resolved) {
    /** A name becomes a directory under runs/: no separators, no "..". */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public JobSpec {
        Checks.nonBlank("name", name);
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new SpecException(
                    "name must be letters, digits, '.', '_' or '-' (starting with a letter or digit), got '" + name
                            + "'");
        }
        if (model.type() == ModelType.GAN && train.autoAveraging()) {
            throw new SpecException("train.averaging-frequency = auto applies to networks; give a GAN a number");
        }
    }

    /**
     * Whether a binary label is one 0/1 column (sigmoid): the model's choice, unless classes are weighted, which
     * trains two softmax columns.
     */
    public boolean binaryAsOneColumn() {
        return model.binaryAsOneColumn() && !train.classWeights().enabled();
    }

    /** Whether a label of {@code task} (as inferred) is standardised for training. */
    public boolean scalesTarget(Task inferred) {
        return inferred == Task.REGRESSION && normalizeTarget != NormalizeTarget.NONE;
    }

    /** The resolved spec as HOCON that {@link SpecLoader} reads back to the same spec. */
    public String render() {
        return resolved.root()
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    /** The resolved spec as JSON. */
    public String renderJson() {
        return resolved.root().render(ConfigRenderOptions.concise().setFormatted(true));
    }
}

package io.trainyard.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.data.DataSpec;
import io.trainyard.spec.data.NormalizeMethod;
import io.trainyard.spec.data.NormalizeTarget;
import io.trainyard.spec.data.NullPolicy;
import io.trainyard.spec.data.Reader;
import io.trainyard.spec.data.SequenceSpec;
import io.trainyard.spec.data.SplitSpec;
import io.trainyard.spec.data.Stratify;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.data.TextSpec;
import io.trainyard.spec.data.TimestampPart;
import io.trainyard.spec.model.AutoencoderSpec;
import io.trainyard.spec.model.DecisionThreshold;
import io.trainyard.spec.model.GanSpec;
import io.trainyard.spec.model.LayerSpecs;
import io.trainyard.spec.model.Loss;
import io.trainyard.spec.model.ModelSpec;
import io.trainyard.spec.model.ModelType;
import io.trainyard.spec.model.Readout;
import io.trainyard.spec.model.RecurrentCell;
import io.trainyard.spec.train.ClassWeights;
import io.trainyard.spec.train.EarlyStoppingSpec;
import io.trainyard.spec.train.Engine;
import io.trainyard.spec.train.LearningRateSchedule;
import io.trainyard.spec.train.Optimizer;
import io.trainyard.spec.train.StepKind;
import io.trainyard.spec.train.StoppingMetric;
import io.trainyard.spec.train.TrainSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Reads a job spec: the job file, layered over {@code conf/defaults.conf} (bundled in the jar), with
 * {@code --set key=value} overrides on top; rejects unknown keys and builds the validated {@link JobSpec}.
 */
public final class SpecLoader {
    private static final String DEFAULTS_RESOURCE = "defaults.conf";
    /** The one subtree whose keys are not spec keys themselves (see {@code io.trainyard.sweep.SweepSpecs}). */
    public static final String SWEEP_SPACE = "sweep.space";
    /** Names classes as its keys, when it is an object. */
    static final String CLASS_WEIGHTS = "train.class-weights";

    private SpecLoader() {}

    public static JobSpec load(Path specFile, List<String> overrides) {
        if (!Files.isRegularFile(specFile)) {
            throw new SpecException("spec file not found: " + specFile);
        }
        Config job;
        try {
            job = ConfigFactory.parseFile(specFile.toFile(), RestrictedHocon.parseOptions(specFile.toString()));
        } catch (ConfigException e) {
            throw new SpecException("cannot parse " + specFile + ": " + e.getMessage(), e);
        }
        return fromConfig(job, overrides);
    }

    /** Reads a spec from HOCON text (a spec file's contents), layered and checked as {@link #load} does. */
    public static JobSpec parse(String hocon, List<String> overrides) {
        Config job;
        try {
            job = ConfigFactory.parseString(hocon, RestrictedHocon.parseOptions("the spec text"));
        } catch (ConfigException e) {
            throw new SpecException("cannot parse the spec text: " + e.getMessage(), e);
        }
        return fromConfig(job, overrides);
    }

    /** Builds a spec from an already-parsed job config (the job file's contents, without defaults). */
    public static JobSpec fromConfig(Config job, List<String> overrides) {
        Config merged;
        try {
            merged = parseOverrides(overrides)
                    .withFallback(job)
                    .withFallback(defaults())
                    .resolve(RestrictedHocon.resolveOptions());
        } catch (ConfigException e) {
            throw new SpecException("cannot resolve spec: " + e.getMessage(), e);
        }
        SpecKeys.rejectUnknown(merged);
        return build(merged);
    }

    /** The defaults every job falls back to. */
    public static Config defaults() {
        Config defaults = ConfigFactory.parseResources(SpecLoader.class.getClassLoader(), DEFAULTS_RESOURCE);
        if (defaults.isEmpty()) {
            throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
        }
        return defaults;
    }

    static Config parseOverrides(List<String> overrides) {
        Config out = ConfigFactory.empty();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new SpecException("--set expects key=value, got '" + override + "'");
            }
            String key = override.substring(0, eq).trim();
            String value = override.substring(eq + 1).trim();
            Config one;
            try {
                one = ConfigFactory.parseString(key + " = " + value, RestrictedHocon.parseOptions("--set " + key));
            } catch (ConfigException e) {
                // Not HOCON (a path with a colon, say): take it as a plain string.
                one = ConfigFactory.parseMap(Map.of(key, value), "--set " + key);
            }
            out = one.withFallback(out);
        }
        return out;
    }

    /**
     * Text goes to an MLP (a bag of words beside any other features) or to an RNN or CNN (token ids through an
     * embedding, the text alone: a sequence network has no place for a row's other features).
     */
    private static void checkText(DataSpec data, ModelSpec model) {
        if (!data.text().enabled()) {
            return;
        }
        ModelType type = model.type();
        if (type != ModelType.MLP && type != ModelType.RNN && type != ModelType.CNN) {
            throw new SpecException("data.text.columns is read by model.type = mlp (a bag of words), rnn or cnn (token "
                    + "ids through model.embedding); model.type is " + SpecEnums.name(type));
        }
        if (type != ModelType.MLP && !data.features().isEmpty()) {
            throw new SpecException("model.type = " + SpecEnums.name(type) + " over data.text reads the text columns "
                    + "only; leave data.features empty (model.type = mlp takes text beside other features)");
        }
    }

    private static JobSpec build(Config merged) {
        SpecReader r = new SpecReader(merged);
        DataSpec data = new DataSpec(
                r.string("data.path"),
                r.string("data.label"),
                r.stringList("data.features"),
                r.stringList("data.ignore"),
                r.stringList("data.id"),
                r.stringList("data.categorical"),
                r.choice("data.nulls", NullPolicy.class),
                r.integer("data.max-categories"),
                r.integer("data.min-category-count"),
                r.choices("data.timestamp-parts", TimestampPart.class),
                r.integer("data.max-classes"),
                r.integer("data.partitions"),
                r.integers("data.shape"),
                new SequenceSpec(
                        r.string("data.sequence.series"),
                        r.string("data.sequence.order"),
                        r.integer("data.sequence.window"),
                        r.integer("data.sequence.horizon"),
                        r.integer("data.sequence.stride"),
                        r.choice("data.sequence.split", SequenceSpec.SequenceSplit.class),
                        r.choice("data.sequence.scale", SequenceSpec.SequenceScale.class),
                        r.integer("data.sequence.season")),
                r.choice("data.reader", Reader.class),
                new TextSpec(
                        r.stringList("data.text.columns"),
                        r.choice("data.text.unit", TextSpec.Unit.class),
                        r.flag("data.text.lowercase"),
                        r.integer("data.text.vocabulary"),
                        r.integer("data.text.min-count"),
                        r.integer("data.text.max-length"),
                        r.choice("data.text.weighting", TextSpec.Weighting.class)));
        SplitSpec split = new SplitSpec(
                r.number("split.train"),
                r.number("split.validation"),
                r.number("split.test"),
                r.choice("split.stratify", Stratify.class),
                r.longInteger("split.seed"),
                r.stringList("split.key"),
                r.string("split.column"),
                r.string("split.order-by"));
        TrainSpec train = new TrainSpec(
                r.integer("train.epochs"),
                r.integer("train.batch-size"),
                r.choice("train.optimizer", Optimizer.class),
                r.number("train.learning-rate"),
                r.number("train.momentum"),
                r.number("train.beta1"),
                r.number("train.beta2"),
                r.integer("train.workers"),
                r.integerOrAuto("train.averaging-frequency"),
                r.choice("train.engine", Engine.class),
                r.choice("train.step", StepKind.class),
                r.flag("train.in-driver"),
                new EarlyStoppingSpec(
                        r.integer("train.early-stopping.patience"),
                        r.number("train.early-stopping.min-delta"),
                        r.choice("train.early-stopping.metric", StoppingMetric.class)),
                ClassWeights.read(merged, CLASS_WEIGHTS),
                new LearningRateSchedule(
                        r.choice("train.schedule", LearningRateSchedule.Type.class),
                        r.integer("train.warmup-epochs"),
                        r.integer("train.schedule-step"),
                        r.number("train.schedule-factor"),
                        r.number("train.schedule-decay"),
                        r.integer("train.plateau-patience"),
                        r.integer("train.cosine-epochs"),
                        r.number("train.min-learning-rate")));
        String outputActivation = r.string("model.output-activation");
        ModelSpec model = new ModelSpec(
                r.choice("model.type", ModelType.class),
                r.integers("model.hidden"),
                LayerSpecs.read(merged, "model.layers"),
                r.choice("model.cell", RecurrentCell.class),
                r.choice("model.readout", Readout.class),
                r.integer("model.embedding"),
                new AutoencoderSpec(
                        r.integer("model.bottleneck"),
                        r.integers("model.decoder"),
                        r.string("model.normal-class"),
                        r.number("model.threshold-percentile")),
                new GanSpec(
                        r.integer("model.gan.noise"),
                        r.integers("model.gan.generator"),
                        r.integers("model.gan.discriminator"),
                        r.number("model.gan.generator-learning-rate"),
                        r.number("model.gan.discriminator-learning-rate"),
                        r.number("model.gan.label-smoothing"),
                        r.integer("model.gan.discriminator-steps"),
                        r.integer("model.gan.samples")),
                r.choice("model.activation", Activation.class),
                outputActivation.equals("auto") ? null : r.choice("model.output-activation", Activation.class),
                r.choice("model.loss", Loss.class),
                r.number("model.dropout"),
                r.number("model.l2"),
                r.string("model.weight-init").equals("auto") ? null : r.choice("model.weight-init", WeightInit.class),
                r.longInteger("model.seed"),
                DecisionThreshold.parse(r.string("model.threshold")));
        checkText(data, model);
        if (model.type() == ModelType.CNN
                && model.layers().isEmpty()
                && !data.text().enabled()) {
            throw new SpecException(
                    "model.type = cnn needs model.layers, e.g. [{type = conv, filters = 16}, {type = pool}]");
        }
        if (model.type() == ModelType.CNN
                && data.shape().size() != 3
                && !data.text().enabled()) {
            throw new SpecException(
                    "model.type = cnn needs data.shape = [channels, height, width], got " + data.shape());
        }
        if (!data.labelled() && model.type() != ModelType.AUTOENCODER && model.type() != ModelType.GAN) {
            throw new SpecException(
                    "data.label is required (only model.type = autoencoder or gan trains without a " + "label)");
        }
        if (model.type() == ModelType.GAN
                && (data.labelled()
                        || data.sequence().enabled()
                        || !data.shape().isEmpty())) {
            throw new SpecException("model.type = gan learns to generate rows of numeric features: leave data.label, "
                    + "data.sequence and data.shape unset");
        }
        if (model.type() == ModelType.RNN
                && data.shape().size() != 2
                && !data.sequence().enabled()
                && !data.text().enabled()) {
            throw new SpecException("model.type = rnn needs data.shape = [features, steps] (or long-format series "
                    + "windowed by data.sequence), got " + data.shape());
        }
        if (model.type() == ModelType.GAN && train.schedule().enabled()) {
            throw new SpecException("train.schedule and train.warmup-epochs apply to one network; a GAN's two step "
                    + "sizes are model.gan.generator-learning-rate and model.gan.discriminator-learning-rate");
        }
        if (data.sequence().enabled() && (split.userSplit() || split.ordered())) {
            throw new SpecException((split.ordered() ? "split.order-by" : "split.column")
                    + " does not apply to windowed series; data.sequence.split (series or "
                    + "time) decides their split");
        }
        if (data.sequence().enabled() && !split.key().isEmpty()) {
            throw new SpecException("split.key does not apply to windowed series (data.sequence.split = series keeps "
                    + "each series in one split); got " + split.key());
        }
        if (data.sequence().enabled() && !data.shape().isEmpty()) {
            throw new SpecException(
                    "data.shape follows from data.sequence (features x window); leave it empty, got " + data.shape());
        }
        Task task = r.choice("task", Task.class);
        if (model.type() == ModelType.AUTOENCODER
                && (task == Task.REGRESSION || data.sequence().enabled())) {
            throw new SpecException("model.type = autoencoder takes rows, labelled by class (the label marks anomalies)"
                    + " or unlabelled; "
                    + (data.sequence().enabled()
                            ? "data.sequence does not apply"
                            : "task = regression does not apply"));
        }
        if (train.classWeights().enabled()
                && (task == Task.REGRESSION
                        || model.type() == ModelType.GAN
                        || model.type() == ModelType.AUTOENCODER)) {
            throw new SpecException("train.class-weights applies to classification; "
                    + (task == Task.REGRESSION
                            ? "task is regression"
                            : "model.type is " + SpecEnums.name(model.type())));
        }
        if (split.stratify() == Stratify.TRUE && task == Task.REGRESSION) {
            throw new SpecException("split.stratify = true needs task = classification, got task = regression");
        }
        StoppingMetric metric = train.earlyStopping().metric();
        metric.checkApplies("train.early-stopping.metric", model.type());
        metric.checkApplies("train.early-stopping.metric", task);
        NormalizeTarget normalizeTarget = r.choice("normalize-target", NormalizeTarget.class);
        if (normalizeTarget == NormalizeTarget.STANDARD && task == Task.CLASSIFICATION) {
            throw new SpecException("normalize-target = standard applies to a regression label; task is classification "
                    + "(leave normalize-target = auto)");
        }
        return new JobSpec(
                r.string("name"),
                task,
                data,
                split,
                r.choice("normalize", NormalizeMethod.class),
                normalizeTarget,
                model,
                train,
                merged);
    }
}

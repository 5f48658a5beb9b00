package io.trainyard.sweep;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecKeys;
import io.trainyard.spec.SpecLoader;
import io.trainyard.spec.SpecReader;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.train.StoppingMetric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code sweep} block of a job spec and makes each trial's spec. Every swept key must be a {@code model.*}
 * or {@code train.*} spec key (data, split and normalisation are prepared once for all trials), and every value a
 * domain can produce at its edges is checked by building a spec with it, before any trial starts.
 */
public final class SweepSpecs {
    private static final Set<String> DOMAINS = Set.of("choice", "uniform", "loguniform", "int");

    private SweepSpecs() {}

    public static SweepSpec read(JobSpec job) {
        Map<String, Domain> domains = new LinkedHashMap<>();
        walk("", job.resolved().getObject(SpecLoader.SWEEP_SPACE), domains);
        for (Map.Entry<String, Domain> e : domains.entrySet()) {
            check(job, e.getKey(), e.getValue());
        }
        SpecReader r = new SpecReader(job.resolved());
        StoppingMetric metric = r.choice("sweep.metric", StoppingMetric.class);
        if (metric == StoppingMetric.AUTO) {
            // The metric each trial keeps its best epoch by, so the ranking and the kept models agree.
            metric = job.train().earlyStopping().metric().resolved(job.model().type());
        }
        metric.checkApplies("sweep.metric", job.model().type());
        String mode = r.string("sweep.mode");
        int maxEpochs = r.integer("sweep.max-epochs");
        SweepSpec.SamplerKind sampler = r.choice("sweep.sampler", SweepSpec.SamplerKind.class);
        SweepSpec.SchedulerKind scheduler = r.choice("sweep.scheduler", SweepSpec.SchedulerKind.class);
        String strategy = r.string("sweep.strategy");
        if (!strategy.isEmpty()) {
            SweepSpec.SamplerKind impliedSampler =
                    strategy.equals("grid") ? SweepSpec.SamplerKind.GRID : SweepSpec.SamplerKind.RANDOM;
            SweepSpec.SchedulerKind impliedScheduler = switch (strategy) {
                case "grid", "random" -> SweepSpec.SchedulerKind.NONE;
                case "asha" -> SweepSpec.SchedulerKind.HALVING;
                default ->
                    throw new SpecException("sweep.strategy: expected one of grid, random, asha (or, instead, "
                            + "sweep.sampler = grid | random | tpe and sweep.scheduler = none | halving | hyperband), got '"
                            + strategy + "'");
            };
            boolean samplerSet = sampler != SweepSpec.SamplerKind.TPE && sampler != impliedSampler;
            boolean schedulerSet = scheduler != SweepSpec.SchedulerKind.NONE && scheduler != impliedScheduler;
            if (samplerSet || schedulerSet) {
                throw new SpecException("sweep.strategy = " + strategy + " means sweep.sampler = "
                        + SpecEnums.name(impliedSampler) + " and sweep.scheduler = " + SpecEnums.name(impliedScheduler)
                        + "; drop sweep.strategy and set sweep.sampler and sweep.scheduler alone");
            }
            sampler = impliedSampler;
            scheduler = impliedScheduler;
        }
        if (scheduler != SweepSpec.SchedulerKind.NONE && domains.containsKey("train.epochs")) {
            throw new SpecException("sweep.space.train.epochs cannot be swept with sweep.scheduler = "
                    + SpecEnums.name(scheduler) + ": the scheduler sets each trial's epochs (sweep.min-epochs, "
                    + "sweep.max-epochs, sweep.eta)");
        }
        return new SweepSpec(
                new SweepSpace(domains),
                sampler,
                scheduler,
                r.integer("sweep.trials"),
                r.integer("sweep.parallel"),
                r.integer("sweep.workers-per-trial"),
                metric == StoppingMetric.AUTO ? StoppingMetric.LOSS : metric,
                mode.equals("auto")
                        ? (metric.higherIsBetter() ? Mode.MAX : Mode.MIN)
                        : r.choice("sweep.mode", Mode.class),
                r.longInteger("sweep.seed"),
                r.integer("sweep.min-epochs"),
                maxEpochs == 0 ? job.train().epochs() : maxEpochs,
                r.integer("sweep.eta"),
                r.integer("sweep.n-startup"));
    }

    /** The base spec with a trial's values in place of the swept keys. */
    public static JobSpec trialSpec(JobSpec base, Map<String, Object> params) {
        return SpecLoader.fromConfig(
                ConfigFactory.parseMap(params, "sweep trial").withFallback(base.resolved()), List.of());
    }

    /** A domain is an object with one of the domain words; anything else nests keys or is a fixed value. */
    private static void walk(String path, ConfigValue value, Map<String, Domain> out) {
        if (value instanceof ConfigObject object
                && !(object.size() == 1
                        && DOMAINS.contains(object.keySet().iterator().next()))) {
            for (String key : object.keySet()) {
                walk(path.isEmpty() ? key : path + "." + key, object.get(key), out);
            }
            return;
        }
        if (value.valueType() == ConfigValueType.NULL) {
            // HOCON's way to unset a key another file set: a spec including a job drops that job's swept key.
            return;
        }
        String key = "sweep.space." + path;
        if (value instanceof ConfigObject object) {
            String word = object.keySet().iterator().next();
            Object spec = object.get(word).unwrapped();
            out.put(path, domain(key, word, spec));
        } else {
            out.put(path, new Domain.Fixed(value.unwrapped()));
        }
    }

    private static Domain domain(String key, String word, Object spec) {
        if (word.equals("choice")) {
            if (!(spec instanceof List<?> values) || values.isEmpty()) {
                throw new SpecException(key + ": choice takes a non-empty list of values, got " + spec);
            }
            return new Domain.Choice(new ArrayList<>(values));
        }
        if (!(spec instanceof List<?> bounds)
                || bounds.size() != 2
                || !(bounds.get(0) instanceof Number lo)
                || !(bounds.get(1) instanceof Number hi)) {
            throw new SpecException(key + ": " + word + " takes [lo, hi], got " + spec);
        }
        return switch (word) {
            case "uniform" -> {
                if (!(lo.doubleValue() < hi.doubleValue())) {
                    throw new SpecException(key + ": uniform needs lo < hi, got " + spec);
                }
                yield new Domain.Uniform(lo.doubleValue(), hi.doubleValue());
            }
            case "loguniform" -> {
                if (!(lo.doubleValue() > 0 && lo.doubleValue() < hi.doubleValue())) {
                    throw new SpecException(key + ": loguniform needs 0 < lo < hi, got " + spec);
                }
                yield new Domain.LogUniform(lo.doubleValue(), hi.doubleValue());
            }
            default -> {
                if (lo.doubleValue() != lo.intValue()
                        || hi.doubleValue() != hi.intValue()
                        || lo.intValue() > hi.intValue()) {
                    throw new SpecException(key + ": int needs whole numbers lo <= hi, got " + spec);
                }
                yield new Domain.IntRange(lo.intValue(), hi.intValue());
            }
        };
    }

    /** The key is sweepable, and the domain's edge values make valid specs. */
    private static void check(JobSpec job, String path, Domain domain) {
        String key = "sweep.space." + path;
        if (!SpecKeys.knownKeys().contains(path)) {
            String hint = SpecKeys.suggest(path);
            throw new SpecException(key + ": '" + path + "' is not a spec key"
                    + (hint == null ? "" : ", did you mean '" + hint + "'?"));
        }
        if (!path.startsWith("model.") && !path.startsWith("train.")) {
            throw new SpecException(
                    key + ": '" + path + "' cannot be swept: data, split and normalisation are prepared "
                            + "once for every trial; sweep model.* and train.* keys");
        }
        if (path.equals("train.workers")) {
            throw new SpecException(key + ": set the workers of each trial with sweep.workers-per-trial");
        }
        for (Object value : domain.edges()) {
            JobSpec trial;
            try {
                trial = trialSpec(job, Map.of(path, value));
            } catch (SpecException e) {
                throw new SpecException(key + " = " + value + ": " + e.getMessage());
            }
            if (trial.binaryAsOneColumn() != job.binaryAsOneColumn()) {
                throw new SpecException(key + " = " + value + ": changes how the label is encoded (one sigmoid "
                        + "column or one column per class), which is prepared once for every trial; fix it outside "
                        + "the sweep");
            }
        }
    }
}

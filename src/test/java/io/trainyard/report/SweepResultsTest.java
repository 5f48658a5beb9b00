package io.trainyard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trainyard.spec.train.StoppingMetric;
import io.trainyard.sweep.Domain;
import io.trainyard.sweep.Mode;
import io.trainyard.sweep.SweepScheduler;
import io.trainyard.sweep.SweepSpace;
import io.trainyard.sweep.SweepSpec;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SweepResultsTest {
    @Test
    void columnsKeepEachKeysKindAndFailedTrialsHaveNoMetric() {
        Map<String, Domain> domains = new LinkedHashMap<>();
        domains.put("train.batch-size", new Domain.Choice(List.of(64, 128)));
        domains.put("train.learning-rate", new Domain.LogUniform(1e-4, 1e-2));
        domains.put("model.hidden", new Domain.Choice(List.of(List.of(16), List.of(32, 16))));
        SweepSpec sweep = new SweepSpec(
                new SweepSpace(domains),
                SweepSpec.SamplerKind.RANDOM,
                SweepSpec.SchedulerKind.NONE,
                2,
                1,
                1,
                StoppingMetric.MMD,
                Mode.MIN,
                1,
                1,
                3,
                3,
                10);
        Map<Integer, TrialPlan> plans = Map.of(
                0,
                        new TrialPlan(
                                0,
                                Map.of(
                                        "train.batch-size",
                                        64,
                                        "train.learning-rate",
                                        0.001,
                                        "model.hidden",
                                        List.of(16)),
                                3),
                1,
                        new TrialPlan(
                                1,
                                Map.of(
                                        "train.batch-size",
                                        128,
                                        "train.learning-rate",
                                        0.01,
                                        "model.hidden",
                                        List.of(32, 16)),
                                3));
        Map<Integer, TrialOutcome> outcomes = Map.of(
                0,
                new TrialOutcome(TrialOutcome.Status.SUCCEEDED, 0.25, List.of(0.5, 0.25, 0.3), 3, 2.5, null),
                1,
                TrialOutcome.failed(TrialOutcome.Status.DIVERGED, "training diverged at epoch 1", 0.5));
        String csv = SweepResults.table(sweep, new SweepScheduler.Result(plans, outcomes, Optional.of(0)))
                .csv();
        assertEquals("""
                trial,train.batch-size,train.learning-rate,model.hidden,status,epochs,budget,validation_mmd,seconds,reason
                0,64,0.001,[16],succeeded,3,3,0.25,2.5,
                1,128,0.01,"[32,16]",diverged,0,3,,0.5,training diverged at epoch 1
                """, csv);
    }
}

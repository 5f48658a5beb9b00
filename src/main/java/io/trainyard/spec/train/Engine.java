package io.trainyard.spec.train;

/** Which parameter-averaging implementation trains the network. */
public enum Engine {
    /** Trainyard's engine: DL4J's averaging semantics with networks kept alive on executors between rounds. */
    TRAINYARD,
    /** DL4J's ParameterAveragingTrainingMaster, as the reference. */
    DL4J
}

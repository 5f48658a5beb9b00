package io.trainyard.spec.model;

/** The recurrent layer of an RNN ({@code model.cell}). */
public enum RecurrentCell {
    /** DL4J's long short-term memory layer. */
    LSTM,
    /** Trainyard's gated recurrent unit ({@code io.trainyard.model.GruLayer}). */
    GRU
}

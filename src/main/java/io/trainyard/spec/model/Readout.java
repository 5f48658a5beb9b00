package io.trainyard.spec.model;

/** What an RNN's last recurrent layer gives the head ({@code model.readout}). */
public enum Readout {
    /** Its state at the last step (a padded text's last token). */
    LAST,
    /** The largest value of each unit over the steps (a text's padding left out). */
    MAX,
    /** The mean of each unit over the steps (a text's padding left out). */
    MEAN
}

package io.trainyard.train.averaging;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/** DL4J's own {@code ParameterAveragingTrainingMaster}: the reference {@link AveragingEngine} is held to. */
public final class Dl4jMasterFitter implements EpochFitter {
    private final SparkDl4jMultiLayer spark;

    public Dl4jMasterFitter(JavaSparkContext sc, MultiLayerNetwork network, ParameterAveragingTrainingMaster master) {
        this.spark = new SparkDl4jMultiLayer(sc, network, master);
    }

    @Override
    public void fitEpoch(JavaRDD<DataSet> train) {
        spark.fit(train);
    }

    @Override
    public MultiLayerNetwork network() {
        return spark.getNetwork();
    }

    @Override
    public double score() {
        return spark.getScore();
    }
}

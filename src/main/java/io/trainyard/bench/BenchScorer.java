package io.trainyard.bench;

import io.trainyard.data.PreparedData;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.classification.ROC;
import org.nd4j.linalg.dataset.DataSet;

/** Accuracy on the validation and test splits, collected once to the driver (NaN for regression). */
record BenchScorer(PreparedData data, List<DataSet> validationSet, List<DataSet> testSet) {
    double validation(MultiLayerNetwork net) {
        return accuracy(net, validationSet);
    }

    double test(MultiLayerNetwork net) {
        return accuracy(net, testSet);
    }

    /** Test ROC AUC for a binary label (exact, DL4J's ROC without binning); null otherwise. */
    Double testAuc(MultiLayerNetwork net) {
        if (data.plan().classes().size() != 2) {
            return null;
        }
        ROC roc = new ROC(0);
        for (DataSet ds : testSet) {
            roc.eval(ds.getLabels(), net.output(ds.getFeatures(), false));
        }
        return roc.calculateAUC();
    }

    private double accuracy(MultiLayerNetwork net, List<DataSet> split) {
        if (data.plan().classes().isEmpty()) {
            return Double.NaN;
        }
        Evaluation e = new Evaluation(new ArrayList<>(data.plan().classes()));
        for (DataSet ds : split) {
            e.eval(ds.getLabels(), net.output(ds.getFeatures(), false));
        }
        return e.accuracy();
    }
}

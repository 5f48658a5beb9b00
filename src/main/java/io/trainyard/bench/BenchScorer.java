package io.trainyard.bench;

import io.trainyard.data.PreparedData;
import io.trainyard.evaluate.ExactAuc;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/** Accuracy on the validation and test splits, collected once to the driver (NaN for regression). */
record BenchScorer(PreparedData data, List<DataSet> validationSet, List<DataSet> testSet) {
    double validation(MultiLayerNetwork net) {
        return accuracy(net, validationSet);
    }

    double test(MultiLayerNetwork net) {
        return accuracy(net, testSet);
    }

    /** Test ROC AUC for a binary label (exact); null otherwise. */
    Double testAuc(MultiLayerNetwork net) {
        if (data.plan().classes().size() != 2) {
            return null;
        }
        ExactAuc auc = new ExactAuc();
        for (DataSet ds : testSet) {
            auc.eval(ds.getLabels(), net.output(ds.getFeatures(), false));
        }
        return auc.auc();
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

package io.trainyard.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.ROC;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The exact AUC against the pairwise definition, against DL4J's exact ROC, and across a merge. */
class ExactAucTest {
    @Test
    void equalsThePairwiseCountWithTiesCountingHalf() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 3_000;
        float[] scores = new float[n];
        boolean[] positive = new boolean[n];
        ExactAuc auc = new ExactAuc();
        for (int i = 0; i < n; i++) {
            positive[i] = r.nextDouble() < 0.2;
            // Coarse scores so that many tie, shifted up for positives so the AUC is well above 0.5.
            scores[i] = Math.round((r.nextDouble() + (positive[i] ? 0.3 : 0)) * 50) / 80f;
            auc.add(scores[i], positive[i]);
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (positive[i] && !positive[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(wins / pairs, auc.auc(), 1e-12);
        assertTrue(auc.auc() > 0.6, "the test's own scores separate the classes: " + auc.auc());
    }

    @Test
    void agreesWithDl4jsExactRocAndMergesLikeOneEvaluation() {
        SplittableRandom r = new SplittableRandom(8);
        int n = 5_000;
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 1);
        INDArray predictions = Nd4j.zeros(DataType.FLOAT, n, 1);
        for (int i = 0; i < n; i++) {
            boolean pos = r.nextDouble() < 0.3;
            labels.putScalar(i, 0, pos ? 1 : 0);
            predictions.putScalar(i, 0, (float) Math.min(1, Math.max(0, r.nextDouble() * 0.8 + (pos ? 0.2 : 0))));
        }
        ROC roc = new ROC(0);
        roc.eval(labels, predictions);
        ExactAuc whole = new ExactAuc();
        whole.eval(labels, predictions);
        assertEquals(roc.calculateAUC(), whole.auc(), 1e-6); // DL4J sums trapezoids in floating point
        ExactAuc first = new ExactAuc();
        first.eval(
                labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2000)),
                predictions.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2000)));
        ExactAuc second = new ExactAuc();
        second.eval(
                labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2000, n)),
                predictions.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2000, n)));
        first.merge(second);
        assertEquals(whole.auc(), first.auc(), 1e-12);
        // Softmax pairs: the second column is the positive class.
        ExactAuc pairs = new ExactAuc();
        pairs.eval(Nd4j.hstack(labels.rsub(1), labels), Nd4j.hstack(predictions.rsub(1), predictions));
        assertEquals(whole.auc(), pairs.auc(), 1e-6);
    }
}

package io.trainyard.model;

import io.trainyard.spec.ModelSpec;
import io.trainyard.spec.TrainSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/** Builds the DL4J configuration a model spec and training spec describe. No Spark. */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    public static MultiLayerConfiguration mlp(ModelSpec model, TrainSpec train, int inputWidth, OutputHead head) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(model.seed())
                .weightInit(model.weightInit())
                .updater(updater(train))
                .l2(model.l2())
                .list();
        int in = inputWidth;
        for (int width : model.hidden()) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(in).nOut(width).activation(model.activation());
            if (model.dropout() > 0) {
                // DL4J's dropOut takes the probability of keeping an input, the spec the probability of dropping it.
                dense.dropOut(1.0 - model.dropout());
            }
            layers.layer(dense.build());
            in = width;
        }
        layers.layer(new OutputLayer.Builder(head.dl4jLoss()).nIn(in).nOut(head.width())
                .activation(head.activation()).build());
        return layers.build();
    }

    public static IUpdater updater(TrainSpec t) {
        double lr = t.learningRate();
        return switch (t.optimizer()) {
            case SGD -> new Sgd(lr);
            case MOMENTUM, NESTEROVS -> new Nesterovs(lr, t.momentum());
            case ADAM -> new Adam(lr, t.beta1(), t.beta2(), Adam.DEFAULT_ADAM_EPSILON);
            case ADAMAX -> new AdaMax(lr, t.beta1(), t.beta2(), AdaMax.DEFAULT_ADAMAX_EPSILON);
            case NADAM -> new Nadam(lr, t.beta1(), t.beta2(), Nadam.DEFAULT_NADAM_EPSILON);
            case AMSGRAD -> new AMSGrad(lr, t.beta1(), t.beta2(), AMSGrad.DEFAULT_AMSGRAD_EPSILON);
            case RMSPROP -> new RmsProp(lr, RmsProp.DEFAULT_RMSPROP_RMSDECAY, RmsProp.DEFAULT_RMSPROP_EPSILON);
            case ADAGRAD -> new AdaGrad(lr, AdaGrad.DEFAULT_ADAGRAD_EPSILON);
            case ADADELTA -> new AdaDelta();
        };
    }
}

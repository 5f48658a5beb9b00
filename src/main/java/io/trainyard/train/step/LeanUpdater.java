package io.trainyard.train.step;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.NesterovsUpdater;
import org.nd4j.linalg.learning.SgdUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * The network's update as one loop per updater block over its own flat parameters, gradients and updater state: the
 * gradient divided by the batch size, then SGD, momentum (Nesterov) or Adam with the configuration's learning rate
 * and momentum at this iteration and epoch, then the parameters moved, each in float as ND4J's native updater ops
 * compute it.
 *
 * <p>Why: DL4J's updater costs about 100 us a step on a 64-64 network (a division, the updater op and a subtraction,
 * each an ND4J call, and per-step maps of the gradient by layer), a fifth of the lean step; the arithmetic is a few
 * microseconds. Only plain blocks are taken: any regularisation, a parameter DL4J does not divide by the batch size,
 * or another optimiser (a GAN stack's frozen NoOp half) leaves the whole update to DL4J ({@link #of} returns null).
 */
final class LeanUpdater {
    private enum Kind {
        SGD,
        NESTEROVS,
        ADAM
    }

    /** One updater block: flat parameter range {@code [start, end)}, its optimiser, its state (Adam: m then v). */
    private record Block(int start, int end, Kind kind, GradientUpdater<?> updater, FloatBuffer state) {}

    private final List<Block> blocks;
    private final FloatBuffer params;
    private final FloatBuffer gradients;

    private LeanUpdater(List<Block> blocks, FloatBuffer params, FloatBuffer gradients) {
        this.blocks = blocks;
        this.params = params;
        this.gradients = gradients;
    }

    /** The update of {@code net} by {@code updater} as loops, or null when a block is not a plain one. */
    static LeanUpdater of(MultiLayerNetwork net, BaseMultiLayerUpdater<?> updater) {
        if (!net.getLayerWiseConfigurations().getConf(0).isMiniBatch()
                || !NativeView.isDense(net.params())
                || !NativeView.isDense(net.getFlattenedGradients())) {
            return null;
        }
        List<Block> blocks = new ArrayList<>();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            for (UpdaterBlock.ParamState param : block.getLayersAndVariablesInBlock()) {
                Trainable layer = param.getLayer();
                var regularization = layer.getConfig().getRegularizationByParam(param.getParamName());
                if ((regularization != null && !regularization.isEmpty())
                        || !layer.updaterDivideByMinibatch(param.getParamName())) {
                    return null;
                }
            }
            GradientUpdater<?> gradientUpdater = block.getGradientUpdater();
            Kind kind = gradientUpdater.getClass() == AdamUpdater.class
                    ? Kind.ADAM
                    : gradientUpdater.getClass() == NesterovsUpdater.class
                            ? Kind.NESTEROVS
                            : gradientUpdater.getClass() == SgdUpdater.class ? Kind.SGD : null;
            if (kind == null) {
                return null;
            }
            FloatBuffer state = null;
            if (kind != Kind.SGD) {
                if (block.getUpdaterView() == null || !NativeView.isDense(block.getUpdaterView())) {
                    return null;
                }
                state = NativeView.of(block.getUpdaterView()).buffer();
            }
            blocks.add(new Block(block.getParamOffsetStart(), block.getParamOffsetEnd(), kind, gradientUpdater, state));
        }
        return new LeanUpdater(
                blocks,
                NativeView.of(net.params()).buffer(),
                NativeView.of(net.getFlattenedGradients()).buffer());
    }

    /** Updates the parameters from the gradients of a batch of {@code batchSize}; the gradients become the update. */
    void update(int iteration, int epoch, int batchSize) {
        float divisor = batchSize;
        for (Block block : blocks) {
            switch (block.kind()) {
                case SGD -> sgd(block, iteration, epoch, divisor);
                case NESTEROVS -> nesterovs(block, iteration, epoch, divisor);
                case ADAM -> adam(block, iteration, epoch, divisor);
            }
        }
    }

    private void sgd(Block block, int iteration, int epoch, float divisor) {
        float lr = (float) block.updater().getConfig().getLearningRate(iteration, epoch);
        for (int k = block.start(); k < block.end(); k++) {
            float up = lr * (gradients.get(k) / divisor);
            gradients.put(k, up);
            params.put(k, params.get(k) - up);
        }
    }

    private void nesterovs(Block block, int iteration, int epoch, float divisor) {
        Nesterovs config = (Nesterovs) block.updater().getConfig();
        float lr = (float) config.getLearningRate(iteration, epoch);
        float momentum = (float) config.currentMomentum(iteration, epoch);
        FloatBuffer v = block.state();
        for (int k = block.start(), s = 0; k < block.end(); k++, s++) {
            float g = gradients.get(k) / divisor;
            float previous = v.get(s);
            float next = momentum * previous - lr * g;
            v.put(s, next);
            float up = momentum * previous - (momentum + 1f) * next;
            gradients.put(k, up);
            params.put(k, params.get(k) - up);
        }
    }

    private void adam(Block block, int iteration, int epoch, float divisor) {
        Adam config = (Adam) block.updater().getConfig();
        float lr = (float) config.getLearningRate(iteration, epoch);
        float beta1 = (float) config.getBeta1();
        float beta2 = (float) config.getBeta2();
        float epsilon = (float) config.getEpsilon();
        float beta1t = (float) Math.pow(beta1, iteration + 1);
        float beta2t = (float) Math.pow(beta2, iteration + 1);
        float step = lr * (float) Math.sqrt(1f - beta2t) / (1f - beta1t);
        if (Float.isNaN(step) || Float.isInfinite(step) || step == 0f) {
            step = epsilon;
        }
        FloatBuffer state = block.state();
        int length = block.end() - block.start();
        for (int k = block.start(), s = 0; k < block.end(); k++, s++) {
            float g = gradients.get(k) / divisor;
            float m = beta1 * state.get(s) + g * (1f - beta1);
            float v = beta2 * state.get(length + s) + g * g * (1f - beta2);
            state.put(s, m);
            state.put(length + s, v);
            float up = m * step / ((float) Math.sqrt(v) + epsilon);
            gradients.put(k, up);
            params.put(k, params.get(k) - up);
        }
    }
}

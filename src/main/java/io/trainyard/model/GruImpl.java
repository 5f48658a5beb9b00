package io.trainyard.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The GRU layer at work ({@link GruLayer} has the equations): a forward pass over the steps, and backpropagation
 * through time that runs the forward pass again to recover each step's gates (nothing is kept between calls, so no
 * array outlives its workspace). A mask is taken to be right padding (a text's tokens, then padding to the
 * sequence's length, as {@code MinibatchEncoder} pads them): the steps after a row's last token never reach its
 * earlier states, so the layer zeroes their outputs and the gradients arriving at them, which leaves every unmasked
 * step exactly as an unpadded row would have it.
 */
public final class GruImpl extends BaseRecurrentLayer<GruLayer> {
    private static final long serialVersionUID = 1L;

    public GruImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** One forward pass; with {@code keep}, every step's input, previous state and gates, for backpropagation. */
    private record Pass(
            INDArray out,
            INDArray[] x,
            INDArray[] previous,
            INDArray[] z,
            INDArray[] r,
            INDArray[] n,
            INDArray[] resetState) {}

    private Pass forward(boolean training, boolean keep, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = permuteIfNWC(input.castTo(dataType));
        int steps = (int) in.size(2);
        long batch = in.size(0);
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(GruParams.INPUT_WEIGHTS, training, workspaceMgr);
        INDArray u = getParamWithNoise(GruParams.RECURRENT_WEIGHTS, training, workspaceMgr);
        INDArray b = getParamWithNoise(GruParams.BIAS, training, workspaceMgr);
        INDArray uzr = u.get(all(), interval(0, 2 * h));
        INDArray un = u.get(all(), interval(2 * h, 3 * h));

        INDArray out = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, w.dataType(), new long[] {batch, h, steps}, 'f');
        Pass pass = keep
                ? new Pass(
                        out,
                        new INDArray[steps],
                        new INDArray[steps],
                        new INDArray[steps],
                        new INDArray[steps],
                        new INDArray[steps],
                        new INDArray[steps])
                : null;
        INDArray state = Nd4j.zeros(w.dataType(), batch, h);
        for (int t = 0; t < steps; t++) {
            INDArray x = in.get(all(), all(), point(t)).dup('f');
            INDArray gates = x.mmul(w).addiRowVector(b);
            INDArray zr = gates.get(all(), interval(0, 2 * h));
            zr.addi(state.mmul(uzr));
            Transforms.sigmoid(zr, false);
            INDArray z = gates.get(all(), interval(0, h));
            INDArray r = gates.get(all(), interval(h, 2 * h));
            INDArray resetState = r.mul(state);
            INDArray n = gates.get(all(), interval(2 * h, 3 * h));
            n.addi(resetState.mmul(un));
            Transforms.tanh(n, false);
            INDArray next = z.rsub(1.0).muli(n).addi(z.mul(state));
            out.get(all(), all(), point(t)).assign(next);
            if (keep) {
                pass.x()[t] = x;
                pass.previous()[t] = state;
                pass.z()[t] = z.dup('f');
                pass.r()[t] = r.dup('f');
                pass.n()[t] = n.dup('f');
                pass.resetState()[t] = resetState;
            }
            state = next;
        }
        if (maskArray != null) {
            Broadcast.mul(out, maskArray.castTo(out.dataType()), out, 0, 2);
        }
        return keep ? pass : new Pass(permuteIfNWC(out), null, null, null, null, null, null);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(training, false, workspaceMgr).out();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Pass p = forward(true, true, workspaceMgr);
        INDArray eps = permuteIfNWC(epsilon);
        if (maskArray != null) {
            eps = eps.dup('f');
            Broadcast.mul(eps, maskArray.castTo(eps.dataType()), eps, 0, 2);
        }
        long h = layerConf().getNOut();
        int steps = p.x().length;
        INDArray w = getParamWithNoise(GruParams.INPUT_WEIGHTS, true, workspaceMgr);
        INDArray u = getParamWithNoise(GruParams.RECURRENT_WEIGHTS, true, workspaceMgr);
        INDArray uzr = u.get(all(), interval(0, 2 * h));
        INDArray un = u.get(all(), interval(2 * h, 3 * h));
        gradientsFlattened.assign(0);
        INDArray wg = gradientViews.get(GruParams.INPUT_WEIGHTS);
        INDArray ug = gradientViews.get(GruParams.RECURRENT_WEIGHTS);
        INDArray bg = gradientViews.get(GruParams.BIAS);
        INDArray ugzr = ug.get(all(), interval(0, 2 * h));
        INDArray ugn = ug.get(all(), interval(2 * h, 3 * h));

        INDArray in = permuteIfNWC(input.castTo(dataType));
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, w.dataType(), in.shape(), 'f');
        INDArray carried = null;
        for (int t = steps - 1; t >= 0; t--) {
            // dL/dh at this step: from the layer above, plus what the next step sends back.
            INDArray dh = eps.get(all(), all(), point(t)).dup('f');
            if (carried != null) {
                dh.addi(carried);
            }
            INDArray z = p.z()[t];
            INDArray r = p.r()[t];
            INDArray n = p.n()[t];
            INDArray previous = p.previous()[t];
            // Gradients of the gates' pre-activations.
            INDArray dz = dh.mul(previous.sub(n)).muli(z.mul(z.rsub(1.0)));
            INDArray dn = dh.mul(z.rsub(1.0)).muli(n.mul(n).rsubi(1.0));
            INDArray dResetState = dn.mmul(un.transpose());
            INDArray dr = dResetState.mul(previous).muli(r.mul(r.rsub(1.0)));
            INDArray dzr = Nd4j.hstack(dz, dr);
            INDArray dGates = Nd4j.hstack(dzr, dn);

            wg.addi(p.x()[t].transpose().mmul(dGates));
            bg.addi(dGates.sum(0));
            ugzr.addi(previous.transpose().mmul(dzr));
            ugn.addi(p.resetState()[t].transpose().mmul(dn));
            epsOut.get(all(), all(), point(t)).assign(dGates.mmul(w.transpose()));
            carried = dh.mul(z).addi(dResetState.muli(r)).addi(dzr.mmul(uzr.transpose()));
        }
        weightNoiseParams.clear();
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(GruParams.INPUT_WEIGHTS, wg);
        gradient.gradientForVariable().put(GruParams.RECURRENT_WEIGHTS, ug);
        gradient.gradientForVariable().put(GruParams.BIAS, bg);
        return new Pair<>(gradient, permuteIfNWC(backpropDropOutIfPresent(epsOut)));
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(
            INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the GRU layer trains on whole windows (no truncated BPTT)");
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the GRU layer scores whole windows (no step-by-step state)");
    }

    @Override
    public INDArray rnnActivateUsingStoredState(
            INDArray input, boolean training, boolean storeLastForTBPTT, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the GRU layer scores whole windows (no stored state)");
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}

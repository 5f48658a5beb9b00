package io.trainyard.bench;

import io.trainyard.run.Json;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.model.ModelType;
import io.trainyard.spec.train.TrainSpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bench's PyTorch reference: the same MLP (widths, activation, head, Xavier-normal initialisation, dropout),
 * optimiser, learning rate, batch and epochs, trained by Debian's {@code python3-torch} on one thread over the bench's
 * own minibatches, exported once as raw float32 into the run directory. Skipped with one line when no {@code python3}
 * can import torch, or when the network is not one it reproduces; never a test dependency.
 */
final class TorchReference {
    private static final Logger LOG = LoggerFactory.getLogger(TorchReference.class);
    private static final String SCRIPT = "bench/torch_reference.py";
    private static final List<String> INTERPRETERS = List.of("python3", "/usr/bin/python3");

    private TorchReference() {}

    /**
     * What the reference measured: its epochs' seconds, test accuracy (and AUC for a binary label), and its own CPU
     * time, so that the machine's load around it can be told from its own.
     */
    record Result(
            String torch,
            List<Double> epochSeconds,
            double examplesPerSecond,
            double testAccuracy,
            Double auc,
            double cpuSeconds) {}

    /** The reference made ready to run, as often as wanted: the minibatches exported once, the script in place. */
    record Prepared(String python, Path script, Path job) {
        Result run(long examples) {
            try {
                Process p = new ProcessBuilder(python, script.toString(), job.toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor() != 0) {
                    LOG.warn("PyTorch reference failed (exit {}); see its output above", p.exitValue());
                    return null;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> r = Json.MAPPER.readValue(out.substring(out.lastIndexOf('\n') + 1), Map.class);
                @SuppressWarnings("unchecked")
                List<Double> seconds = ((List<Number>) r.get("epoch_seconds"))
                        .stream().map(Number::doubleValue).toList();
                return new Result(
                        String.valueOf(r.get("torch")),
                        seconds,
                        examples / BenchJob.steady(seconds),
                        r.get("test_accuracy") == null ? Double.NaN : ((Number) r.get("test_accuracy")).doubleValue(),
                        r.get("test_auc") == null ? null : ((Number) r.get("test_auc")).doubleValue(),
                        ((Number) r.getOrDefault("cpu_seconds", Double.NaN)).doubleValue());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Exports the minibatches and writes the script, or returns null after logging why the reference is skipped. */
    static Prepared prepare(JobSpec spec, MultiLayerNetwork net, List<DataSet> train, List<DataSet> test, Path dir) {
        String head = head(net);
        String why = spec.model().type() != ModelType.MLP
                ? "it reproduces MLPs, this is " + spec.model().type()
                : head == null ? "it reproduces sigmoid, softmax and identity heads with their usual losses" : null;
        String python = why == null ? interpreter() : null;
        if (why == null && python == null) {
            why = "no python3 here imports torch (Debian: apt-get install python3-torch)";
        }
        if (why != null) {
            LOG.info("PyTorch reference skipped: {}", why);
            return null;
        }
        try {
            Path work = Files.createDirectories(dir.resolve("torch-reference"));
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("inputs", train.get(0).getFeatures().size(1));
            job.put("outputs", train.get(0).getLabels().size(1));
            job.put("hidden", spec.model().hidden());
            job.put("activation", spec.model().activation().name().toLowerCase(Locale.ROOT));
            job.put("dropout", spec.model().dropout());
            job.put("head", head);
            TrainSpec t = spec.train();
            job.put("optimizer", t.optimizer().name().toLowerCase(Locale.ROOT));
            job.put("learning_rate", t.learningRate());
            job.put("momentum", t.momentum());
            job.put("beta1", t.beta1());
            job.put("beta2", t.beta2());
            job.put("epochs", t.epochs());
            job.put("seed", spec.model().seed());
            job.putAll(export(work, "train", train));
            job.putAll(export(work, "test", test));
            Path jobFile = work.resolve("job.json");
            Files.writeString(jobFile, Json.write(job));
            Path script = work.resolve("torch_reference.py");
            try (InputStream in = TorchReference.class.getClassLoader().getResourceAsStream(SCRIPT)) {
                Files.write(script, in.readAllBytes());
            }
            return new Prepared(python, script, jobFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference's name for the output layer's activation and loss, or null when it has none. */
    static String head(MultiLayerNetwork net) {
        var layer = net.getLayer(net.getnLayers() - 1).conf().getLayer();
        if (!(layer instanceof OutputLayer out)) {
            return null;
        }
        ILossFunction loss = out.getLossFn();
        var activation = out.getActivationFn();
        boolean unweighted = !(loss instanceof LossBinaryXENT b && b.getWeights() != null)
                && !(loss instanceof LossMCXENT m && m.getWeights() != null);
        if (!unweighted) {
            return null;
        }
        if (loss instanceof LossBinaryXENT && activation instanceof ActivationSigmoid) {
            return "sigmoid_xent";
        }
        if (loss instanceof LossMCXENT && activation instanceof ActivationSoftmax) {
            return "softmax_mcxent";
        }
        if (loss instanceof LossMSE && activation instanceof ActivationIdentity) {
            return "identity_mse";
        }
        if (loss instanceof LossL1 && activation instanceof ActivationIdentity) {
            return "identity_mae";
        }
        return null;
    }

    private static String interpreter() {
        for (String python : INTERPRETERS) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch")
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not installed under this name: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** Features and labels of every minibatch, concatenated as little-endian float32, and each batch's rows. */
    private static Map<String, Object> export(Path work, String name, List<DataSet> batches) throws IOException {
        Path features = work.resolve(name + "-features.f32");
        Path labels = work.resolve(name + "-labels.f32");
        List<Long> rows = new ArrayList<>();
        try (OutputStream f = new BufferedOutputStream(Files.newOutputStream(features));
                OutputStream l = new BufferedOutputStream(Files.newOutputStream(labels))) {
            for (DataSet ds : batches) {
                write(f, ds.getFeatures());
                write(l, ds.getLabels());
                rows.add(ds.getFeatures().size(0));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(name + "_features", features.toString());
        out.put(name + "_labels", labels.toString());
        out.put(name + "_rows", rows);
        return out;
    }

    private static void write(OutputStream out, INDArray array) throws IOException {
        float[] values = array.dup('c').data().asFloat();
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }
}

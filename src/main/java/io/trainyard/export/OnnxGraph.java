package io.trainyard.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/** A small builder over ONNX's graph messages: float tensors, nodes with int and float attributes, named values. */
final class OnnxGraph {
    /** IR version 7 with opset 13: what ONNX Runtime, PyTorch's importer and onnx's checker all read. */
    static final long IR_VERSION = 7;

    static final long OPSET = 13;

    /** ScatterElements adds (a bag of words' counts) from opset 16 on, which needs IR version 8. */
    static final long SCATTER_ADD_OPSET = 16;

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private int counter;
    private long opset = OPSET;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A float input of shape [batch, width], the batch dimension left free. */
    void input(String name, long width) {
        graph.addInput(value(name, width, Onnx.TensorProto.DataType.FLOAT));
    }

    /** An int64 input of shape [batch, width] (token ids), the batch dimension left free. */
    void longInput(String name, long width) {
        graph.addInput(value(name, width, Onnx.TensorProto.DataType.INT64));
    }

    /** Raises the graph's opset to at least {@code version}, for an operator only newer opsets have. */
    void requireOpset(long version) {
        opset = Math.max(opset, version);
    }

    void output(String name, long width) {
        graph.addOutput(value(name, width, Onnx.TensorProto.DataType.FLOAT));
    }

    void booleanOutput(String name, long width) {
        graph.addOutput(value(name, width, Onnx.TensorProto.DataType.BOOL));
    }

    /** A constant float tensor (row-major {@code values}) named uniquely from {@code hint}; returns its name. */
    String constant(String hint, float[] values, long... dims) {
        String name = hint + "_" + counter++;
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Onnx.TensorProto.Builder tensor =
                Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.FLOAT);
        for (long d : dims) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor.setRawData(ByteString.copyFrom(bytes.array())));
        return name;
    }

    /** A constant copy of a DL4J array (row-major, as float32) with the shape {@code dims}; returns its name. */
    String constant(String hint, INDArray values, long... dims) {
        return constant(hint, values.castTo(DataType.FLOAT).dup('c').data().asFloat(), dims);
    }

    /** A constant int64 vector (a Reshape's target shape) named uniquely from {@code hint}; returns its name. */
    String longs(String hint, long... values) {
        String name = hint + "_" + counter++;
        Onnx.TensorProto.Builder tensor = Onnx.TensorProto.newBuilder()
                .setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64)
                .addDims(values.length);
        for (long v : values) {
            tensor.addInt64Data(v);
        }
        graph.addInitializer(tensor);
        return name;
    }

    /** A node of {@code op} on {@code inputs}; returns the name of its output ({@code output}, or a fresh one). */
    String node(String op, String output, String[] inputs, Onnx.AttributeProto... attributes) {
        String out = output != null ? output : fresh(op);
        add(op, new String[] {out}, inputs, attributes);
        return out;
    }

    /**
     * {@code x} reduced by {@code op} ({@code ReduceMean}, {@code ReduceMax}, {@code ReduceL2}, ...) along {@code axis},
     * kept with size 1 or dropped; the axes are an attribute, as up to opset 17. Returns the output's name
     * ({@code output}, or a fresh one).
     */
    String reduce(String op, String output, String x, long axis, boolean keepDims) {
        return node(
                op, output, new String[] {x}, intsAttribute("axes", axis), intAttribute("keepdims", keepDims ? 1 : 0));
    }

    /** {@code x} cast to ONNX element type {@code type} (a {@code TensorProto.DataType} value); returns its name. */
    String cast(String x, int type) {
        return node("Cast", null, new String[] {x}, intAttribute("to", type));
    }

    /** A node of {@code op} with {@code count} outputs, each named afresh; returns their names in order. */
    String[] nodeWithOutputs(String op, int count, String[] inputs, Onnx.AttributeProto... attributes) {
        String[] outs = new String[count];
        for (int k = 0; k < count; k++) {
            outs[k] = fresh(op);
        }
        add(op, outs, inputs, attributes);
        return outs;
    }

    private String fresh(String op) {
        return op.toLowerCase(java.util.Locale.ROOT) + "_" + counter++;
    }

    private void add(String op, String[] outputs, String[] inputs, Onnx.AttributeProto... attributes) {
        Onnx.NodeProto.Builder node = Onnx.NodeProto.newBuilder().setOpType(op).setName(outputs[0]);
        for (String out : outputs) {
            node.addOutput(out);
        }
        for (String in : inputs) {
            node.addInput(in);
        }
        for (Onnx.AttributeProto a : attributes) {
            node.addAttribute(a);
        }
        graph.addNode(node);
    }

    static Onnx.AttributeProto intAttribute(String name, long value) {
        return Onnx.AttributeProto.newBuilder()
                .setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    static Onnx.AttributeProto intsAttribute(String name, long... values) {
        Onnx.AttributeProto.Builder a =
                Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static Onnx.AttributeProto stringAttribute(String name, String value) {
        return Onnx.AttributeProto.newBuilder()
                .setName(name)
                .setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value))
                .build();
    }

    static Onnx.AttributeProto floatAttribute(String name, float value) {
        return Onnx.AttributeProto.newBuilder()
                .setName(name)
                .setType(Onnx.AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    /** The whole model, ready to write as {@code model.onnx}. */
    byte[] model(String producerVersion, String doc) {
        return Onnx.ModelProto.newBuilder()
                .setIrVersion(opset > OPSET ? IR_VERSION + 1 : IR_VERSION)
                .addOpsetImport(
                        Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setProducerName("trainyard")
                .setProducerVersion(producerVersion)
                .setDocString(doc)
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static Onnx.ValueInfoProto value(String name, long width, Onnx.TensorProto.DataType type) {
        Onnx.TensorShapeProto shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        return Onnx.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(Onnx.TypeProto.newBuilder()
                        .setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                                .setElemType(type)
                                .setShape(shape)))
                .build();
    }
}

package org.tfl4j.parser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.MetadataT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Test fixtures: the real MovieLens models (from the {@code tfl4j.models} folder, skipping when absent)
 * and small models written with the schema's object API, editable before serialization so a test
 * can break exactly one thing.
 */
final class TestModels {

    static final String BOW = "model_history10_top100.tflite";
    static final String CNN = "recommendation_cnn_i10o100.tflite";
    static final String RNN = "recommendation_rnn_i10o100.tflite";
    static final String CNN_GENRE = "recommendation_cnn_i10i32o100.tflite";
    static final List<String> ALL = List.of(BOW, CNN, RNN, CNN_GENRE);

    private TestModels() {}

    /** The folder of the real models; skips the calling test when it is absent. */
    static Path modelsDir() {
        String dir = System.getProperty("tfl4j.models");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "MovieLens models not found (system property tfl4j.models=" + dir + "): test skipped");
        return Path.of(dir);
    }

    static Path model(String name) {
        Path p = modelsDir().resolve(name);
        assumeTrue(Files.isRegularFile(p), "model " + p + " not found: test skipped");
        return p;
    }

    static byte[] modelBytes(String name) {
        try {
            return Files.readAllBytes(model(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ object-API models

    /**
     * A small valid model: x[1,4] → FULLY_CONNECTED(w[3,4], b[3], RELU) → h[1,3] → LOGISTIC → y[1,3].
     * Tensors: 0 x, 1 w (buffer 1), 2 b (buffer 2), 3 h, 4 y. Operator codes: 0 FULLY_CONNECTED, 1 LOGISTIC.
     * Buffers: 0 empty, 1 w (12 floats), 2 b (3 floats), 3 metadata "1.14.0".
     */
    static ModelT smallModel() {
        ModelT m = new ModelT();
        m.setVersion(3);
        m.setDescription("parser test model");
        m.setOperatorCodes(new OperatorCodeT[] {
            opcode(BuiltinOp.FULLY_CONNECTED), opcode(BuiltinOp.LOGISTIC)});
        m.setBuffers(new BufferT[] {
            new BufferT(), floats(new float[12]), floats(0.5f, -1f, 2f), bytes("1.14.0".getBytes())});
        SubGraphT g = new SubGraphT();
        g.setName("main");
        g.setTensors(new TensorT[] {
            tensor("x", TensorType.FLOAT32, new int[] {1, 4}, 0),
            tensor("w", TensorType.FLOAT32, new int[] {3, 4}, 1),
            tensor("b", TensorType.FLOAT32, new int[] {3}, 2),
            tensor("h", TensorType.FLOAT32, new int[] {1, 3}, 0),
            tensor("y", TensorType.FLOAT32, new int[] {1, 3}, 0)});
        org.tensorflow.lite.schema.FullyConnectedOptionsT fc = new org.tensorflow.lite.schema.FullyConnectedOptionsT();
        fc.setFusedActivationFunction(org.tensorflow.lite.schema.ActivationFunctionType.RELU);
        g.setOperators(new OperatorT[] {
            op(0, new int[] {0, 1, 2}, new int[] {3},
                    org.tensorflow.lite.schema.BuiltinOptions.FullyConnectedOptions, fc),
            op(1, new int[] {3}, new int[] {4}, org.tensorflow.lite.schema.BuiltinOptions.NONE, null)});
        g.setInputs(new int[] {0});
        g.setOutputs(new int[] {4});
        m.setSubgraphs(new SubGraphT[] {g});
        MetadataT meta = new MetadataT();
        meta.setName("min_runtime_version");
        meta.setBuffer(3);
        m.setMetadata(new MetadataT[] {meta});
        return m;
    }

    /** A model of one subgraph with one op {@code builtin} carrying the given options (null = none). */
    static ModelT singleOp(int builtin, byte optionsType, Object options, TensorT[] tensors, int[] in, int[] out) {
        ModelT m = new ModelT();
        m.setVersion(3);
        m.setOperatorCodes(new OperatorCodeT[] {opcode(builtin)});
        m.setBuffers(new BufferT[] {new BufferT()});
        SubGraphT g = new SubGraphT();
        g.setTensors(tensors);
        g.setOperators(new OperatorT[] {op(0, in, out, optionsType, options)});
        g.setInputs(in.length > 0 && in[0] >= 0 ? new int[] {in[0]} : new int[0]);
        g.setOutputs(out);
        m.setSubgraphs(new SubGraphT[] {g});
        return m;
    }

    /** {@code singleOp} with two float tensors [2, 2] (0 in, 1 out). */
    static ModelT singleOp(int builtin, byte optionsType, Object options) {
        return singleOp(builtin, optionsType, options, new TensorT[] {
            tensor("in", TensorType.FLOAT32, new int[] {2, 2}, 0),
            tensor("out", TensorType.FLOAT32, new int[] {2, 2}, 0)}, new int[] {0}, new int[] {1});
    }

    static OperatorCodeT opcode(int builtin) {
        OperatorCodeT oc = new OperatorCodeT();
        oc.setBuiltinCode(builtin);
        oc.setDeprecatedBuiltinCode((byte) Math.min(builtin, 127));
        oc.setVersion(1);
        return oc;
    }

    static TensorT tensor(String name, TensorType type, int[] shape, int buffer) {
        TensorT t = new TensorT();
        t.setName(name);
        t.setType((byte) type.code);
        t.setShape(shape);
        t.setBuffer(buffer);
        return t;
    }

    static OperatorT op(int opcodeIndex, int[] in, int[] out, byte optionsType, Object options) {
        OperatorT o = new OperatorT();
        o.setOpcodeIndex(opcodeIndex);
        o.setInputs(in);
        o.setOutputs(out);
        if (options != null || optionsType != 0) {
            BuiltinOptionsUnion u = new BuiltinOptionsUnion();
            u.setType(optionsType);
            u.setValue(options);
            o.setBuiltinOptions(u);
        }
        return o;
    }

    static BufferT floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return bytes(b.array());
    }

    static BufferT ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return bytes(b.array());
    }

    static BufferT bytes(byte[] data) {
        int[] d = new int[data.length];
        for (int i = 0; i < data.length; i++) d[i] = data[i] & 0xFF;
        BufferT b = new BufferT();
        b.setData(d);
        return b;
    }

    static byte[] serialize(ModelT m) {
        return m.serializeToBinary();
    }

    static TfliteModel parse(ModelT m) {
        return TfliteParser.parse(serialize(m));
    }

    // ------------------------------------------------------------------ hand-built FlatBuffers

    /**
     * A model whose buffer 1 keeps its data outside the FlatBuffer (Buffer.offset / Buffer.size, the
     * layout of models over 2 GB). The generated 0.4.4 classes predate those fields, so the Buffer tables
     * are written field by field. One constant tensor "w" FLOAT32[n] on buffer 1, as the subgraph output.
     *
     * @param payload the external bytes, appended after the FlatBuffer (16-byte aligned)
     * @param offsetDelta added to the true offset of the payload (0 = correct)
     * @param size the Buffer.size to write (usually payload.length)
     * @param elements n, the tensor's length
     */
    static byte[] externalBufferModel(byte[] payload, long offsetDelta, long size, int elements) {
        byte[] first = externalFlatBuffer(2, size, elements); // placeholder offset: same layout, any value > 0
        long payloadOffset = (first.length + 15) / 16 * 16;
        byte[] fb = externalFlatBuffer(payloadOffset + offsetDelta, size, elements);
        if (fb.length != first.length) throw new AssertionError("layout changed with the offset value");
        byte[] file = new byte[(int) payloadOffset + payload.length];
        System.arraycopy(fb, 0, file, 0, fb.length);
        System.arraycopy(payload, 0, file, (int) payloadOffset, payload.length);
        return file;
    }

    private static byte[] externalFlatBuffer(long offset, long size, int elements) {
        FlatBufferBuilder b = new FlatBufferBuilder(256);
        b.startTable(3);
        int empty = b.endTable();
        b.startTable(3);
        b.addLong(1, offset, 0L);
        b.addLong(2, size, 0L);
        int external = b.endTable();
        int buffers = org.tensorflow.lite.schema.Model.createBuffersVector(b, new int[] {empty, external});
        SubGraphT g = new SubGraphT();
        g.setName("main");
        g.setTensors(new TensorT[] {tensor("w", TensorType.FLOAT32, new int[] {elements}, 1)});
        g.setInputs(new int[0]);
        g.setOutputs(new int[] {0});
        int sg = org.tensorflow.lite.schema.SubGraph.pack(b, g);
        int subgraphs = org.tensorflow.lite.schema.Model.createSubgraphsVector(b, new int[] {sg});
        org.tensorflow.lite.schema.Model.startModel(b);
        org.tensorflow.lite.schema.Model.addVersion(b, 3);
        org.tensorflow.lite.schema.Model.addSubgraphs(b, subgraphs);
        org.tensorflow.lite.schema.Model.addBuffers(b, buffers);
        int model = org.tensorflow.lite.schema.Model.endModel(b);
        org.tensorflow.lite.schema.Model.finishModelBuffer(b, model);
        return b.sizedByteArray();
    }

    /**
     * A tiny file that makes a naive reader do {@code subgraphs × tensors × rank} work: every entry of
     * the subgraph vector points at one subgraph, whose tensor vector points at one tensor again and again.
     */
    static byte[] sharedStructureBomb(int subgraphs, int tensors, int rank) {
        FlatBufferBuilder b = new FlatBufferBuilder(1 << 16);
        int shape = org.tensorflow.lite.schema.Tensor.createShapeVector(b, new int[rank]);
        org.tensorflow.lite.schema.Tensor.startTensor(b);
        org.tensorflow.lite.schema.Tensor.addShape(b, shape);
        int tensor = org.tensorflow.lite.schema.Tensor.endTensor(b);
        int[] tensorRefs = new int[tensors];
        java.util.Arrays.fill(tensorRefs, tensor);
        int tensorVector = org.tensorflow.lite.schema.SubGraph.createTensorsVector(b, tensorRefs);
        org.tensorflow.lite.schema.SubGraph.startSubGraph(b);
        org.tensorflow.lite.schema.SubGraph.addTensors(b, tensorVector);
        int subgraph = org.tensorflow.lite.schema.SubGraph.endSubGraph(b);
        int[] subgraphRefs = new int[subgraphs];
        java.util.Arrays.fill(subgraphRefs, subgraph);
        int subgraphVector = org.tensorflow.lite.schema.Model.createSubgraphsVector(b, subgraphRefs);
        b.startTable(1);
        int emptyBuffer = b.endTable();
        int buffers = org.tensorflow.lite.schema.Model.createBuffersVector(b, new int[] {emptyBuffer});
        org.tensorflow.lite.schema.Model.startModel(b);
        org.tensorflow.lite.schema.Model.addVersion(b, 3);
        org.tensorflow.lite.schema.Model.addSubgraphs(b, subgraphVector);
        org.tensorflow.lite.schema.Model.addBuffers(b, buffers);
        int model = org.tensorflow.lite.schema.Model.endModel(b);
        org.tensorflow.lite.schema.Model.finishModelBuffer(b, model);
        return b.sizedByteArray();
    }

    /** Byte range [start, end) of buffer {@code b}'s data, read with the generated accessors ({0, 0} if none). */
    static int[] dataRange(byte[] file, int b) {
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer d = org.tensorflow.lite.schema.Model.getRootAsModel(bb).buffers(b).dataAsByteBuffer();
        return d == null ? new int[2] : new int[] {d.position(), d.limit()};
    }

    /** Byte ranges [start, end) of every Buffer.data payload of a valid model (where flips mean nothing). */
    static List<int[]> dataRanges(byte[] file) {
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        org.tensorflow.lite.schema.Model m = org.tensorflow.lite.schema.Model.getRootAsModel(bb);
        List<int[]> ranges = new ArrayList<>();
        for (int i = 0; i < m.buffersLength(); i++) {
            ByteBuffer d = m.buffers(i).dataAsByteBuffer();
            if (d != null && d.hasRemaining()) ranges.add(new int[] {d.position(), d.limit()});
        }
        return ranges;
    }
}

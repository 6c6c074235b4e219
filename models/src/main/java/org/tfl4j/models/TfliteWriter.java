package org.tfl4j.models;

import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code .tflite} files with the TFLite schema's object API ({@code ModelT.serializeToBinary()}):
 * subgraphs of tensors, constants and builtin operators, and signatures. The low-level writer under the
 * dual-encoder builders, the conformance op sweeps and the fuzz corpora.
 *
 * <pre>{@code
 * TfliteWriter w = new TfliteWriter();
 * TfliteWriter.Graph g = w.graph("main");
 * int x = g.tensor("x", TensorType.FLOAT32, 1, 4);
 * int y = g.tensor("y", TensorType.FLOAT32, 1, 4);
 * g.op(BuiltinOp.LOGISTIC, null, new int[] {x}, new int[] {y});
 * g.inputs(x).outputs(y);
 * byte[] file = w.toBytes();
 * }</pre>
 */
public final class TfliteWriter {
    private final List<BufferT> buffers = new ArrayList<>();
    private final Map<Integer, Integer> opcodeIndex = new LinkedHashMap<>();
    private final List<OperatorCodeT> opcodes = new ArrayList<>();
    private final List<Graph> graphs = new ArrayList<>();
    private final List<SignatureDefT> signatures = new ArrayList<>();
    private String description = "written by tfl4j";

    public TfliteWriter() {
        buffers.add(new BufferT()); // buffer 0: the schema's empty sentinel
    }

    /** The model's description string. */
    public TfliteWriter description(String text) {
        this.description = text;
        return this;
    }

    /** Adds a subgraph; the first one added is the main subgraph (index 0). */
    public Graph graph(String name) {
        Graph g = new Graph(name, graphs.size());
        graphs.add(g);
        return g;
    }

    /** Adds a signature over subgraph {@code graph}: input and output names mapped to tensor indices. */
    public TfliteWriter signature(String key, Graph graph, Map<String, Integer> inputs, Map<String, Integer> outputs) {
        SignatureDefT s = new SignatureDefT();
        s.setSignatureKey(key);
        s.setSubgraphIndex(graph.index);
        s.setInputs(tensorMaps(inputs));
        s.setOutputs(tensorMaps(outputs));
        signatures.add(s);
        return this;
    }

    private static TensorMapT[] tensorMaps(Map<String, Integer> names) {
        List<TensorMapT> maps = new ArrayList<>();
        for (var e : names.entrySet()) {
            TensorMapT m = new TensorMapT();
            m.setName(e.getKey());
            m.setTensorIndex(e.getValue());
            maps.add(m);
        }
        return maps.toArray(new TensorMapT[0]);
    }

    /** The serialized model. */
    public byte[] toBytes() {
        if (graphs.isEmpty()) throw new IllegalStateException("a model needs at least one subgraph");
        ModelT m = new ModelT();
        m.setVersion(3);
        m.setDescription(description);
        m.setOperatorCodes(opcodes.toArray(new OperatorCodeT[0]));
        SubGraphT[] sg = new SubGraphT[graphs.size()];
        for (int i = 0; i < sg.length; i++) sg[i] = graphs.get(i).toSchema();
        m.setSubgraphs(sg);
        m.setBuffers(buffers.toArray(new BufferT[0]));
        m.setSignatureDefs(signatures.toArray(new SignatureDefT[0]));
        return m.serializeToBinary();
    }

    private int opcode(int builtinCode) {
        return opcodeIndex.computeIfAbsent(builtinCode, code -> {
            OperatorCodeT oc = new OperatorCodeT();
            oc.setBuiltinCode(code);
            // Old readers look at the deprecated byte; codes above 127 put the placeholder 127 there.
            oc.setDeprecatedBuiltinCode((byte) Math.min(code, 127));
            oc.setVersion(1);
            opcodes.add(oc);
            return opcodes.size() - 1;
        });
    }

    private int buffer(byte[] data) {
        BufferT b = new BufferT();
        int[] unsigned = new int[data.length]; // the object API keeps a [ubyte] vector as int[]
        for (int i = 0; i < data.length; i++) unsigned[i] = data[i] & 0xff;
        b.setData(unsigned);
        buffers.add(b);
        return buffers.size() - 1;
    }

    /** One subgraph under construction. Tensor and operator indices are given in the order added. */
    public final class Graph {
        private final String name;
        private final int index;
        private final List<TensorT> tensors = new ArrayList<>();
        private final List<OperatorT> ops = new ArrayList<>();
        private int[] inputs = new int[0];
        private int[] outputs = new int[0];

        private Graph(String name, int index) {
            this.name = name;
            this.index = index;
        }

        /** This subgraph's index in the model. */
        public int index() {
            return index;
        }

        /** An activation tensor (no data); returns its index. */
        public int tensor(String tensorName, TensorType type, int... shape) {
            return addTensor(tensorName, type, shape, 0, false);
        }

        /** A variable tensor (state kept across runs, such as an LSTM's h and c). */
        public int variable(String tensorName, TensorType type, int... shape) {
            return addTensor(tensorName, type, shape, 0, true);
        }

        /** A float32 constant. */
        public int constant(String tensorName, int[] shape, float[] values) {
            ByteBuffer b = little(values.length * 4);
            for (float v : values) b.putFloat(v);
            return constant(tensorName, TensorType.FLOAT32, shape, b.array(), values.length);
        }

        /** An int32 constant. */
        public int constant(String tensorName, int[] shape, int[] values) {
            ByteBuffer b = little(values.length * 4);
            for (int v : values) b.putInt(v);
            return constant(tensorName, TensorType.INT32, shape, b.array(), values.length);
        }

        /** An int64 constant. */
        public int constant(String tensorName, int[] shape, long[] values) {
            ByteBuffer b = little(values.length * 8);
            for (long v : values) b.putLong(v);
            return constant(tensorName, TensorType.INT64, shape, b.array(), values.length);
        }

        /** A bool constant. */
        public int constant(String tensorName, int[] shape, boolean[] values) {
            byte[] b = new byte[values.length];
            for (int i = 0; i < b.length; i++) b[i] = (byte) (values[i] ? 1 : 0);
            return constant(tensorName, TensorType.BOOL, shape, b, values.length);
        }

        /** A constant with raw little-endian bytes (any type, even a malformed one: the writer does not judge). */
        public int constantBytes(String tensorName, TensorType type, int[] shape, byte[] data) {
            return addTensor(tensorName, type, shape, buffer(data), false);
        }

        private int constant(String tensorName, TensorType type, int[] shape, byte[] data, int count) {
            long elements = 1;
            for (int d : shape) elements *= d;
            if (elements != count) {
                throw new IllegalArgumentException("constant '" + tensorName + "' has " + count
                        + " values for shape " + java.util.Arrays.toString(shape));
            }
            return addTensor(tensorName, type, shape, buffer(data), false);
        }

        private int addTensor(String tensorName, TensorType type, int[] shape, int bufferIndex, boolean variable) {
            TensorT t = new TensorT();
            t.setName(tensorName);
            t.setType((byte) type.code);
            t.setShape(shape.clone());
            t.setBuffer(bufferIndex);
            t.setIsVariable(variable);
            tensors.add(t);
            return tensors.size() - 1;
        }

        /**
         * A builtin operator. {@code options} is one of the schema's {@code *OptionsT} objects (for example
         * {@code Conv2DOptionsT}), or null for an op without options. Index -1 in {@code in} marks an
         * absent optional input. Returns the operator's index.
         */
        public int op(int builtinCode, Object options, int[] in, int[] out) {
            OperatorT op = new OperatorT();
            op.setOpcodeIndex(opcode(builtinCode));
            op.setInputs(in.clone());
            op.setOutputs(out.clone());
            if (options != null) op.setBuiltinOptions(union(options));
            ops.add(op);
            return ops.size() - 1;
        }

        /** The subgraph's input tensors. */
        public Graph inputs(int... tensorIndices) {
            this.inputs = tensorIndices.clone();
            return this;
        }

        /** The subgraph's output tensors. */
        public Graph outputs(int... tensorIndices) {
            this.outputs = tensorIndices.clone();
            return this;
        }

        private SubGraphT toSchema() {
            SubGraphT g = new SubGraphT();
            g.setName(name);
            g.setTensors(tensors.toArray(new TensorT[0]));
            g.setOperators(ops.toArray(new OperatorT[0]));
            g.setInputs(inputs);
            g.setOutputs(outputs);
            return g;
        }
    }

    /** Wraps an {@code XxxOptionsT} in the union, its type code found by name in {@link BuiltinOptions}. */
    static BuiltinOptionsUnion union(Object options) {
        String simple = options.getClass().getSimpleName();
        if (!simple.endsWith("OptionsT") || !options.getClass().getPackageName().equals("org.tensorflow.lite.schema")) {
            throw new IllegalArgumentException("not a builtin options object of the TFLite schema: " + options.getClass().getName());
        }
        byte type;
        try {
            type = BuiltinOptions.class.getField(simple.substring(0, simple.length() - 1)).getByte(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("the schema's BuiltinOptions union has no member " + simple, e);
        }
        BuiltinOptionsUnion u = new BuiltinOptionsUnion();
        u.setType(type);
        u.setValue(options);
        return u;
    }

    private static ByteBuffer little(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}

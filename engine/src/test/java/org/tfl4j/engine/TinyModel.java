package org.tfl4j.engine;

import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds small single-subgraph .tflite models with the schema's object API, for engine tests. */
final class TinyModel {
    private final List<BufferT> buffers = new ArrayList<>(List.of(new BufferT()));
    private final List<OperatorCodeT> opcodes = new ArrayList<>();
    private final List<TensorT> tensors = new ArrayList<>();
    private final List<OperatorT> ops = new ArrayList<>();
    private final List<SignatureDefT> signatures = new ArrayList<>();

    int tensor(String name, byte type, int... shape) {
        TensorT t = new TensorT();
        t.setName(name);
        t.setType(type);
        t.setShape(shape);
        t.setBuffer(0);
        tensors.add(t);
        return tensors.size() - 1;
    }

    int variable(String name, byte type, int... shape) {
        int t = tensor(name, type, shape);
        tensors.get(t).setIsVariable(true);
        return t;
    }

    int constInts(String name, int[] shape, int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        return constant(name, org.tensorflow.lite.schema.TensorType.INT32, shape, b.array());
    }

    int constFloats(String name, int[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return constant(name, org.tensorflow.lite.schema.TensorType.FLOAT32, shape, b.array());
    }

    private int constant(String name, byte type, int[] shape, byte[] bytes) {
        BufferT buf = new BufferT();
        int[] data = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) data[i] = bytes[i] & 0xff;
        buf.setData(data);
        buffers.add(buf);
        int t = tensor(name, type, shape);
        tensors.get(t).setBuffer(buffers.size() - 1);
        return t;
    }

    void op(int builtin, byte optionsType, Object options, int[] inputs, int[] outputs) {
        int code = -1;
        for (int i = 0; i < opcodes.size(); i++) if (opcodes.get(i).getBuiltinCode() == builtin) code = i;
        if (code < 0) {
            OperatorCodeT oc = new OperatorCodeT();
            oc.setBuiltinCode(builtin);
            oc.setDeprecatedBuiltinCode((byte) Math.min(builtin, 127));
            oc.setVersion(1);
            opcodes.add(oc);
            code = opcodes.size() - 1;
        }
        OperatorT o = new OperatorT();
        o.setOpcodeIndex(code);
        o.setInputs(inputs);
        o.setOutputs(outputs);
        if (options != null) {
            BuiltinOptionsUnion u = new BuiltinOptionsUnion();
            u.setType(optionsType);
            u.setValue(options);
            o.setBuiltinOptions(u);
        }
        ops.add(o);
    }

    void signature(String key, String[] inNames, int[] inTensors, String[] outNames, int[] outTensors) {
        SignatureDefT s = new SignatureDefT();
        s.setSignatureKey(key);
        s.setSubgraphIndex(0);
        s.setInputs(maps(inNames, inTensors));
        s.setOutputs(maps(outNames, outTensors));
        signatures.add(s);
    }

    private static TensorMapT[] maps(String[] names, int[] tensors) {
        TensorMapT[] m = new TensorMapT[names.length];
        for (int i = 0; i < names.length; i++) {
            m[i] = new TensorMapT();
            m[i].setName(names[i]);
            m[i].setTensorIndex(tensors[i]);
        }
        return m;
    }

    ByteBuffer build(int[] inputs, int[] outputs) {
        SubGraphT g = new SubGraphT();
        g.setName("main");
        g.setTensors(tensors.toArray(new TensorT[0]));
        g.setOperators(ops.toArray(new OperatorT[0]));
        g.setInputs(inputs);
        g.setOutputs(outputs);
        ModelT m = new ModelT();
        m.setVersion(3);
        m.setDescription("tfl4j test model");
        m.setOperatorCodes(opcodes.toArray(new OperatorCodeT[0]));
        m.setSubgraphs(new SubGraphT[] {g});
        m.setBuffers(buffers.toArray(new BufferT[0]));
        m.setSignatureDefs(signatures.toArray(new SignatureDefT[0]));
        return ByteBuffer.wrap(m.serializeToBinary());
    }
}

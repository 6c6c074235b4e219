package org.tfl4j.cli;

import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;
import org.tfl4j.parser.BuiltinOp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small hand-built .tflite model for CLI tests. */
final class TinyModels {
    private TinyModels() {}

    // x float32[2,3], c = const float32[3] {1, 2, 4}, ids int32[4], shape = const int32[2] {2, 2}:
    //   op 0 MUL(x, c) -> y float32[2,3]; op 1 MUL(y, c) -> w float32[2,3] (= x * {1, 4, 16});
    //   op 2 RESHAPE(ids, shape) -> z int32[2,2].
    // Inputs: 0 = x, 1 = ids. Outputs: 0 = z, 1 = w.
    // Constants: c is used twice (3 params, 12 bytes), shape once (2 params, 8 bytes).

    /** Writes the model to {@code dir/name} and returns the path. */
    static Path scaleAndReshape(Path dir, String name) throws IOException {
        BufferT empty = new BufferT();
        BufferT c = buffer(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(4));
        BufferT shape = buffer(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(2).putInt(2));
        TensorT[] tensors = {
            tensor("x", TensorType.FLOAT32, 0, 2, 3),      // 0
            tensor("c", TensorType.FLOAT32, 1, 3),         // 1
            tensor("ids", TensorType.INT32, 0, 4),         // 2
            tensor("shape", TensorType.INT32, 2, 2),       // 3
            tensor("y", TensorType.FLOAT32, 0, 2, 3),      // 4
            tensor("w", TensorType.FLOAT32, 0, 2, 3),      // 5
            tensor("z", TensorType.INT32, 0, 2, 2),        // 6
        };
        OperatorCodeT mul = code(BuiltinOp.MUL);
        OperatorCodeT reshape = code(BuiltinOp.RESHAPE);
        OperatorT[] ops = {
            op(0, new int[] {0, 1}, new int[] {4}, true),
            op(0, new int[] {4, 1}, new int[] {5}, true),
            op(1, new int[] {2, 3}, new int[] {6}, false),
        };
        SubGraphT g = new SubGraphT();
        g.setName("main");
        g.setTensors(tensors);
        g.setOperators(ops);
        g.setInputs(new int[] {0, 2});
        g.setOutputs(new int[] {6, 5});
        ModelT m = new ModelT();
        m.setVersion(3);
        m.setDescription("tfl4j cli test model");
        m.setOperatorCodes(new OperatorCodeT[] {mul, reshape});
        m.setSubgraphs(new SubGraphT[] {g});
        m.setBuffers(new BufferT[] {empty, c, shape});
        Path file = dir.resolve(name);
        Files.write(file, m.serializeToBinary());
        return file;
    }

    private static BufferT buffer(ByteBuffer bytes) {
        BufferT b = new BufferT();
        byte[] a = bytes.array();
        int[] data = new int[a.length];
        for (int i = 0; i < a.length; i++) data[i] = a[i] & 0xff;
        b.setData(data);
        return b;
    }

    private static TensorT tensor(String name, byte type, int buffer, int... shape) {
        TensorT t = new TensorT();
        t.setName(name);
        t.setType(type);
        t.setShape(shape);
        t.setBuffer(buffer);
        return t;
    }

    private static OperatorCodeT code(int builtin) {
        OperatorCodeT oc = new OperatorCodeT();
        oc.setBuiltinCode(builtin);
        oc.setDeprecatedBuiltinCode((byte) builtin);
        oc.setVersion(1);
        return oc;
    }

    private static OperatorT op(int code, int[] in, int[] out, boolean mulOptions) {
        OperatorT o = new OperatorT();
        o.setOpcodeIndex(code);
        o.setInputs(in);
        o.setOutputs(out);
        if (mulOptions) {
            BuiltinOptionsUnion u = new BuiltinOptionsUnion();
            u.setType(BuiltinOptions.MulOptions);
            u.setValue(new MulOptionsT());
            o.setBuiltinOptions(u);
        }
        return o;
    }
}

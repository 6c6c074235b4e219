package org.tfl4j.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four published MovieLens models parse into the graphs described in
 * shared/spec/recommendation-models.md §2 and §4 (expected values are taken from the spec, not from
 * the parser's output).
 */
class RealModelsTest {

    private static final int RESHAPE = BuiltinOp.RESHAPE, NOT_EQUAL = BuiltinOp.NOT_EQUAL, CAST = BuiltinOp.CAST,
            GATHER = BuiltinOp.GATHER, MUL = BuiltinOp.MUL, FC = BuiltinOp.FULLY_CONNECTED, TOPK = BuiltinOp.TOPK_V2,
            LOGISTIC = BuiltinOp.LOGISTIC, CONV = BuiltinOp.CONV_2D, REDUCE_MAX = BuiltinOp.REDUCE_MAX,
            SUM = BuiltinOp.SUM, DIV = BuiltinOp.DIV, SELECT = BuiltinOp.SELECT,
            LSTM = BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, STRIDED_SLICE = BuiltinOp.STRIDED_SLICE,
            CONCAT = BuiltinOp.CONCATENATION;

    private static TfliteModel parse(String name) throws IOException {
        TfliteModel m = TfliteParser.parse(TestModels.model(name));
        ModelInvariants.check(m);
        return m;
    }

    private static void assertOpcodes(Subgraph g, int... expected) {
        int[] actual = g.operators().stream().mapToInt(Operator::opcode).toArray();
        assertArrayEquals(expected, actual, () -> "op codes of " + g.operators());
    }

    private static void assertTensor(Tensor t, String name, TensorType type, int... shape) {
        assertEquals(name, t.name(), () -> "name of " + t);
        assertEquals(type, t.type(), () -> "type of " + t);
        assertArrayEquals(shape, t.shape(), () -> "shape of " + t);
    }

    /** Inputs 0 .. 3 of {@code op} as tensors (−1 kept as null). */
    private static Tensor in(Subgraph g, Operator op, int slot) {
        int i = op.input(slot);
        return i < 0 ? null : g.tensor(i);
    }

    private static int[] int32s(Tensor t) {
        ByteBuffer b = t.data();
        int[] v = new int[t.elementCount()];
        for (int i = 0; i < v.length; i++) v[i] = b.getInt(4 * i);
        return v;
    }

    /** Common metadata of all four files (spec §4). */
    private static void assertCommon(TfliteModel m, long fileSize) {
        assertEquals(3, m.version());
        assertEquals("MLIR Converted.", m.description());
        assertEquals("1.14.0", m.metadataString("min_runtime_version"));
        assertEquals(fileSize, m.fileSize());
        for (Subgraph g : m.subgraphs()) {
            for (Operator op : g.operators()) assertEquals(1, op.version(), () -> "version of " + op);
            for (Tensor t : g.tensors()) assertFalse(t.quantized(), () -> t + " quantized");
        }
    }

    /** The shared head of every graph: FC(no bias) with the label table, RESHAPE [3953], TOPK_V2 100, LOGISTIC. */
    private static void assertServingHead(Subgraph g, int labelDim) {
        List<Operator> ops = g.operators();
        int n = ops.size();
        Operator label = ops.get(n - 4);
        assertEquals(FC, label.opcode());
        assertEquals(-1, label.input(2), "label FC has no bias");
        assertTensor(in(g, label, 1), in(g, label, 1).name(), TensorType.FLOAT32, 3953, labelDim);
        assertEquals(3953 * labelDim * 4, in(g, label, 1).data().remaining());
        assertEquals(Activation.NONE, ((OpOptions.FullyConnected) label.options()).activation());
        assertArrayEquals(new int[] {3953}, g.tensor(ops.get(n - 3).output(0)).shape());
        Operator topk = ops.get(n - 2);
        Tensor k = in(g, topk, 1);
        assertEquals(TensorType.INT32, k.type());
        assertEquals(0, k.rank(), "k is a scalar");
        assertArrayEquals(new int[] {100}, int32s(k));
        assertInstanceOf(OpOptions.None.class, topk.options());
        assertInstanceOf(OpOptions.None.class, ops.get(n - 1).options());
    }

    @Test
    void rnn() throws IOException {
        TfliteModel m = parse(TestModels.RNN);
        assertCommon(m, 521_496);
        assertTrue(m.signatureDefs().isEmpty());
        assertEquals(2, m.subgraphs().size());
        Subgraph noOp = m.subgraphs().get(1);
        assertEquals("NoOp", noOp.name());
        assertTrue(noOp.tensors().isEmpty() && noOp.operators().isEmpty());
        assertEquals(0, noOp.inputs().length + noOp.outputs().length);

        Subgraph g = m.mainSubgraph();
        assertEquals("main", g.name());
        assertEquals(44, g.tensors().size());
        assertOpcodes(g, RESHAPE, NOT_EQUAL, CAST, RESHAPE, GATHER, MUL, LSTM, STRIDED_SLICE, FC, FC, FC, RESHAPE,
                TOPK, LOGISTIC);
        assertArrayEquals(new int[] {0}, g.inputs());
        assertTensor(g.input(0), "serving_default_context:0", TensorType.INT32, 10);
        assertEquals(2, g.outputs().length);
        assertTensor(g.output(0), "StatefulPartitionedCall:0", TensorType.INT32, 100);
        assertTensor(g.output(1), "StatefulPartitionedCall:1", TensorType.FLOAT32, 100);

        Operator gather = g.operators().get(4);
        assertArrayEquals(new int[] {3953, 16}, in(g, gather, 0).shape());
        assertEquals(new OpOptions.Gather(0, 0), gather.options());

        Operator lstm = g.operators().get(6);
        assertEquals(new OpOptions.UnidirectionalSequenceLstm(Activation.TANH, 10f, 0f, false, false, false),
                lstm.options());
        assertEquals(24, lstm.inputCount());
        assertArrayEquals(new int[] {1, 10, 16}, g.tensor(lstm.output(0)).shape());
        for (int slot = 1; slot <= 8; slot++) {
            assertArrayEquals(new int[] {16, 16}, in(g, lstm, slot).shape(), "LSTM weight slot " + slot);
            assertTrue(in(g, lstm, slot).isConstant());
        }
        for (int slot : new int[] {9, 10, 11, 16, 17, 20, 21, 22, 23}) {
            assertEquals(-1, lstm.input(slot), "absent LSTM input slot " + slot);
        }
        for (int slot = 12; slot <= 15; slot++) {
            assertArrayEquals(new int[] {16}, in(g, lstm, slot).shape(), "LSTM bias slot " + slot);
        }
        for (int slot : new int[] {18, 19}) {
            Tensor state = in(g, lstm, slot);
            assertTrue(state.isVariable(), state + " is variable");
            assertEquals(0, state.buffer());
            assertNull(state.data());
            assertArrayEquals(new int[] {1, 16}, state.shape());
        }
        // Keras' unit_forget_bias: the forget-gate bias (slot 13) starts at 1 and stays near it.
        ByteBuffer forgetBias = in(g, lstm, 13).data();
        for (int i = 0; i < 16; i++) {
            float b = forgetBias.getFloat(4 * i);
            assertTrue(b > 0.5f && b < 1.5f, "forget bias " + i + " = " + b);
        }

        Operator slice = g.operators().get(7);
        assertEquals(new OpOptions.StridedSlice(5, 5, 0, 0, 2, false), slice.options());
        assertArrayEquals(new int[] {0, -1, 0}, int32s(in(g, slice, 1)));
        assertArrayEquals(new int[] {0, 0, 0}, int32s(in(g, slice, 2)));
        assertArrayEquals(new int[] {1, 1, 1}, int32s(in(g, slice, 3)));
        assertArrayEquals(new int[] {1, 16}, g.tensor(slice.output(0)).shape());

        for (int j : new int[] {8, 9}) {
            Operator fc = g.operators().get(j);
            assertEquals(new OpOptions.FullyConnected(Activation.RELU, 0, false, false), fc.options());
            assertArrayEquals(new int[] {16, 16}, in(g, fc, 1).shape());
            assertArrayEquals(new int[] {16}, in(g, fc, 2).shape());
        }
        assertServingHead(g, 16);
        assertConstantBytes(m, TestModels.RNN);
    }

    @Test
    void cnn() throws IOException {
        TfliteModel m = parse(TestModels.CNN);
        assertCommon(m, 556_832);
        assertEquals(1, m.subgraphs().size());
        Subgraph g = m.mainSubgraph();
        assertEquals(37, g.tensors().size());
        assertOpcodes(g, RESHAPE, NOT_EQUAL, CAST, RESHAPE, GATHER, MUL, RESHAPE, CONV, CONV, RESHAPE, REDUCE_MAX,
                FC, FC, FC, RESHAPE, TOPK, LOGISTIC);
        assertTensor(g.input(0), "serving_default_context:0", TensorType.INT32, 10);
        assertTensor(g.output(0), "StatefulPartitionedCall:1", TensorType.FLOAT32, 100);
        assertTensor(g.output(1), "StatefulPartitionedCall:0", TensorType.INT32, 100);

        Operator conv1 = g.operators().get(7);
        Operator conv2 = g.operators().get(8);
        OpOptions.Conv2D expected = new OpOptions.Conv2D(Padding.SAME, 4, 1, Activation.RELU, 1, 1);
        assertEquals(expected, conv1.options());
        assertEquals(expected, conv2.options());
        assertArrayEquals(new int[] {1, 1, 10, 16}, g.tensor(conv1.input(0)).shape());
        assertArrayEquals(new int[] {32, 1, 4, 16}, in(g, conv1, 1).shape());
        assertArrayEquals(new int[] {32}, in(g, conv1, 2).shape());
        assertArrayEquals(new int[] {1, 1, 3, 32}, g.tensor(conv1.output(0)).shape());
        assertArrayEquals(new int[] {64, 1, 4, 32}, in(g, conv2, 1).shape());
        assertArrayEquals(new int[] {1, 1, 1, 64}, g.tensor(conv2.output(0)).shape());

        Operator max = g.operators().get(10);
        assertEquals(new OpOptions.Reducer(false), max.options());
        assertArrayEquals(new int[] {1}, int32s(in(g, max, 1)), "REDUCE_MAX axis 1");
        assertArrayEquals(new int[] {1, 64}, g.tensor(max.output(0)).shape());
        assertArrayEquals(new int[] {16, 64}, in(g, g.operators().get(11), 1).shape());
        assertServingHead(g, 16);
        assertConstantBytes(m, TestModels.CNN);
    }

    @Test
    void bagOfWords() throws IOException {
        TfliteModel m = parse(TestModels.BOW);
        assertCommon(m, 512_288);
        Subgraph g = m.mainSubgraph();
        assertEquals(35, g.tensors().size());
        assertOpcodes(g, RESHAPE, NOT_EQUAL, CAST, RESHAPE, SUM, GATHER, MUL, SUM, MUL, NOT_EQUAL, DIV, SELECT,
                FC, FC, FC, RESHAPE, TOPK, LOGISTIC);
        assertTensor(g.input(0), "context_input_placeholder", TensorType.INT32, 10);
        assertTensor(g.output(0), "top_prediction_ids", TensorType.INT32, 100);
        assertTensor(g.output(1), "top_prediction_scores", TensorType.FLOAT32, 100);
        assertEquals(new OpOptions.Reducer(false), g.operators().get(4).options());
        assertArrayEquals(new int[] {1, 1}, g.tensor(g.operators().get(4).output(0)).shape(), "n[1,1]");
        assertEquals(new OpOptions.Arithmetic(Activation.NONE), g.operators().get(10).options());
        assertEquals(TensorType.BOOL, g.tensor(g.operators().get(9).output(0)).type());
        assertEquals(3, g.operators().get(11).inputCount(), "SELECT(cond, a, b)");
        assertServingHead(g, 16);
        assertConstantBytes(m, TestModels.BOW);
    }

    @Test
    void cnnWithGenres() throws IOException {
        TfliteModel m = parse(TestModels.CNN_GENRE);
        assertCommon(m, 1_369_364);
        Subgraph g = m.mainSubgraph();
        assertEquals(62, g.tensors().size());
        int[] branch = {RESHAPE, NOT_EQUAL, CAST, RESHAPE, GATHER, MUL, RESHAPE, CONV, CONV, RESHAPE, REDUCE_MAX};
        int[] expected = new int[30];
        System.arraycopy(branch, 0, expected, 0, 11);
        System.arraycopy(branch, 0, expected, 11, 11);
        System.arraycopy(new int[] {CONCAT, FC, FC, FC, FC, RESHAPE, TOPK, LOGISTIC}, 0, expected, 22, 8);
        assertOpcodes(g, expected);

        assertTensor(g.input(0), "serving_default_context_movie_id:0", TensorType.INT32, 10);
        assertTensor(g.input(1), "serving_default_context_movie_genre:0", TensorType.INT32, 32);
        assertArrayEquals(new int[] {61, 60}, g.outputs());
        assertTensor(g.output(0), g.output(0).name(), TensorType.FLOAT32, 100);
        assertTensor(g.output(1), g.output(1).name(), TensorType.INT32, 100);

        assertEquals(1, m.signatureDefs().size());
        SignatureDef sig = m.signatureDefs().get(0);
        assertEquals("serving_default", sig.key());
        assertEquals(0, sig.subgraphIndex());
        assertEquals(Map.of("context_movie_genre", 1, "context_movie_id", 0), sig.inputs());
        assertEquals(Map.of("top_prediction_ids", 60, "top_prediction_scores", 61), sig.outputs());

        // Genre branch first (ops 0-10), then movies (11-21).
        assertArrayEquals(new int[] {19, 8}, in(g, g.operators().get(4), 0).shape(), "genre embedding");
        assertArrayEquals(new int[] {3953, 32}, in(g, g.operators().get(15), 0).shape(), "movie embedding");
        int[][] filters = {{64, 1, 4, 8}, {128, 1, 4, 64}, {64, 1, 4, 32}, {128, 1, 4, 64}};
        int[] convOps = {7, 8, 18, 19};
        for (int c = 0; c < 4; c++) {
            Operator conv = g.operators().get(convOps[c]);
            assertArrayEquals(filters[c], in(g, conv, 1).shape(), "filter of " + conv);
            assertEquals(new OpOptions.Conv2D(Padding.SAME, 4, 1, Activation.RELU, 1, 1), conv.options());
        }
        Operator concat = g.operators().get(22);
        assertEquals(new OpOptions.Concatenation(-1, Activation.NONE), concat.options());
        assertEquals(g.operators().get(21).output(0), concat.input(0), "movie branch first");
        assertEquals(g.operators().get(10).output(0), concat.input(1));
        assertArrayEquals(new int[] {1, 256}, g.tensor(concat.output(0)).shape());
        assertArrayEquals(new int[] {32, 256}, in(g, g.operators().get(23), 1).shape());
        assertEquals(Activation.RELU, ((OpOptions.FullyConnected) g.operators().get(25).options()).activation(),
                "proj_layer has ReLU");
        assertServingHead(g, 32);
        assertConstantBytes(m, TestModels.CNN_GENRE);
    }

    /**
     * Every tensor's constant data is exactly its buffer's bytes as the generated accessors see them,
     * and every tensor on a non-empty buffer got its data. (Spec §8's "const bytes" also count the
     * metadata buffer and, in the RNN file, two unreferenced 64-byte buffers of initial LSTM state.)
     */
    private static void assertConstantBytes(TfliteModel m, String file) {
        byte[] bytes = TestModels.modelBytes(file);
        for (Subgraph g : m.subgraphs()) {
            for (Tensor t : g.tensors()) {
                int[] range = t.buffer() == 0 ? new int[2] : TestModels.dataRange(bytes, t.buffer());
                assertEquals(range[1] - range[0], t.isConstant() ? t.data().remaining() : 0, () -> t + " data");
                if (t.isConstant()) {
                    assertEquals(ByteBuffer.wrap(bytes, range[0], range[1] - range[0]), t.data(), () -> t + " bytes");
                }
            }
        }
    }

    @Test
    void constantDataIsAReadOnlyLittleEndianViewOfTheCallersBytes() {
        byte[] file = TestModels.modelBytes(TestModels.RNN);
        // Place the model at an odd offset of a big-endian buffer: the parser must use position and limit
        // and leave the caller's buffer as it was.
        byte[] padded = new byte[file.length + 10];
        System.arraycopy(file, 0, padded, 3, file.length);
        ByteBuffer caller = ByteBuffer.wrap(padded, 3, file.length);
        TfliteModel m = TfliteParser.parse(caller);
        assertEquals(3, caller.position());
        assertEquals(3 + file.length, caller.limit());
        assertEquals(ByteOrder.BIG_ENDIAN, caller.order());
        assertEquals(file.length, m.fileSize());

        Tensor begin = in(m.mainSubgraph(), m.mainSubgraph().operators().get(7), 1);
        ByteBuffer data = begin.data();
        assertTrue(data.isReadOnly());
        assertEquals(ByteOrder.LITTLE_ENDIAN, data.order());
        assertEquals(12, data.remaining());
        assertEquals(-1, data.getInt(4), "begin[1] = -1 (spec §2.1)");
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> begin.data().put(0, (byte) 1));
        // No copy: the view sees the caller's bytes.
        int at = 3 + TestModels.dataRange(file, begin.buffer())[0];
        padded[at + 4] = 7;
        assertEquals(0xFFFFFF07, begin.data().getInt(4));
    }

    @Test
    void directBuffersAndArraysParseAlike() {
        byte[] file = TestModels.modelBytes(TestModels.CNN_GENRE);
        ByteBuffer direct = ByteBuffer.allocateDirect(file.length);
        direct.put(file).flip();
        TfliteModel fromDirect = TfliteParser.parse(direct.asReadOnlyBuffer());
        TfliteModel fromArray = TfliteParser.parse(file);
        assertEquals(fromArray.mainSubgraph().tensors().size(), fromDirect.mainSubgraph().tensors().size());
        assertEquals(fromArray.mainSubgraph().tensor(10).data(), fromDirect.mainSubgraph().tensor(10).data());
    }

    @Test
    void metadataArraysAreCopies() throws IOException {
        TfliteModel m = parse(TestModels.BOW);
        m.metadata().get("min_runtime_version")[0] = 'X';
        assertEquals("1.14.0", m.metadataString("min_runtime_version"));
    }

    @Test
    void refusesFilesOf2GiB(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.tflite");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(1L << 31); // sparse: no disk space, nothing read
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfliteParser.parse(big));
        assertTrue(e.getMessage().contains("2 GiB"), e.getMessage());
    }
}

package org.tfl4j.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfl4j.parser.TestModels.smallModel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.MetadataT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SparsityParametersT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.WhileOptionsT;

/**
 * Structurally valid FlatBuffers whose content is wrong: every case must end in a
 * {@link ModelFormatException} that names the place (subgraph, tensor, op, buffer).
 */
class SemanticChecksTest {

    /** Builds the small model, applies {@code edit}, and expects a failure whose message has every fragment. */
    private static ModelFormatException rejects(Consumer<ModelT> edit, String... fragments) {
        ModelT m = smallModel();
        edit.accept(m);
        byte[] bytes = TestModels.serialize(m);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfliteParser.parse(bytes));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    private static SubGraphT main(ModelT m) {
        return m.getSubgraphs()[0];
    }

    @Test
    void theSmallModelIsValid() {
        TfliteModel m = TestModels.parse(smallModel());
        ModelInvariants.check(m);
        Subgraph g = m.mainSubgraph();
        assertEquals("parser test model", m.description());
        assertEquals(5, g.tensors().size());
        assertEquals(new OpOptions.FullyConnected(Activation.RELU, 0, false, false), g.operators().get(0).options());
        assertEquals(new OpOptions.None(), g.operators().get(1).options());
        assertEquals(BuiltinOp.LOGISTIC, g.operators().get(1).opcode());
        assertEquals(0.5f, g.tensor(2).data().getFloat(0));
        assertEquals(2f, g.tensor(2).data().getFloat(8));
        assertEquals("1.14.0", m.metadataString("min_runtime_version"));
    }

    @Test
    void schemaVersionAndSubgraphs() {
        rejects(m -> m.setVersion(2), "schema version is 2");
        rejects(m -> m.setSubgraphs(new SubGraphT[0]), "no subgraphs");
    }

    @Test
    void operatorIndices() {
        rejects(m -> main(m).getOperators()[1].setOpcodeIndex(5), "subgraph 0 op 1", "opcode_index 5");
        rejects(m -> main(m).getOperators()[0].setInputs(new int[] {0, 99, 2}),
                "subgraph 0 op 0 (FULLY_CONNECTED) input 1 is tensor 99", "5 tensors");
        rejects(m -> main(m).getOperators()[0].setInputs(new int[] {0, 1, -2}), "input 2 is tensor -2");
        rejects(m -> main(m).getOperators()[1].setOutputs(new int[] {5}), "op 1 (LOGISTIC) output 0 is tensor 5");
        rejects(m -> main(m).getOperators()[1].setOutputs(new int[] {-1}), "output 0 is tensor -1");
        rejects(m -> main(m).getOperators()[1].setIntermediates(new int[] {7}), "intermediate 0 is tensor 7");
    }

    @Test
    void absentOptionalInputIsMinusOne() {
        ModelT m = smallModel();
        main(m).getOperators()[0].setInputs(new int[] {0, 1, -1});
        Operator fc = TestModels.parse(m).mainSubgraph().operators().get(0);
        assertArrayEquals(new int[] {0, 1, -1}, fc.inputs());
        assertEquals(-1, fc.input(2));
        assertEquals(-1, fc.input(7), "beyond the list counts as absent");
    }

    @Test
    void subgraphInputsAndOutputs() {
        rejects(m -> main(m).setInputs(new int[] {7}), "subgraph 0 input 0 is tensor 7");
        rejects(m -> main(m).setOutputs(new int[] {4, -1}), "subgraph 0 output 1 is tensor -1");
    }

    @Test
    void tensorChecks() {
        rejects(m -> main(m).getTensors()[3].setBuffer(99), "tensor 3 'h'", "buffer index 99", "4 buffers");
        rejects(m -> main(m).getTensors()[3].setType((byte) 42), "tensor 3 'h'", "unknown tensor type code 42");
        rejects(m -> main(m).getTensors()[3].setShape(new int[] {1, -3}), "tensor 3 'h'", "negative dimension -3");
        // 65536 × 65536 = 2^32 elements: overflows an int.
        rejects(m -> main(m).getTensors()[3].setShape(new int[] {65536, 65536}), "tensor 3", "2^31-1 elements");
        // 2^29 floats = 2^31 bytes: the element count fits, the byte size does not.
        rejects(m -> main(m).getTensors()[3].setShape(new int[] {1 << 29}), "tensor 3", "2147483648 bytes");
        // Overflowing a long as well if multiplied naively: 2^31-1 four times.
        int max = Integer.MAX_VALUE;
        rejects(m -> main(m).getTensors()[3].setShape(new int[] {max, max, max, max}), "tensor 3", "elements");
        rejects(m -> main(m).getTensors()[3].setShapeSignature(new int[] {1, -2}), "tensor 3", "shape_signature");
    }

    @Test
    void zeroSizedDimensionsAreAllowed() {
        ModelT m = smallModel();
        main(m).getTensors()[3].setShape(new int[] {1 << 30, 0, 1 << 30});
        assertEquals(0, TestModels.parse(m).mainSubgraph().tensor(3).elementCount());
    }

    @Test
    void constantDataMustMatchTheShape() {
        // w is [3,4] float32: 48 bytes. Give it 44, then 52.
        rejects(m -> m.getBuffers()[1] = TestModels.floats(new float[11]),
                "tensor 1 'w'", "buffer 1 holds 44 bytes", "needs 48");
        rejects(m -> m.getBuffers()[1] = TestModels.floats(new float[13]), "tensor 1 'w'", "52 bytes");
        // A constant bigger than the whole file.
        rejects(m -> main(m).getTensors()[1].setShape(new int[] {100_000, 4}), "tensor 1 'w'", "needs 1600000");
        rejects(m -> m.getBuffers()[0] = TestModels.floats(1f), "buffer 0 holds 4 bytes");
    }

    @Test
    void emptyBufferMeansNoData() {
        ModelT m = smallModel();
        main(m).getTensors()[1].setBuffer(0);
        m.getBuffers()[2] = new BufferT();
        Subgraph g = TestModels.parse(m).mainSubgraph();
        assertNull(g.tensor(1).data());
        assertNull(g.tensor(2).data(), "a non-zero buffer without data is no data either");
    }

    @Test
    void stringTensorsKeepTheirBytes() {
        ModelT m = smallModel();
        main(m).getTensors()[1].setType((byte) TensorType.STRING.code);
        Tensor w = TestModels.parse(m).mainSubgraph().tensor(1);
        assertEquals(48, w.data().remaining(), "no size rule for variable-size elements");
    }

    @Test
    void tensorFlags() {
        ModelT m = smallModel();
        TensorT h = main(m).getTensors()[3];
        h.setIsVariable(true);
        QuantizationParametersT q = new QuantizationParametersT();
        q.setScale(new float[] {0.5f});
        q.setZeroPoint(new long[] {3});
        main(m).getTensors()[4].setQuantization(q);
        main(m).getTensors()[0].setQuantization(new QuantizationParametersT()); // present but empty
        h.setShapeSignature(new int[] {-1, 3});
        Subgraph g = TestModels.parse(m).mainSubgraph();
        assertTrue(g.tensor(3).isVariable());
        assertTrue(g.tensor(4).quantized());
        assertEquals(false, g.tensor(0).quantized());
        assertArrayEquals(new int[] {-1, 3}, g.tensor(3).shapeSignature());
        assertNull(g.tensor(0).shapeSignature());
    }

    @Test
    void sparseTensorsAreRejected() {
        SparsityParametersT s = new SparsityParametersT();
        s.setTraversalOrder(new int[] {0, 1});
        rejects(m -> main(m).getTensors()[1].setSparsity(s), "tensor 1 'w'", "sparse");
    }

    @Test
    void operatorCodes() {
        // 2020 files: only the int8 deprecated code; builtin_code stays 0 (= ADD) and loses the max.
        ModelT m = smallModel();
        OperatorCodeT old = new OperatorCodeT();
        old.setDeprecatedBuiltinCode((byte) BuiltinOp.LOGISTIC);
        m.getOperatorCodes()[1] = old;
        Operator logistic = TestModels.parse(m).mainSubgraph().operators().get(1);
        assertEquals(BuiltinOp.LOGISTIC, logistic.opcode());
        assertEquals(1, logistic.version(), "schema default version");

        // Codes above 127: the int8 field holds the placeholder 127.
        m = smallModel();
        OperatorCodeT high = new OperatorCodeT();
        high.setDeprecatedBuiltinCode((byte) 127);
        high.setBuiltinCode(150);
        high.setVersion(2);
        m.getOperatorCodes()[1] = high;
        Operator op = TestModels.parse(m).mainSubgraph().operators().get(1);
        assertEquals(150, op.opcode());
        assertEquals(2, op.version());

        OperatorCodeT negative = new OperatorCodeT();
        negative.setDeprecatedBuiltinCode((byte) -3);
        rejects(mm -> mm.getOperatorCodes()[1] = negative, "operator code 1", "negative builtin code");
        OperatorCodeT negative2 = new OperatorCodeT();
        negative2.setBuiltinCode(-5);
        rejects(mm -> mm.getOperatorCodes()[1] = negative2, "operator code 1");
    }

    @Test
    void customOps() {
        ModelT m = smallModel();
        OperatorCodeT custom = TestModels.opcode(BuiltinOp.CUSTOM);
        custom.setCustomCode("MyOp");
        m.getOperatorCodes()[1] = custom;
        Operator op = TestModels.parse(m).mainSubgraph().operators().get(1);
        assertEquals(BuiltinOp.CUSTOM, op.opcode());
        assertEquals("MyOp", op.customCode());
        assertEquals("CUSTOM(MyOp)", op.opName());
        assertNull(TestModels.parse(smallModel()).mainSubgraph().operators().get(1).customCode());
    }

    @Test
    void signatureDefs() {
        ModelT ok = smallModel();
        ok.setSignatureDefs(new SignatureDefT[] {signature("serving_default", 0, "x", 0, "y", 4)});
        SignatureDef sig = TestModels.parse(ok).signatureDefs().get(0);
        assertEquals("serving_default", sig.key());
        assertEquals(0, sig.inputs().get("x"));
        assertEquals(4, sig.outputs().get("y"));

        rejects(m -> m.setSignatureDefs(new SignatureDefT[] {signature("s", 1, "x", 0, "y", 4)}),
                "signature def 0 's'", "subgraph_index 1");
        rejects(m -> m.setSignatureDefs(new SignatureDefT[] {signature("s", 0, "x", 5, "y", 4)}),
                "signature def 0 's' input 0 'x'", "tensor_index 5");
        rejects(m -> m.setSignatureDefs(new SignatureDefT[] {signature("s", 0, "x", 0, "y", 40)}),
                "output 0 'y'", "tensor_index 40");
        rejects(m -> m.setSignatureDefs(new SignatureDefT[] {
            signature("s", 0, "x", 0, "y", 4), signature("s", 0, "x", 0, "y", 4)}), "signature def 1", "already used");
    }

    private static SignatureDefT signature(String key, int subgraph, String in, int inTensor, String out, int outTensor) {
        SignatureDefT s = new SignatureDefT();
        s.setSignatureKey(key);
        s.setSubgraphIndex(subgraph);
        s.setInputs(new TensorMapT[] {tensorMap(in, inTensor)});
        s.setOutputs(new TensorMapT[] {tensorMap(out, outTensor)});
        return s;
    }

    private static TensorMapT tensorMap(String name, int tensor) {
        TensorMapT t = new TensorMapT();
        t.setName(name);
        t.setTensorIndex(tensor);
        return t;
    }

    @Test
    void metadata() {
        rejects(m -> m.getMetadata()[0].setBuffer(17), "metadata 0 'min_runtime_version'", "buffer index 17");
        MetadataT copy = new MetadataT();
        copy.setName("min_runtime_version");
        copy.setBuffer(2);
        rejects(m -> m.setMetadata(new MetadataT[] {m.getMetadata()[0], copy}), "metadata 1", "appears twice");
    }

    @Test
    void whileSubgraphIndices() {
        WhileOptionsT w = new WhileOptionsT();
        w.setCondSubgraphIndex(0);
        w.setBodySubgraphIndex(3);
        ModelT m = TestModels.singleOp(BuiltinOp.WHILE, BuiltinOptions.WhileOptions, w);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TestModels.parse(m));
        assertTrue(e.getMessage().contains("subgraph 0 op 0 (WHILE)") && e.getMessage().contains("body_subgraph_index 3"),
                e.getMessage());
        w.setBodySubgraphIndex(0);
        e = assertThrows(ModelFormatException.class, () -> TestModels.parse(m));
        assertTrue(e.getMessage().contains("subgraph 0 op 0 (WHILE): cond_subgraph_index is 0, the main subgraph"),
                e.getMessage()); // more in WhileChecksTest
    }

    // ------------------------------------------------------------------ external buffers

    @Test
    void externalBuffersAreReadFromTheFile() {
        ByteBuffer payload = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        payload.putFloat(1.5f).putFloat(-2f).putFloat(3.25f);
        byte[] file = TestModels.externalBufferModel(payload.array(), 0, 12, 3);
        Tensor w = TfliteParser.parse(file).mainSubgraph().tensor(0);
        assertEquals(12, w.data().remaining());
        assertEquals(1.5f, w.data().getFloat(0));
        assertEquals(-2f, w.data().getFloat(4));
        assertEquals(3.25f, w.data().getFloat(8));
    }

    @Test
    void externalBuffersOutsideTheFileAreRejected() {
        byte[] payload = new byte[12];
        byte[] pastEnd = TestModels.externalBufferModel(payload, 8, 12, 3);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfliteParser.parse(pastEnd));
        assertTrue(e.getMessage().contains("buffer 1") && e.getMessage().contains("outside"), e.getMessage());
        assertTrue(e.byteOffset() > 0, "names the Buffer table's offset");

        // offset + size wraps around 2^64: must not pass as "in range".
        byte[] wraps = TestModels.externalBufferModel(payload, 0, -4, 3);
        assertThrows(ModelFormatException.class, () -> TfliteParser.parse(wraps));
        byte[] huge = TestModels.externalBufferModel(payload, Long.MIN_VALUE, 12, 3);
        assertThrows(ModelFormatException.class, () -> TfliteParser.parse(huge));
        // In range but not the size the shape needs.
        byte[] shortData = TestModels.externalBufferModel(payload, 0, 8, 3);
        ModelFormatException e2 = assertThrows(ModelFormatException.class, () -> TfliteParser.parse(shortData));
        assertTrue(e2.getMessage().contains("tensor 0 'w'") && e2.getMessage().contains("needs 12"), e2.getMessage());
    }
}

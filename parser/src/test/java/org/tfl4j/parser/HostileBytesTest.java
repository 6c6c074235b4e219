package org.tfl4j.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.CastOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.TensorMapT;

/**
 * Corrupt and malicious bytes: every case ends in a {@link ModelFormatException} (or, for random
 * flips, possibly a valid model that keeps every invariant), never another exception, an
 * out-of-memory allocation, a stack overflow or a hang.
 */
class HostileBytesTest {

    /** Parses {@code bytes[0, length)}; returns null on success, the exception on ModelFormatException. */
    private static ModelFormatException outcome(byte[] bytes, int length, String context) {
        try {
            ModelInvariants.check(TfliteParser.parse(ByteBuffer.wrap(bytes, 0, length)));
            return null;
        } catch (ModelFormatException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError(context + ": " + t, t);
        }
    }

    private static ModelFormatException rejects(byte[] bytes, String... fragments) {
        ModelFormatException e = outcome(bytes, bytes.length, "hostile bytes");
        if (e == null) fail("hostile bytes parsed as a valid model");
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    private static void putInt(byte[] b, int at, int value) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    private static org.tensorflow.lite.schema.Model schemaRoot(byte[] b) {
        return org.tensorflow.lite.schema.Model.getRootAsModel(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
    }

    // ------------------------------------------------------------------ hand-made corruption

    @Test
    void tooShortAndEmpty() {
        rejects(new byte[0], "too short");
        rejects(new byte[] {8, 0, 0, 0, 'T', 'F', 'L'}, "too short");
    }

    @Test
    void wrongIdentifier() {
        byte[] b = TestModels.modelBytes(TestModels.CNN);
        b[7] = '2';
        ModelFormatException e = rejects(b, "\"TFL2\"", "TFL3");
        assertEquals(4, e.byteOffset());
    }

    @Test
    void rootOffsetPastTheEnd() {
        byte[] b = TestModels.modelBytes(TestModels.CNN);
        putInt(b, 0, b.length + 100);
        ModelFormatException e = rejects(b, "root offset", "past the end");
        assertEquals(0, e.byteOffset());
        putInt(b, 0, -8);
        assertEquals(0, rejects(b, "root offset").byteOffset());
    }

    @Test
    void hugeVectorLengthsFailWithoutAllocating() {
        byte[] original = TestModels.modelBytes(TestModels.RNN);
        // Subgraph 0 tensor 12's shape vector: its length prefix sits 4 bytes before its data.
        int shapeLength = schemaRoot(original).subgraphs(0).tensors(12).shapeAsByteBuffer().position() - 4;
        for (int length : new int[] {0x7fffffff, 0x80000000, 0xffffffff, 200_000}) {
            byte[] b = original.clone();
            putInt(b, shapeLength, length);
            ModelFormatException e = rejects(b, "subgraphs[0].tensors[12].shape", "past the end");
            assertEquals(shapeLength, e.byteOffset());
        }
        // The same for a vector of tables (operator codes) and a byte vector (buffer data).
        byte[] b = original.clone();
        int opcodes = vectorPosition(original, 4 + 2 * FlatBufferVerifier.MODEL_OPERATOR_CODES);
        putInt(b, opcodes, 0x7fffffff);
        rejects(b, "operator_codes");
        b = original.clone();
        int data = TestModels.dataRange(original, 2)[0] - 4;
        putInt(b, data, 0x7fffffff);
        rejects(b, "buffers[2].data");
    }

    /** Position of the vector a root-table field points to. */
    private static int vectorPosition(byte[] b, int vtableOffset) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int root = bb.getInt(0);
        int vtable = root - bb.getInt(root);
        int field = root + bb.getShort(vtable + vtableOffset);
        return field + bb.getInt(field);
    }

    @Test
    void badVtables() {
        byte[] original = TestModels.modelBytes(TestModels.BOW);
        int root = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        byte[] b = original.clone();
        putInt(b, root, -original.length); // vtable past the end
        assertEquals(root, rejects(b, "vtable", "outside").byteOffset());
        b = original.clone();
        putInt(b, root, root + 2); // vtable before the start
        rejects(b, "vtable");
        b = original.clone();
        int vtable = root - ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getInt(root);
        b[vtable] = 3; // odd vtable size
        rejects(b, "vtable", "invalid size");
        b = original.clone();
        b[vtable + 2] = (byte) 0xff; // table size 65535: the Java accessors would read it as -1
        b[vtable + 3] = (byte) 0xff;
        rejects(b, "table has an invalid size of 65535");
    }

    @Test
    void sharedStructuresHitTheWorkLimit() {
        // 4,000 subgraph entries × 4,000 tensor entries × rank 64: 10^9 units of work in a 33 KB file.
        byte[] bomb = TestModels.sharedStructureBomb(4000, 4000, 64);
        assertTrue(bomb.length < 40_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            ModelFormatException e = rejects(bomb, "units of work");
            assertTrue(e.getMessage().contains("subgraphs["), e.getMessage());
        });
        // The same shape at a harmless size parses.
        ModelInvariants.check(TfliteParser.parse(TestModels.sharedStructureBomb(3, 5, 2)));
    }

    /**
     * Regression (fuzzing, docs/security.md): the old limit (4,000,000 units plus one per byte, one unit per
     * table) let a 16 KB file of 2,000 subgraph entries × 1,900 tensor entries, all pointing at one table,
     * make the parser build 3.8 million tensors (about a gigabyte of objects). Tables now cost
     * {@link FlatBufferVerifier#TABLE_WORK} and the base is smaller: parsing allocates at most 64 bytes
     * per file byte plus 16 MiB, whatever the sharing.
     */
    @Test
    void sharedStructuresCannotMultiplyAllocation() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int rejected = 0;
        for (int[] shape : new int[][] {{2000, 1900, 0}, {400, 400, 0}, {120, 130, 0}, {60, 60, 4}, {1, 16000, 0}, {16000, 1, 0}}) {
            byte[] bomb = TestModels.sharedStructureBomb(shape[0], shape[1], shape[2]);
            long before = threads.getThreadAllocatedBytes(id);
            try {
                TfliteParser.parse(bomb);
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage().contains("units of work"), e.getMessage());
                rejected++;
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            long bound = 64L * bomb.length + (16L << 20);
            assertTrue(allocated <= bound, java.util.Arrays.toString(shape) + ": parsing a " + bomb.length
                    + "-byte file allocated " + allocated + " bytes, more than " + bound);
        }
        assertTrue(rejected >= 2, "the large bombs hit the work limit");
    }

    @Test
    void realModelsNeedFarLessWorkThanTheLimit() {
        for (String name : TestModels.ALL) {
            byte[] b = TestModels.modelBytes(name);
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            FlatBufferVerifier v = new FlatBufferVerifier(bb, FlatBufferVerifier.DEFAULT_MAX_DEPTH, Long.MAX_VALUE);
            v.verifyModel();
            long limit = FlatBufferVerifier.BASE_WORK + FlatBufferVerifier.WORK_PER_BYTE * b.length;
            System.out.println(name + ": verifier work " + v.work() + " of " + limit);
            assertTrue(v.work() * 4 < limit, name + ": work " + v.work() + " of " + limit);
        }
    }

    @Test
    void depthLimit() {
        byte[] b = TestModels.modelBytes(TestModels.BOW);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        new FlatBufferVerifier(bb, 5, Long.MAX_VALUE).verifyModel(); // TFLite files need at most 5 levels
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> new FlatBufferVerifier(bb, 2, Long.MAX_VALUE).verifyModel());
        assertTrue(e.getMessage().contains("nesting deeper than 2"), e.getMessage());
    }

    // ------------------------------------------------------------------ systematic corruption

    @Test
    void everyTruncationFails() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            int parses = 0;
            for (String name : TestModels.ALL) {
                byte[] b = TestModels.modelBytes(name);
                int stride = Math.max(1, (b.length - 512) / 400);
                for (int length = 0; length < b.length; length = length < 512 ? length + 1 : length + stride) {
                    if (outcome(b, length, name + " truncated to " + length) == null) {
                        fail(name + " truncated to " + length + " bytes parsed as a valid model");
                    }
                    parses++;
                }
                if (outcome(b, b.length - 1, name + " minus 1 byte") == null) fail(name + " minus 1 byte parsed");
            }
            assertTrue(parses > 3000, "parses " + parses);
        });
    }

    @Test
    void randomByteFlipsInRealModels() {
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            Random random = new Random(20240611L);
            int[] outcomes = new int[2];
            for (String name : TestModels.ALL) {
                byte[] original = TestModels.modelBytes(name);
                List<int[]> data = TestModels.dataRanges(original);
                outcomes = add(outcomes, flipTrials(name, original, data, random, 800));
            }
            System.out.println("random flips in real models: " + outcomes[0] + " valid, " + outcomes[1] + " rejected");
            assertTrue(outcomes[1] > 1000, "most flips in the structure should be caught");
        });
    }

    @Test
    void randomByteFlipsInADenseModel() {
        // Nearly every byte of this model is structure: options, signature defs, metadata, quantization.
        ModelT m = TestModels.smallModel();
        Conv2DOptionsT conv = new Conv2DOptionsT();
        conv.setStrideW(2);
        ReshapeOptionsT reshape = new ReshapeOptionsT();
        reshape.setNewShape(new int[] {3, 1});
        CastOptionsT cast = new CastOptionsT();
        cast.setInDataType((byte) 2);
        m.setOperatorCodes(new org.tensorflow.lite.schema.OperatorCodeT[] {
            TestModels.opcode(BuiltinOp.FULLY_CONNECTED), TestModels.opcode(BuiltinOp.LOGISTIC),
            TestModels.opcode(BuiltinOp.CONV_2D), TestModels.opcode(BuiltinOp.RESHAPE), TestModels.opcode(BuiltinOp.CAST)});
        var ops = m.getSubgraphs()[0].getOperators();
        m.getSubgraphs()[0].setOperators(new org.tensorflow.lite.schema.OperatorT[] {ops[0], ops[1],
            TestModels.op(2, new int[] {0, 1, -1}, new int[] {3}, org.tensorflow.lite.schema.BuiltinOptions.Conv2DOptions, conv),
            TestModels.op(3, new int[] {3}, new int[] {4}, org.tensorflow.lite.schema.BuiltinOptions.ReshapeOptions, reshape),
            TestModels.op(4, new int[] {4}, new int[] {3}, org.tensorflow.lite.schema.BuiltinOptions.CastOptions, cast)});
        QuantizationParametersT q = new QuantizationParametersT();
        q.setScale(new float[] {0.25f});
        q.setZeroPoint(new long[] {1});
        m.getSubgraphs()[0].getTensors()[1].setQuantization(q);
        m.getSubgraphs()[0].getTensors()[3].setShapeSignature(new int[] {-1, 3});
        SignatureDefT sig = new SignatureDefT();
        sig.setSignatureKey("serving_default");
        TensorMapT in = new TensorMapT();
        in.setName("x");
        TensorMapT out = new TensorMapT();
        out.setName("y");
        out.setTensorIndex(4);
        sig.setInputs(new TensorMapT[] {in});
        sig.setOutputs(new TensorMapT[] {out});
        m.setSignatureDefs(new SignatureDefT[] {sig});
        byte[] original = TestModels.serialize(m);
        ModelInvariants.check(TfliteParser.parse(original));

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            int[] outcomes = flipTrials("dense model", original, List.of(), new Random(77L), 3000);
            System.out.println("random flips in the dense model: " + outcomes[0] + " valid, " + outcomes[1] + " rejected");
            assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "both outcomes occur");
        });
    }

    /**
     * {@code trials} times: flip 1-8 random bytes (90% of them outside constant data, where they mean
     * something), parse, undo. Returns {valid, rejected}.
     */
    private static int[] flipTrials(String name, byte[] bytes, List<int[]> dataRanges, Random random, int trials) {
        boolean[] isData = new boolean[bytes.length];
        for (int[] r : dataRanges) for (int i = r[0]; i < r[1]; i++) isData[i] = true;
        int[] structure = java.util.stream.IntStream.range(0, bytes.length).filter(i -> !isData[i]).toArray();
        int valid = 0;
        int rejected = 0;
        for (int trial = 0; trial < trials; trial++) {
            int flips = 1 + random.nextInt(8);
            int[] at = new int[flips];
            byte[] was = new byte[flips];
            for (int f = 0; f < flips; f++) {
                at[f] = random.nextInt(10) < 9 ? structure[random.nextInt(structure.length)] : random.nextInt(bytes.length);
                was[f] = bytes[at[f]];
                bytes[at[f]] = (byte) random.nextInt(256);
            }
            String context = name + " trial " + trial + " flipped bytes " + java.util.Arrays.toString(at);
            if (outcome(bytes, bytes.length, context) == null) valid++;
            else rejected++;
            for (int f = flips - 1; f >= 0; f--) bytes[at[f]] = was[f];
        }
        return new int[] {valid, rejected};
    }

    private static int[] add(int[] a, int[] b) {
        return new int[] {a[0] + b[0], a[1] + b[1]};
    }
}

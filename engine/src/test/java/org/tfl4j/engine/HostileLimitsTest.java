package org.tfl4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

/**
 * Regressions found by {@code ModelFuzzTest}: models whose declared tensors are far larger than the file
 * (refused at load by the tensor-bytes limit, before anything is allocated for them), and ops that write
 * a tensor they read (refused at load; they used to reach a kernel's internal argument check at run time).
 */
class HostileLimitsTest {

    private static final long MIB = 1 << 20;

    private static Model load(byte[] file, Interpreter.Options options) {
        return Model.load(ByteBuffer.wrap(file), options);
    }

    /** x float32[rows, 12] → MUL(x, x) → y: a few hundred bytes whatever the rows. */
    private static byte[] square(int rows) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, rows, 12);
        int y = g.tensor("y", TensorType.FLOAT32, rows, 12);
        g.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {x, x}, new int[] {y});
        g.inputs(x).outputs(y);
        return w.toBytes();
    }

    @Test
    void hugeDeclaredActivationsAreRefusedBeforeAllocation() {
        // Fuzz case: a shape dimension 2 -> 1,048,576 made an 824-byte file allocate 100 MB (and 12 -> 67,108,864
        // a gigabyte, with seconds of CPU).
        byte[] file = square(1_048_576);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> load(file, new Interpreter.Options()));
        assertTrue(e.getMessage().contains("more than the limit of " + (32 * MIB) + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("op 0 MUL"), e.getMessage());
        assertTrue(e.getMessage().contains("Interpreter.Options.setMaxTensorBytes"), e.getMessage());
    }

    @Test
    void theLimitIsSixteenTimesTheFileAtLeast32MiBAndCanBeRaised() {
        assertEquals(32 * MIB, Model.defaultMaxTensorBytes(1000));
        assertEquals(16 * 10 * MIB, Model.defaultMaxTensorBytes(10 * MIB));
        // Rows of 12 floats (48 bytes): x as the graph input, then MUL reads x twice and writes y: 192 bytes a row.
        int fits = (int) (32 * MIB / 192);
        load(square(fits), new Interpreter.Options());
        byte[] over = square(fits + 1);
        assertThrows(InvalidModelException.class, () -> load(over, new Interpreter.Options()));
        Model m = load(over, new Interpreter.Options().setMaxTensorBytes(64 * MIB));
        assertEquals(fits + 1, m.input(0).shape()[0]);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> load(square(1000), new Interpreter.Options().setMaxTensorBytes(1000)));
        assertTrue(e.getMessage().contains("(Options.setMaxTensorBytes)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Interpreter.Options().setMaxTensorBytes(-1));
    }

    @Test
    void manyOpsOnOneLargeTensorCountEveryTime() {
        // One 4 MiB activation read by 100 ops: each op may allocate index tables and touches it per run.
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 1 << 20);
        int[] outs = new int[100];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = g.tensor("y" + i, TensorType.FLOAT32, 1);
            g.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {x, outs[i]}, new int[] {g.tensor("z" + i, TensorType.FLOAT32, 1 << 20)});
        }
        g.inputs(x).outputs(outs[0]);
        byte[] file = w.toBytes();
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> load(file, new Interpreter.Options()));
        assertTrue(e.getMessage().contains("the ops read and write "), e.getMessage());
    }

    @Test
    void anOpThatWritesATensorItReadsIsRefusedAtLoad() {
        // Fuzz case: FULLY_CONNECTED's bias index 2 -> 3 made the bias its own output; the run then failed
        // inside the kernel with an IllegalArgumentException.
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 1, 4);
        int wt = g.constant("w", new int[] {3, 4}, new float[12]);
        int h = g.tensor("h", TensorType.FLOAT32, 1, 3);
        g.op(BuiltinOp.FULLY_CONNECTED, new FullyConnectedOptionsT(), new int[] {x, wt, h}, new int[] {h});
        g.inputs(x).outputs(h);
        byte[] file = w.toBytes();
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> load(file, new Interpreter.Options()));
        assertTrue(e.getMessage().contains("op 0 FULLY_CONNECTED: input 2 (tensor 2) and output 0 (tensor 2)"), e.getMessage());
    }

    @Test
    void anOpThatReadsAViewOfItsOutputIsRefusedAtLoad() {
        // y = MUL(x, v) where v = RESHAPE(y): the output and an input share storage through the view.
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 2, 2);
        int y = g.tensor("y", TensorType.FLOAT32, 2, 2);
        int v = g.tensor("v", TensorType.FLOAT32, 2, 2);
        int shape = g.constant("shape", new int[] {2}, new int[] {2, 2});
        g.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {x, v}, new int[] {y});
        g.op(BuiltinOp.RESHAPE, null, new int[] {y, shape}, new int[] {v});
        g.inputs(x).outputs(v);
        byte[] file = w.toBytes();
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> load(file, new Interpreter.Options()));
        assertTrue(e.getMessage().contains("are the same tensor or views of it"), e.getMessage());
    }

    /**
     * Many operator entries pointing at one operator table (a FlatBuffer lets offsets share): the verifier
     * charges every visit, so the ops a small file can declare stay linear in its size, and loading them
     * stays within the documented memory bound.
     */
    @Test
    void sharedOperatorEntriesStayWithinTheMemoryBound() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int entries : new int[] {1_000, 10_000, 20_000, 100_000}) {
            byte[] file = sharedOperatorEntries(entries);
            long before = threads.getThreadAllocatedBytes(id);
            long t0 = System.nanoTime();
            String outcome;
            try {
                Model m = load(file, new Interpreter.Options());
                try (Interpreter in = new Interpreter(m, new Interpreter.Options())) {
                    in.setInput(0, new float[] {1});
                    in.invoke();
                }
                outcome = "ran";
            } catch (org.tfl4j.parser.ModelFormatException e) {
                assertTrue(e.getMessage().contains("units of work"), e.getMessage());
                outcome = "refused by the work limit";
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            long bound = 4 * Model.defaultMaxTensorBytes(file.length) + 64L * file.length + 16 * MIB;
            System.out.println(entries + " shared op entries, " + file.length + " bytes: " + outcome + ", allocated "
                    + allocated + " (bound " + bound + ") in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertTrue(allocated <= bound, entries + " entries: allocated " + allocated + ", bound " + bound);
            if (entries == 1_000) assertEquals("ran", outcome);
            if (entries == 100_000) assertEquals("refused by the work limit", outcome);
        }
    }

    /** x[1] → LOGISTIC → y[1], with {@code entries} operator entries all pointing at that one operator. */
    private static byte[] sharedOperatorEntries(int entries) {
        com.google.flatbuffers.FlatBufferBuilder b = new com.google.flatbuffers.FlatBufferBuilder(1 << 16);
        int[] tensors = new int[2];
        for (int t = 0; t < 2; t++) {
            int name = b.createString(t == 0 ? "x" : "y");
            int shape = org.tensorflow.lite.schema.Tensor.createShapeVector(b, new int[] {1});
            tensors[t] = org.tensorflow.lite.schema.Tensor.createTensor(b, shape, org.tensorflow.lite.schema.TensorType.FLOAT32,
                    0L, name, 0, false, 0, 0, false, 0);
        }
        int in = org.tensorflow.lite.schema.Operator.createInputsVector(b, new int[] {0});
        int out = org.tensorflow.lite.schema.Operator.createOutputsVector(b, new int[] {1});
        org.tensorflow.lite.schema.Operator.startOperator(b);
        org.tensorflow.lite.schema.Operator.addOpcodeIndex(b, 0);
        org.tensorflow.lite.schema.Operator.addInputs(b, in);
        org.tensorflow.lite.schema.Operator.addOutputs(b, out);
        int op = org.tensorflow.lite.schema.Operator.endOperator(b);
        int[] ops = new int[entries];
        java.util.Arrays.fill(ops, op);
        int opVector = org.tensorflow.lite.schema.SubGraph.createOperatorsVector(b, ops);
        int tensorVector = org.tensorflow.lite.schema.SubGraph.createTensorsVector(b, tensors);
        int inputs = org.tensorflow.lite.schema.SubGraph.createInputsVector(b, new int[] {0});
        int outputs = org.tensorflow.lite.schema.SubGraph.createOutputsVector(b, new int[] {1});
        org.tensorflow.lite.schema.SubGraph.startSubGraph(b);
        org.tensorflow.lite.schema.SubGraph.addTensors(b, tensorVector);
        org.tensorflow.lite.schema.SubGraph.addInputs(b, inputs);
        org.tensorflow.lite.schema.SubGraph.addOutputs(b, outputs);
        org.tensorflow.lite.schema.SubGraph.addOperators(b, opVector);
        int subgraph = org.tensorflow.lite.schema.SubGraph.endSubGraph(b);
        int subgraphs = org.tensorflow.lite.schema.Model.createSubgraphsVector(b, new int[] {subgraph});
        org.tensorflow.lite.schema.OperatorCode.startOperatorCode(b);
        org.tensorflow.lite.schema.OperatorCode.addDeprecatedBuiltinCode(b, (byte) BuiltinOp.LOGISTIC);
        org.tensorflow.lite.schema.OperatorCode.addBuiltinCode(b, BuiltinOp.LOGISTIC);
        org.tensorflow.lite.schema.OperatorCode.addVersion(b, 1);
        int code = org.tensorflow.lite.schema.OperatorCode.endOperatorCode(b);
        int codes = org.tensorflow.lite.schema.Model.createOperatorCodesVector(b, new int[] {code});
        org.tensorflow.lite.schema.Buffer.startBuffer(b);
        int empty = org.tensorflow.lite.schema.Buffer.endBuffer(b);
        int buffers = org.tensorflow.lite.schema.Model.createBuffersVector(b, new int[] {empty});
        org.tensorflow.lite.schema.Model.startModel(b);
        org.tensorflow.lite.schema.Model.addVersion(b, 3);
        org.tensorflow.lite.schema.Model.addOperatorCodes(b, codes);
        org.tensorflow.lite.schema.Model.addSubgraphs(b, subgraphs);
        org.tensorflow.lite.schema.Model.addBuffers(b, buffers);
        int model = org.tensorflow.lite.schema.Model.endModel(b);
        org.tensorflow.lite.schema.Model.finishModelBuffer(b, model);
        return b.sizedByteArray();
    }
}

package org.tfl4j.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.Model;
import org.tfl4j.engine.ops.Node;
import org.tfl4j.engine.ops.OpKernel;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.engine.ops.TensorSpec;
import org.tfl4j.kernels.TopKV2;
import org.tfl4j.kernels.simd.F32Logistic;
import org.tfl4j.kernels.simd.F32Tanh;
import org.tfl4j.kernels.simd.TopKFilter;
import org.tfl4j.kernels.simd.VectorWidth;

import org.tfl4j.parser.BuiltinOp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The kernels at the end of the MovieLens models, alone: TOPK_V2 over 3953 scores with k = 100, and Eigen's
 * logistic and tanh on 100 values (the LOGISTIC op) and on 16 (one LSTM gate), each as the SIMD kernel at the JVM's
 * vector width ({@code -Dtfl4j.vectorBits}, default the CPU's), its scalar twin, and for TOPK_V2 the replay of
 * TFLite's heap steps that was the only path before. All variants run in one JVM: the benchmark calls the vector and
 * scalar entry points directly rather than through the width switch.
 *
 * <p>TOPK_V2's scores are the models' own logits for the representative history (indexed by MovieLens MovieID),
 * and a seeded normal in random order (about {@code k ln(n / k)} of them enter the heap).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TopKLogisticBenchmark {

    /** One row of 3953 scores and the outputs and scratch of k = 100, allocated once. */
    @State(Scope.Thread)
    public static class TopK {
        static final int ROW = 3953;
        static final int K = 100;

        /** {@code normal}: a seeded standard normal in random order; a model's name: its logits for the representative history. */
        @Param({"normal", "bow", "cnn", "rnn"})
        public String scores;

        float[] row;
        final float[] values = new float[K];
        final int[] indices = new int[K];
        final int[] replayScratch = new int[TopKV2.scratchNeeded(K)];
        final long[] keys = new long[TopKFilter.keysNeeded(ROW, K)];

        @Setup
        public void setUp() throws IOException {
            if (scores.equals("normal")) {
                Random random = new Random(3953);
                row = new float[ROW];
                for (int i = 0; i < ROW; i++) row[i] = (float) (random.nextGaussian() * 3);
            } else {
                row = modelLogits(MovieLensModel.byShortName(scores));
            }
            if (row.length != ROW) throw new IllegalStateException(scores + ": " + row.length + " scores, expected " + ROW);
            System.out.println("[tfl4j] TOPK_V2 " + ROW + " -> " + K + " over " + scores + " scores, " + VectorWidth.describe());
            // All three must agree, or the timings compare different work.
            int[] replay = new int[K];
            TopKV2.float32(row, 0, 1, ROW, K, values, 0, replay, 0, replayScratch);
            TopKFilter.float32RowVector(row, 0, ROW, K, values, 0, indices, 0, keys, replayScratch);
            if (!Arrays.equals(replay, indices)) throw new IllegalStateException("vector top-k differs from the replay");
            TopKFilter.float32RowScalar(row, 0, ROW, K, values, 0, indices, 0, keys, replayScratch);
            if (!Arrays.equals(replay, indices)) throw new IllegalStateException("scalar top-k differs from the replay");
        }
    }

    /**
     * The input of the model's TOPK_V2 (its logits over the 3953 movie ids) for the representative
     * history: one tfl4j inference with a TOPK_V2 kernel that copies its input before running the builtin one.
     */
    static float[] modelLogits(MovieLensModel model) throws IOException {
        Path dir = ModelsDirectory.find();
        RepresentativeHistory history = RepresentativeHistory.load(dir);
        float[][] captured = new float[1][];
        OpKernel builtin = OpRegistry.builtins().kernel(BuiltinOp.TOPK_V2);
        OpKernel capturing = ctx -> {
            TensorSpec logits = ctx.requireInput(0);
            OpKernel.Prepared prepared = builtin.prepare(ctx);
            return buffers -> {
                Node topK = prepared.bind(buffers);
                float[] x = buffers.floats(logits);
                int offset = buffers.offset(logits);
                return () -> {
                    captured[0] = Arrays.copyOfRange(x, offset, offset + logits.elementCount());
                    topK.run();
                };
            };
        };
        Interpreter.Options options = new Interpreter.Options()
                .setOpRegistry(OpRegistry.builtins().withKernel(BuiltinOp.TOPK_V2, capturing));
        try (Interpreter interpreter = new Interpreter(Model.load(dir.resolve(model.fileName()), options), options)) {
            for (int k = 0; k < interpreter.getInputTensorCount(); k++) {
                interpreter.setInput(k, history.inputOfLength(interpreter.getInputTensor(k).numElements()));
            }
            interpreter.invoke();
        }
        if (captured[0] == null) throw new IllegalStateException(model.shortName() + ": no TOPK_V2 ran");
        return captured[0];
    }

    /** Inputs and outputs of one activation call; n = 100 is the LOGISTIC op's size, 16 an LSTM gate's. */
    @State(Scope.Thread)
    public static class Activation {
        @Param({"100", "16"})
        public int n;

        float[] x;
        float[] y;

        @Setup
        public void setUp() {
            Random random = new Random(n);
            x = new float[n];
            y = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) (random.nextGaussian() * 4);
        }
    }

    @Benchmark
    public int topKVector(TopK s) {
        TopKFilter.float32RowVector(s.row, 0, TopK.ROW, TopK.K, s.values, 0, s.indices, 0, s.keys, s.replayScratch);
        return s.indices[0];
    }

    @Benchmark
    public int topKScalar(TopK s) {
        TopKFilter.float32RowScalar(s.row, 0, TopK.ROW, TopK.K, s.values, 0, s.indices, 0, s.keys, s.replayScratch);
        return s.indices[0];
    }

    @Benchmark
    public int topKReplay(TopK s) {
        TopKV2.float32(s.row, 0, 1, TopK.ROW, TopK.K, s.values, 0, s.indices, 0, s.replayScratch);
        return s.indices[0];
    }

    @Benchmark
    public float logisticVector(Activation s) {
        F32Logistic.evalVector(s.x, 0, s.y, 0, s.n);
        return s.y[0];
    }

    @Benchmark
    public float logisticScalar(Activation s) {
        F32Logistic.evalScalar(s.x, 0, s.y, 0, s.n);
        return s.y[0];
    }

    @Benchmark
    public float tanhVector(Activation s) {
        F32Tanh.evalVector(s.x, 0, s.y, 0, s.n);
        return s.y[0];
    }

    @Benchmark
    public float tanhScalar(Activation s) {
        F32Tanh.evalScalar(s.x, 0, s.y, 0, s.n);
        return s.y[0];
    }
}

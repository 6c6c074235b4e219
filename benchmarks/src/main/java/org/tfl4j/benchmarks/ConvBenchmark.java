package org.tfl4j.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tfl4j.kernels.Conv2D;
import org.tfl4j.kernels.TfliteMath;
import org.tfl4j.kernels.simd.VectorWidth;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One CONV_2D kernel call per operation at the six shapes of the MovieLens CNN models (filter width 4, stride 4,
 * SAME, RELU, constant filter and bias): {@code simd} runs {@link Conv2D} on the filter packed once (the vector
 * kernels at the JVM's width; add {@code -jvmArgsAppend -Dtfl4j.vectorBits=0} for their scalar twins), {@code scalar}
 * the per-output scalar code. {@code numerics} picks the arithmetic of TFLite's single-thread kernel ({@code 1t}) or
 * of its multithreaded one ({@code 4t}); they differ only for the one-position shapes (dot4 against Eigen's blocked
 * GEMV). Setup checks that both implementations give the same bits.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class ConvBenchmark {

    /** {@code model-op}: input [1, 1, W, C] and filter [O, 1, 4, C] of that op (see {@link #SHAPES}). */
    @Param({"cnnGenre-7", "cnnGenre-8", "cnnGenre-18", "cnnGenre-19", "cnn-7", "cnn-8"})
    public String shape;

    @Param({"simd", "scalar"})
    public String impl;

    @Param({"1t", "4t"})
    public String numerics;

    /** Shape name → {W, C, O}. */
    private static final String[] NAMES = {"cnnGenre-7", "cnnGenre-8", "cnnGenre-18", "cnnGenre-19", "cnn-7", "cnn-8"};
    private static final int[][] SHAPES = {{32, 8, 64}, {8, 64, 128}, {10, 32, 64}, {3, 64, 128}, {10, 16, 32}, {3, 32, 64}};

    private Conv2D conv;
    private float[] x, filter, packedFilter, bias, y;
    private float smallestFilterValue;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = SHAPES[Arrays.asList(NAMES).indexOf(shape)];
        Conv2D.Geometry g = Conv2D.Geometry.of(1, 1, s[0], s[1], s[2], 1, 4, 1, 4, 1, 1, true);
        Random random = new Random(42);
        x = values(random, g.inWidth() * g.inChannels());
        filter = values(random, g.outChannels() * g.patchSize());
        bias = values(random, g.outChannels());
        y = new float[g.positions() * g.outChannels()];
        conv = new Conv2D(g, 0f, TfliteMath.FLT_MAX, numerics.equals("4t"), filter, 0); // constant, as in a model
        smallestFilterValue = conv.smallestFilterValue(filter, 0);
        packedFilter = impl.equals("simd") ? Conv2D.packFilter(g, filter, 0) : null;

        float[] expected = new float[y.length];
        conv.eval(x, 0, filter, 0, smallestFilterValue, null, 0, bias, 0, expected, 0);
        run();
        for (int i = 0; i < y.length; i++) {
            if (Float.floatToRawIntBits(y[i]) != Float.floatToRawIntBits(expected[i])) {
                throw new IllegalStateException(shape + " " + impl + " " + numerics + ": output " + i + " is " + y[i]
                        + ", the scalar code gives " + expected[i]);
            }
        }
        System.out.println("[tfl4j] " + shape + " " + g + ", " + VectorWidth.describe());
    }

    /** Signed values with magnitudes in [2^-8, 2^8), as weights and activations of a trained model might be. */
    private static float[] values(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextBoolean() ? 1f : -1f) * Math.scalb(1f + random.nextFloat(), random.nextInt(16) - 8);
        }
        return v;
    }

    @Benchmark
    public float[] run() {
        conv.eval(x, 0, filter, 0, smallestFilterValue, packedFilter, 0, bias, 0, y, 0);
        return y;
    }
}

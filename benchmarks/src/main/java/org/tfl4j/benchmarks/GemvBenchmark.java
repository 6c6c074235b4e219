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
import org.tfl4j.kernels.FullyConnected;
import org.tfl4j.kernels.TfliteMath;
import org.tfl4j.kernels.simd.F32GemvDot4;
import org.tfl4j.kernels.simd.VectorWidth;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One-row FULLY_CONNECTED product at the MovieLens models' sizes ({@code depth x units}: the label tables 16x3953 and
 * 32x3953, the LSTM's gate products one gate at a time (16x16) and its four gates at once (16x64), a 64x16 and a
 * 256x32 dense layer): the SIMD GEMV {@link F32GemvDot4} against
 * its scalar twin on the same packed weights and against {@link FullyConnected}'s scalar path on the plain weights.
 * All three give the same bits (checked in setup). The vector width is {@code -Dtfl4j.vectorBits} (add it with
 * {@code -jvmArgsAppend}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemvBenchmark {

    @Param({"16x3953", "32x3953", "16x16", "16x64", "64x16", "256x32"})
    public String depthXunits;

    private int depth;
    private int units;
    private float[] x;       // [depth]
    private float[] weights; // [units, depth]
    private float smallestWeight;
    private float[] packed;  // F32GemvDot4's layout
    private float[] scratch; // F32GemvDot4's broadcast input
    private float[] y;       // [units]

    @Setup
    public void setUp() {
        String[] parts = depthXunits.split("x");
        depth = Integer.parseInt(parts[0]);
        units = Integer.parseInt(parts[1]);
        Random random = new Random(42);
        x = values(random, depth);
        weights = values(random, units * depth);
        smallestWeight = FullyConnected.smallestWeight(weights, 0, units, depth);
        packed = F32GemvDot4.pack(weights, 0, units, depth);
        scratch = new float[F32GemvDot4.scratchNeeded(depth)];
        y = new float[units];

        float[] expected = new float[units];
        FullyConnected.eval(x, 0, 1, depth, weights, 0, units, smallestWeight, null, 0, -TfliteMath.FLT_MAX,
                TfliteMath.FLT_MAX, expected, 0);
        simd();
        check(expected, "simd");
        scalarTwin();
        check(expected, "scalarTwin");
        System.out.println("[tfl4j] GemvBenchmark " + depthXunits + ": " + VectorWidth.describe());
    }

    private void check(float[] expected, String which) {
        for (int o = 0; o < units; o++) {
            if (Float.floatToRawIntBits(expected[o]) != Float.floatToRawIntBits(y[o])) {
                throw new IllegalStateException(which + " " + depthXunits + ": unit " + o + " gave " + y[o]
                        + ", FullyConnected " + expected[o]);
            }
        }
        Arrays.fill(y, Float.NaN);
    }

    /** The vector kernel. */
    @Benchmark
    public float[] simd() {
        F32GemvDot4.evalVector(x, 0, depth, packed, units, null, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, y, 0,
                scratch);
        return y;
    }

    /** Its scalar twin, the same packed weights. */
    @Benchmark
    public float[] scalarTwin() {
        F32GemvDot4.evalScalar(x, 0, depth, packed, units, null, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, y, 0,
                scratch);
        return y;
    }

    /** The scalar path FULLY_CONNECTED took before the SIMD GEMV (dot4 per unit on the plain weights). */
    @Benchmark
    public float[] fullyConnectedScalar() {
        FullyConnected.eval(x, 0, 1, depth, weights, 0, units, smallestWeight, null, 0, -TfliteMath.FLT_MAX,
                TfliteMath.FLT_MAX, y, 0);
        return y;
    }

    /** Values of magnitude 2^-4 .. 2^1, both signs, like trained weights and embeddings. */
    private static float[] values(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float magnitude = (float) Math.scalb(1.0 + random.nextDouble(), random.nextInt(6) - 4);
            v[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return v;
    }
}

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
import org.tfl4j.kernels.TfliteMath;
import org.tfl4j.kernels.TopKV2;
import org.tfl4j.kernels.simd.F32GemvDot4;
import org.tfl4j.kernels.simd.F32GemvTopK;
import org.tfl4j.kernels.simd.F32SmallestMagnitude;
import org.tfl4j.kernels.simd.TopKFilter;
import org.tfl4j.kernels.simd.VectorWidth;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The fused scoring pass at the label tables' sizes ({@code 16x3953}, {@code 32x3953}; k = 100): {@link F32GemvTopK}'s
 * vector kernel, its scalar twin, and the two ops it replaces run apart ({@link F32GemvDot4} then TOPK_V2's fast path).
 * The input row is ReLU-like (a quarter or half of it zeros, {@code inputZeros}; the fused pass reads only the
 * table's columns of non-zero inputs) and the table normal, so the scores spread as the models' do; the three give
 * the same ids and value bits (checked in setup). Beside it, {@link F32SmallestMagnitude} (the flush check
 * every FULLY_CONNECTED and CONV_2D runs on its input) at the models' input lengths, vector and twin.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScoringBenchmark {
    private static final int K = 100;

    /** One table, its packed forms, one input row and every scratch, allocated once. */
    @State(Scope.Thread)
    public static class Scoring {
        @Param({"16x3953", "32x3953"})
        public String depthXunits;

        /** The share of the input row that is zero (the models' ReLU outputs: 25 to 56% on the representative history). */
        @Param({"0.25", "0.5"})
        public double inputZeros;

        int depth;
        int units;
        float[] x;
        int[] order;
        int[] packedPosition;
        float[] packed;      // F32GemvTopK's layout
        float[] plainPacked; // F32GemvDot4's layout, for the ops apart
        float[] scores;
        int[] terms;
        int[] hits;
        long[] keys;
        int[] ranks;
        float[] logits;
        float[] gemvScratch;
        int[] replayScratch;
        long[] topKKeys;
        final float[] values = new float[K];
        final int[] indices = new int[K];

        @Setup
        public void setUp() {
            String[] parts = depthXunits.split("x");
            depth = Integer.parseInt(parts[0]);
            units = Integer.parseInt(parts[1]);
            Random random = new Random(3953);
            float[] w = new float[units * depth];
            for (int i = 0; i < w.length; i++) w[i] = (float) (random.nextGaussian() * 0.3);
            x = new float[depth];
            for (int i = 0; i < depth; i++) x[i] = Math.abs((float) random.nextGaussian()) + 0.01f;
            for (int zeros = 0; zeros < Math.round(inputZeros * depth); ) { // that many distinct inputs set to zero
                int at = random.nextInt(depth);
                if (x[at] != 0f) {
                    x[at] = 0f;
                    zeros++;
                }
            }
            order = F32GemvTopK.packingOrder(units);
            packedPosition = F32GemvTopK.packedPositions(order);
            packed = F32GemvTopK.pack(w, 0, units, depth, order);
            plainPacked = F32GemvDot4.pack(w, 0, units, depth);
            scores = new float[F32GemvTopK.scoresNeeded(units)];
            terms = new int[F32GemvTopK.termsNeeded(depth)];
            hits = new int[F32GemvTopK.hitsNeeded(units)];
            keys = new long[F32GemvTopK.keysNeeded(K)];
            ranks = new int[F32GemvTopK.ranksNeeded()];
            logits = new float[units];
            gemvScratch = new float[F32GemvDot4.scratchNeeded(depth)];
            replayScratch = new int[TopKV2.scratchNeeded(K)];
            topKKeys = new long[TopKFilter.keysNeeded(units, K)];

            apart(this);
            float[] expectedValues = values.clone();
            int[] expectedIndices = indices.clone();
            if (!fusedVector(this)) throw new IllegalStateException(depthXunits + ": the fused kernel declined");
            same(expectedValues, expectedIndices, "fused vector kernel");
            if (!F32GemvTopK.evalScalar(x, 0, depth, packed, 0, order, packedPosition, units, K, values, 0, indices, 0,
                    scores, terms, hits, keys, ranks)) {
                throw new IllegalStateException(depthXunits + ": the scalar twin declined");
            }
            same(expectedValues, expectedIndices, "scalar twin");
            System.out.println("[tfl4j] ScoringBenchmark " + depthXunits + ": " + VectorWidth.describe());
        }

        private void same(float[] expectedValues, int[] expectedIndices, String what) {
            if (!Arrays.equals(expectedIndices, indices)) throw new IllegalStateException(what + ": other ids than the ops apart");
            KernelTwins.requireSameBits(values, expectedValues, depthXunits + " " + what + " against the ops apart");
            Arrays.fill(values, Float.NaN);
            Arrays.fill(indices, -1);
        }
    }

    /** The fused pass, vector kernel. */
    @Benchmark
    public boolean fused(Scoring s) {
        return fusedVector(s);
    }

    /** Its scalar twin. */
    @Benchmark
    public boolean fusedScalarTwin(Scoring s) {
        return F32GemvTopK.evalScalar(s.x, 0, s.depth, s.packed, 0, s.order, s.packedPosition, s.units, K, s.values, 0,
                s.indices, 0, s.scores, s.terms, s.hits, s.keys, s.ranks);
    }

    /** The two ops it replaces, run apart: the SIMD GEMV into the logits, then TOPK_V2's fast path on them. */
    @Benchmark
    public int[] opsApart(Scoring s) {
        return apart(s);
    }

    private static boolean fusedVector(Scoring s) {
        return F32GemvTopK.evalVector(s.x, 0, s.depth, s.packed, 0, s.order, s.packedPosition, s.units, K, s.values, 0,
                s.indices, 0, s.scores, s.terms, s.hits, s.keys, s.ranks);
    }

    private static int[] apart(Scoring s) {
        F32GemvDot4.evalVector(s.x, 0, s.depth, s.plainPacked, s.units, null, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX,
                s.logits, 0, s.gemvScratch);
        TopKV2.float32(s.logits, 0, 1, s.units, K, s.values, 0, s.indices, 0, s.replayScratch, s.topKKeys);
        return s.indices;
    }

    /** An input row of the models' FULLY_CONNECTED and CONV_2D inputs' lengths, ReLU-like. */
    @State(Scope.Thread)
    public static class Magnitudes {
        /** 16: the label FC's input; 64: cnn's dense layer; 256: cnn-genre's; 512: cnn-genre's second convolution. */
        @Param({"16", "64", "256", "512"})
        public int n;

        float[] v;

        @Setup
        public void setUp() {
            Random random = new Random(n);
            v = new float[n];
            for (int i = 0; i < n; i++) v[i] = Math.max(0f, (float) random.nextGaussian());
            float vector = F32SmallestMagnitude.nonZeroVector(v, 0, n);
            float scalar = F32SmallestMagnitude.nonZeroScalar(v, 0, n);
            if (Float.floatToRawIntBits(vector) != Float.floatToRawIntBits(scalar)) {
                throw new IllegalStateException("F32SmallestMagnitude " + n + ": vector " + vector + ", twin " + scalar);
            }
        }
    }

    /** The flush check's scan, vector kernel. */
    @Benchmark
    public float smallestMagnitude(Magnitudes m) {
        return F32SmallestMagnitude.nonZeroVector(m.v, 0, m.n);
    }

    /** Its scalar twin. */
    @Benchmark
    public float smallestMagnitudeScalarTwin(Magnitudes m) {
        return F32SmallestMagnitude.nonZeroScalar(m.v, 0, m.n);
    }
}

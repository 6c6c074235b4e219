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
import org.tfl4j.kernels.simd.F32EmbeddingMaskedRows;
import org.tfl4j.kernels.simd.F32EmbeddingMaskedSum;
import org.tfl4j.kernels.simd.VectorWidth;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The masked embedding lookup at the start of every MovieLens model (GATHER + MUL by the ids' mask, fused), alone, at
 * the models' sizes ({@code ids x rows x dim}): the 10 history ids into the 3953 x 16 movie table (the CNN and LSTM
 * models' masked rows; the bag of words' masked sum, the numerator of its mean), into the feature model's 3953 x 32
 * movie table, and its 32 genre ids into the 19 x 8 genre table. Each as the SIMD kernel at the JVM's vector width
 * ({@code -Dtfl4j.vectorBits}, default the CPU's) and its scalar twin, called directly; both give the same bits
 * (checked in setup). Tables and ids are seeded random; a quarter of the ids are the padding id 0 with mask 0, as a
 * short history has.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EmbeddingBenchmark {

    @Param({"10x3953x16", "10x3953x32", "32x19x8"})
    public String idsXrowsXdim;

    private int ids;
    private int dim;
    private float[] table; // [rows, dim]
    private int[] idList;  // [ids]
    private float[] mask;  // [ids]: 0 for the padding id 0, else 1
    private float[] out;   // [ids, dim], or [dim] for the sum

    @Setup
    public void setUp() {
        String[] parts = idsXrowsXdim.split("x");
        ids = Integer.parseInt(parts[0]);
        int rows = Integer.parseInt(parts[1]);
        dim = Integer.parseInt(parts[2]);
        Random random = new Random(rows * 31L + dim);
        table = new float[rows * dim];
        for (int i = 0; i < table.length; i++) table[i] = (float) (random.nextGaussian() * 0.1);
        idList = new int[ids];
        mask = new float[ids];
        for (int i = 0; i < ids; i++) {
            idList[i] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(rows - 1);
            mask[i] = idList[i] == 0 ? 0f : 1f;
        }
        out = new float[ids * dim];
        float[] vector = new float[ids * dim];
        float[] scalar = new float[ids * dim];
        F32EmbeddingMaskedRows.evalVector(table, dim, idList, 0, ids, mask, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, vector, 0);
        F32EmbeddingMaskedRows.evalScalar(table, dim, idList, 0, ids, mask, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, scalar, 0);
        KernelTwins.requireSameBits(vector, scalar, "masked rows " + idsXrowsXdim);
        F32EmbeddingMaskedSum.evalVector(table, dim, idList, 0, 1, ids, mask, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, vector, 0);
        F32EmbeddingMaskedSum.evalScalar(table, dim, idList, 0, 1, ids, mask, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, scalar, 0);
        KernelTwins.requireSameBits(Arrays.copyOf(vector, dim), Arrays.copyOf(scalar, dim), "masked sum " + idsXrowsXdim);
        System.out.println("[tfl4j] EmbeddingBenchmark " + idsXrowsXdim + ": " + VectorWidth.describe());
    }

    @Benchmark
    public float maskedRowsVector() {
        F32EmbeddingMaskedRows.evalVector(table, dim, idList, 0, ids, mask, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, out, 0);
        return out[0];
    }

    @Benchmark
    public float maskedRowsScalar() {
        F32EmbeddingMaskedRows.evalScalar(table, dim, idList, 0, ids, mask, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, out, 0);
        return out[0];
    }

    @Benchmark
    public float maskedSumVector() {
        F32EmbeddingMaskedSum.evalVector(table, dim, idList, 0, 1, ids, mask, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, out, 0);
        return out[0];
    }

    @Benchmark
    public float maskedSumScalar() {
        F32EmbeddingMaskedSum.evalScalar(table, dim, idList, 0, 1, ids, mask, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, out, 0);
        return out[0];
    }
}

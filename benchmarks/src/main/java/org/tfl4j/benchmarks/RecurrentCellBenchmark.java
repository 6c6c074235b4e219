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
import org.tfl4j.kernels.Gru;
import org.tfl4j.kernels.simd.F32GruCellLanes;
import org.tfl4j.kernels.simd.F32LstmCellLanes;
import org.tfl4j.kernels.simd.VectorWidth;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The recurrent cells' elementwise kernels, alone: the LSTM's cell update and output gating
 * ({@link F32LstmCellLanes}, after the gate activations) and the GRU's gate pre-activation, candidate and new state
 * ({@link F32GruCellLanes}), each as the SIMD kernel at the JVM's vector width ({@code -Dtfl4j.vectorBits}, default
 * the CPU's) and its scalar twin, called directly; the pairs give the same bits (checked in setup). 16 units is the
 * published LSTM model's size (and the GRU encoders' default), 64 a wider cell. {@code gruStep} is one whole GRU step
 * ({@link Gru#step}: its two gate GEMVs, the activations and these kernels) at the JVM's width, for scale.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RecurrentCellBenchmark {

    @Param({"16", "64"})
    public int units;

    private float[] gates;   // [4 units]: LSTM gate activations (input, forget, cell, output); GRU's mx [3 units]
    private float[] mh;      // [3 units]: GRU's recurrent products
    private float[] c;       // [units] LSTM cell state
    private float[] t;       // [units] tanh of the cell
    private float[] h;       // [units] state
    private float[] z;       // [units] GRU update gate
    private float[] hh;      // [units] GRU candidate
    private float[] out;     // [units]
    private Gru gru;
    private float[] x;       // [units] GRU step input

    @Setup
    public void setUp() {
        Random random = new Random(units);
        gates = sigmoids(random, 4 * units);
        mh = normals(random, 3 * units);
        c = normals(random, units);
        t = normals(random, units);
        h = normals(random, units);
        z = sigmoids(random, units);
        hh = normals(random, units);
        out = new float[units];
        x = normals(random, units);
        int g = 3 * units;
        gru = new Gru(new Gru.Weights(units, units, normals(random, g * units), normals(random, g),
                normals(random, g * units), normals(random, g), null, new int[] {0, units, 2 * units},
                new int[] {0, units, 2 * units}, 1f));

        float[] a = c.clone(), b = c.clone();
        F32LstmCellLanes.updateCellVector(gates, units, 0, 2 * units, false, a, 0, units, 0f);
        F32LstmCellLanes.updateCellScalar(gates, units, 0, 2 * units, false, b, 0, units, 0f);
        KernelTwins.requireSameBits(a, b, "LSTM cell update, " + units + " units");
        a = new float[units];
        b = new float[units];
        F32LstmCellLanes.gateOutputVector(gates, 3 * units, t, 0, a, 0, units);
        F32LstmCellLanes.gateOutputScalar(gates, 3 * units, t, 0, b, 0, units);
        KernelTwins.requireSameBits(a, b, "LSTM output gating, " + units + " units");
        F32GruCellLanes.sumVector(gates, 0, mh, 0, a, 0, units);
        F32GruCellLanes.sumScalar(gates, 0, mh, 0, b, 0, units);
        KernelTwins.requireSameBits(a, b, "GRU gate sum, " + units + " units");
        F32GruCellLanes.updateVector(z, 0, h, 0, hh, 0, 1f, a, 0, units);
        F32GruCellLanes.updateScalar(z, 0, h, 0, hh, 0, 1f, b, 0, units);
        KernelTwins.requireSameBits(a, b, "GRU state update, " + units + " units");
        F32GruCellLanes.candidateVector(gates, 2 * units, z, 0, mh, 2 * units, a, 0, units);
        F32GruCellLanes.candidateScalar(gates, 2 * units, z, 0, mh, 2 * units, b, 0, units);
        KernelTwins.requireSameBits(a, b, "GRU candidate, " + units + " units");
        System.out.println("[tfl4j] RecurrentCellBenchmark " + units + " units: " + VectorWidth.describe());
    }

    private static float[] normals(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }

    private static float[] sigmoids(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (1 / (1 + Math.exp(-random.nextGaussian() * 2)));
        return v;
    }

    // The LSTM cell: c = f * c + i * g (the state kept between calls changes, the work does not), h = o * tanh(c).

    @Benchmark
    public float lstmCellVector() {
        F32LstmCellLanes.updateCellVector(gates, units, 0, 2 * units, false, c, 0, units, 0f);
        F32LstmCellLanes.gateOutputVector(gates, 3 * units, t, 0, out, 0, units);
        return out[0];
    }

    @Benchmark
    public float lstmCellScalar() {
        F32LstmCellLanes.updateCellScalar(gates, units, 0, 2 * units, false, c, 0, units, 0f);
        F32LstmCellLanes.gateOutputScalar(gates, 3 * units, t, 0, out, 0, units);
        return out[0];
    }

    // The GRU cell around its activations: two gate sums, the candidate's pre-activation, the new state.

    @Benchmark
    public float gruCellVector() {
        F32GruCellLanes.sumVector(gates, 0, mh, 0, out, 0, units);
        F32GruCellLanes.sumVector(gates, units, mh, units, out, 0, units);
        F32GruCellLanes.candidateVector(gates, 2 * units, z, 0, mh, 2 * units, out, 0, units);
        F32GruCellLanes.updateVector(z, 0, h, 0, hh, 0, 1f, out, 0, units);
        return out[0];
    }

    @Benchmark
    public float gruCellScalar() {
        F32GruCellLanes.sumScalar(gates, 0, mh, 0, out, 0, units);
        F32GruCellLanes.sumScalar(gates, units, mh, units, out, 0, units);
        F32GruCellLanes.candidateScalar(gates, 2 * units, z, 0, mh, 2 * units, out, 0, units);
        F32GruCellLanes.updateScalar(z, 0, h, 0, hh, 0, 1f, out, 0, units);
        return out[0];
    }

    @Benchmark
    public float gruStep() {
        gru.step(x, 0, h, 0, out, 0);
        return out[0];
    }
}

package org.tfl4j.kernels;

import org.tfl4j.kernels.simd.F32GemvDot4;
import org.tfl4j.kernels.simd.F32LstmCellLanes;

import java.util.Arrays;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, float32 (spec 3.10): TFLite's {@code lstm_eval} float path, one step per
 * time step, with optional CIFG (no input gate: {@code i = 1 - f}), peepholes, projection and layer norm (the
 * gate sums start from 0 and are normalized, scaled and biased before the activation, {@link #layerNormalize}).
 * Diagonal recurrent weights ({@code [cells]}, multiplied elementwise with h) replace the recurrent products
 * when {@link Config#diagonalRecurrent()}.
 *
 * <p>Per step, for each gate (input, forget, cell, then the cell update, then output):
 * <pre>
 *   acc = bias                                     // [rows, cells]
 *   if the step's input is not all zeros: acc = FC(W, x, acc)
 *   acc = FC(R, h, acc)
 *   peephole: acc = ftz(acc + ftz(p * c))          // forget/input use the old c, output the new c
 *   i, f, o = logistic(acc);  g = act(acc)
 *   c = ftz(ftz(f * c) + ftz(g * i))  then clip     // CIFG: i = 1 - f
 *   hidden = ftz(o * act(c));  h = projection ? clip(FC(P, hidden, projBias)) : hidden
 * </pre>
 * {@code FC(M, v, acc)} is TFLite's FULLY_CONNECTED call with the accumulator as bias: for one row
 * {@code clamp(ftz(dot4(M[j], v) + acc), ±FLT_MAX)} (a single cell: Eigen's inner product instead of dot4); for
 * several rows (time-major with batch &gt; 1) an Eigen GEMM ({@link MatMul#cpuBackendGemm}), clamped, then the
 * accumulator added. The products flush subnormals when their operands allow them ({@link MatMul#needsFlush}),
 * and a subnormal accumulator or peephole weight is read as ±0 (DAZ). Batch-major input runs each
 * batch as its own sequence of one-row steps, as TFLite does. The logistic of a gate uses the packet or
 * scalar path by where the gate's buffer sits in TFLite's 64-byte-aligned scratch tensor ({@link Logistic}).
 *
 * <p>The spec verifies the MovieLens configuration (batch-major, batch 1, no CIFG/peephole/projection,
 * TANH); time-major batches, CIFG, peepholes, projection, RELU-type activations and cell counts that are
 * not a multiple of 4 follow TFLite's lstm_eval.cc and matched TFLite 2.21 bit for bit in single-op probes.
 *
 * <p>With constant weights and one row per step, the one-row products that need no flushing run the SIMD GEMV
 * {@link F32GemvDot4} (dot4's exact order in every lane) on weights packed once ({@link #packWeights}). When all
 * four gates are plain (no CIFG, peephole, layer norm or diagonal recurrent weights) and no gate's product needs
 * flushing, one GEMV does the input products of all four gates at once and one the recurrent products
 * ({@link #fusesGateProducts}): the gates' matrices stacked as one {@code [4 * cells, depth]}, the accumulator the
 * four biases stacked. Each unit still gets its own gate's {@code dot4} and its own accumulator, so the bits are
 * those of the gate-by-gate products; only the fixed cost per GEMV call (input broadcast, passes) is paid twice a
 * step instead of eight times.
 *
 * <p>State: {@code h [batches, outputSize]} and {@code c [batches, cells]} are read at the start and hold
 * the final state at the end (TFLite's variable tensors).
 */
public final class Lstm {

    /** The activation TFLite applies to the cell gate and to the cell state (ApplyActivationToVector). */
    public enum Activation {
        TANH, RELU, RELU_N1_TO_1, RELU6;

        /** C++ {@code std::max(0.0f, v)} etc.: unlike the FC clamp, RELU maps -0.0 and NaN to +0. */
        float apply(float v) {
            switch (this) {
                case TANH: return TfliteMath.tanh(v);
                case RELU: return TfliteMath.stdMax(0f, v);
                case RELU_N1_TO_1: return TfliteMath.stdMax(-1f, TfliteMath.stdMin(v, 1f));
                case RELU6: return TfliteMath.stdMax(0f, TfliteMath.stdMin(v, 6f));
                default: throw new AssertionError(this);
            }
        }
    }

    /**
     * Sizes and options.
     *
     * @param steps      time steps T
     * @param timeMajor  input {@code [T, batches, inputSize]} if true, else {@code [batches, T, inputSize]}
     * @param cellClip   clip of the cell state, 0 for none
     * @param projClip   clip of the projection output, 0 for none
     * @param diagonalRecurrent recurrent weights are diagonals {@code [cells]} (elementwise with h; then
     *                   outputSize == cells), not matrices
     */
    public record Config(int batches, int steps, int inputSize, int cells, int outputSize, boolean timeMajor,
                         Activation activation, float cellClip, float projClip, boolean diagonalRecurrent) {

        /** Full recurrent matrices. */
        public Config(int batches, int steps, int inputSize, int cells, int outputSize, boolean timeMajor,
                      Activation activation, float cellClip, float projClip) {
            this(batches, steps, inputSize, cells, outputSize, timeMajor, activation, cellClip, projClip, false);
        }
    }

    /**
     * The tensors of one gate (array + offset of element 0 each).
     *
     * @param inputWeights     {@code [cells, inputSize]}
     * @param recurrentWeights {@code [cells, outputSize]}, or the diagonal {@code [cells]}
     * @param peephole         {@code [cells]}, or null
     * @param bias             {@code [cells]}
     * @param layerNorm        {@code [cells]} layer-norm coefficients, or null (see {@link #layerNormalize})
     */
    public record Gate(float[] inputWeights, int inputWeightsOff, float[] recurrentWeights, int recurrentWeightsOff,
                       float[] peephole, int peepholeOff, float[] bias, int biasOff, float[] layerNorm, int layerNormOff) {

        /** A gate without layer norm. */
        public Gate(float[] inputWeights, int inputWeightsOff, float[] recurrentWeights, int recurrentWeightsOff,
                    float[] peephole, int peepholeOff, float[] bias, int biasOff) {
            this(inputWeights, inputWeightsOff, recurrentWeights, recurrentWeightsOff, peephole, peepholeOff, bias, biasOff,
                    null, 0);
        }
    }

    /**
     * The optional projection.
     *
     * @param weights {@code [outputSize, cells]}
     * @param bias    {@code [outputSize]}, or null
     */
    public record Projection(float[] weights, int weightsOff, float[] bias, int biasOff) {}

    /**
     * Weight matrices packed for {@link F32GemvDot4}, made once by {@link #packWeights} and shared read-only by every
     * Lstm over the same constant weights. A null matrix runs the scalar products (absent, diagonal, or one unit).
     */
    public static final class PackedWeights {
        private final float[][] input;     // by gate i, f, c, o: [cells, inputSize] packed
        private final float[][] recurrent; // by gate: [cells, outputSize] packed
        private final float[] projection;  // [outputSize, cells] packed
        // The four gates' matrices stacked in gate order i, f, c, o, packed; null unless every gate has full
        // packed matrices (no CIFG, no diagonal recurrent weights, more than one cell).
        private final float[] inputAllGates;     // [4 * cells, inputSize] packed
        private final float[] recurrentAllGates; // [4 * cells, outputSize] packed

        private PackedWeights(float[][] input, float[][] recurrent, float[] projection, float[] inputAllGates,
                              float[] recurrentAllGates) {
            this.input = input;
            this.recurrent = recurrent;
            this.projection = projection;
            this.inputAllGates = inputAllGates;
            this.recurrentAllGates = recurrentAllGates;
        }
    }

    /**
     * Packs constant weights for the SIMD products, or returns null when the configuration never runs them
     * (time-major with several batches: its products are GEMMs). Arrays by gate i, f, c, o (the input gate's null
     * with CIFG), each read from element {@code 0}: {@code inputWeights [cells, inputSize]}, {@code recurrentWeights
     * [cells, outputSize]} (ignored with diagonal recurrent weights), {@code projectionWeights [outputSize, cells]}
     * or null.
     */
    public static PackedWeights packWeights(Config config, float[][] inputWeights, float[][] recurrentWeights,
                                            float[] projectionWeights) {
        if (rowsPerStep(config) != 1) return null;
        int cells = config.cells(), in = config.inputSize(), out = config.outputSize();
        float[][] input = new float[4][];
        float[][] recurrent = new float[4][];
        for (int i = 0; i < 4; i++) {
            if (inputWeights[i] == null) continue;
            input[i] = packOneRow(inputWeights[i], 0, cells, in);
            if (!config.diagonalRecurrent()) recurrent[i] = packOneRow(recurrentWeights[i], 0, cells, out);
        }
        float[] projection = projectionWeights == null ? null : packOneRow(projectionWeights, 0, out, cells);
        boolean everyGatePacked = true;
        for (int i = 0; i < 4; i++) everyGatePacked &= input[i] != null && recurrent[i] != null;
        return everyGatePacked
                ? new PackedWeights(input, recurrent, projection, packAllGates(inputWeights, cells, in),
                        packAllGates(recurrentWeights, cells, out))
                : new PackedWeights(input, recurrent, projection, null, null);
    }

    /** The four gates' {@code [cells, depth]} matrices (gate order i, f, c, o) stacked as one, then packed. */
    private static float[] packAllGates(float[][] byGate, int cells, int depth) {
        float[] stacked = new float[4 * cells * depth]; // [4 * cells, depth]
        for (int i = 0; i < 4; i++) System.arraycopy(byGate[i], 0, stacked, i * cells * depth, cells * depth);
        return F32GemvDot4.pack(stacked, 0, 4 * cells, depth);
    }

    /** A single unit is Eigen's inner product, not dot4: left to the scalar code. */
    private static float[] packOneRow(float[] m, int mOff, int units, int depth) {
        return units < 2 ? null : F32GemvDot4.pack(m, mOff, units, depth);
    }

    private static int rowsPerStep(Config config) {
        return config.timeMajor() ? config.batches() : 1;
    }

    private final Config cfg;
    private final Gate inputGate; // null with CIFG
    private final Gate forgetGate;
    private final Gate cellGate;
    private final Gate outputGate;
    private final Projection projection; // may be null
    private final int rowsPerStep;       // batches for time-major, 1 for batch-major
    // The gate buffers of one step, [4, rowsPerStep, cells]: the gates i, f, c, o one slice each (input gate's
    // slice unused with CIFG), so the fused products write all four at once.
    private final float[] gates;
    private final float[] hidden;       // [rowsPerStep, cells]
    // Smallest non-zero weight magnitudes by gate (MatMul.needsFlush): measured once for constant weights,
    // at every eval otherwise.
    private final boolean constantWeights;
    private final float[] smallestInputWeight = new float[4];
    private final float[] smallestRecurrentWeight = new float[4];
    private float smallestProjectionWeight;
    private final PackedWeights packed; // null: scalar products only
    private final boolean fusedGates;   // the four gates' products may run as one GEMV each (fusesGateProducts)
    private final float[] allBiases;    // [4 * cells]: the four biases stacked, the fused products' first accumulator
    // [max(cells, outputSize)], 4 * cells at least when fused: the SIMD products' output, apart from the accumulator
    private final float[] gemvOutput;
    private final float[] gemvScratch;  // the SIMD products' scratch, for depths inputSize, outputSize and cells

    /** Like {@link #Lstm(Config, Gate, Gate, Gate, Gate, Projection, boolean)} with weights that may change. */
    public Lstm(Config config, Gate inputGate, Gate forgetGate, Gate cellGate, Gate outputGate, Projection projection) {
        this(config, inputGate, forgetGate, cellGate, outputGate, projection, false);
    }

    /**
     * {@code inputGate} null means CIFG; {@code projection} null means none (then outputSize == cells).
     * {@code constantWeights}: the weight arrays hold their final values now and never change, so their
     * magnitudes are measured once here instead of at every eval.
     */
    public Lstm(Config config, Gate inputGate, Gate forgetGate, Gate cellGate, Gate outputGate, Projection projection,
                boolean constantWeights) {
        this(config, inputGate, forgetGate, cellGate, outputGate, projection, constantWeights,
                constantWeights ? packWeights(config, inputGate, forgetGate, cellGate, outputGate, projection) : null);
    }

    /**
     * Constant weights already packed by {@link #packWeights} from exactly these gates' and projection's weight
     * arrays (shared by every Lstm of a model; null when packWeights returned null).
     */
    public Lstm(Config config, Gate inputGate, Gate forgetGate, Gate cellGate, Gate outputGate, Projection projection,
                PackedWeights packedWeights) {
        this(config, inputGate, forgetGate, cellGate, outputGate, projection, true, packedWeights);
    }

    private Lstm(Config config, Gate inputGate, Gate forgetGate, Gate cellGate, Gate outputGate, Projection projection,
                 boolean constantWeights, PackedWeights packedWeights) {
        this.cfg = config;
        this.inputGate = inputGate;
        this.forgetGate = forgetGate;
        this.cellGate = cellGate;
        this.outputGate = outputGate;
        this.projection = projection;
        this.rowsPerStep = rowsPerStep(config);
        int n = rowsPerStep * config.cells();
        this.gates = new float[4 * n];
        this.hidden = new float[n];
        this.constantWeights = constantWeights;
        this.packed = packedWeights;
        this.fusedGates = packedWeights != null && packedWeights.inputAllGates != null && rowsPerStep == 1
                && allGatesPlain(inputGate, forgetGate, cellGate, outputGate);
        this.allBiases = fusedGates ? new float[4 * config.cells()] : null;
        this.gemvOutput = packedWeights == null ? null
                : new float[Math.max(fusedGates ? 4 * config.cells() : config.cells(), config.outputSize())];
        this.gemvScratch = packedWeights == null ? null : new float[Math.max(F32GemvDot4.scratchNeeded(config.inputSize()),
                Math.max(F32GemvDot4.scratchNeeded(config.outputSize()), F32GemvDot4.scratchNeeded(config.cells())))];
        if (constantWeights) measureWeights();
    }

    /** Every gate present (no CIFG) and none with a peephole or layer norm. */
    private static boolean allGatesPlain(Gate... gates) {
        for (Gate g : gates) {
            if (g == null || g.peephole() != null || g.layerNorm() != null) return false;
        }
        return true;
    }

    /**
     * Whether the four gates' products run as one GEMV each when no product needs flushing (see the class comment):
     * packed weights, one row per step, and all four gates plain. Otherwise, and at steps where a gate's product
     * needs flushing, each gate's products run on their own.
     */
    public boolean fusesGateProducts() {
        return fusedGates;
    }

    /** {@link #packWeights(Config, float[][], float[][], float[])} from the gates' weights at their offsets. */
    private static PackedWeights packWeights(Config config, Gate inputGate, Gate forgetGate, Gate cellGate,
                                             Gate outputGate, Projection projection) {
        float[][] input = new float[4][];
        float[][] recurrent = new float[4][];
        Gate[] gates = {inputGate, forgetGate, cellGate, outputGate};
        int cells = config.cells(), in = config.inputSize(), out = config.outputSize();
        for (int i = 0; i < 4; i++) {
            Gate g = gates[i];
            if (g == null) continue;
            input[i] = Arrays.copyOfRange(g.inputWeights(), g.inputWeightsOff(), g.inputWeightsOff() + cells * in);
            if (!config.diagonalRecurrent()) {
                recurrent[i] = Arrays.copyOfRange(g.recurrentWeights(), g.recurrentWeightsOff(),
                        g.recurrentWeightsOff() + cells * out);
            }
        }
        float[] projectionWeights = projection == null ? null : Arrays.copyOfRange(projection.weights(),
                projection.weightsOff(), projection.weightsOff() + out * cells);
        return packWeights(config, input, recurrent, projectionWeights);
    }

    /**
     * Runs the whole sequence.
     *
     * @param x input sequence (layout per {@link Config#timeMajor()})
     * @param h output state {@code [batches, outputSize]}, read and updated
     * @param c cell state {@code [batches, cells]}, read and updated
     * @param y output sequence, same layout as x with {@code outputSize} per row
     */
    public void eval(float[] x, int xOff, float[] h, int hOff, float[] c, int cOff, float[] y, int yOff) {
        int in = cfg.inputSize(), out = cfg.outputSize(), batches = cfg.batches(), steps = cfg.steps();
        if (!constantWeights) measureWeights();
        if (fusedGates) stackBiases(); // the fused products' first accumulator, the same for every step
        if (cfg.timeMajor()) {
            for (int t = 0; t < steps; t++) {
                step(x, xOff + t * batches * in, h, hOff, c, cOff, y, yOff + t * batches * out, 0);
            }
        } else {
            for (int b = 0; b < batches; b++) {
                for (int t = 0; t < steps; t++) {
                    int row = b * steps + t;
                    step(x, xOff + row * in, h, hOff + b * out, c, cOff + b * cfg.cells(),
                            y, yOff + row * out, b);
                }
            }
        }
    }

    private void measureWeights() {
        int in = cfg.inputSize(), out = cfg.outputSize();
        for (int i = 0; i < 4; i++) {
            Gate g = gate(i);
            if (g == null) continue;
            smallestInputWeight[i] = MatMul.smallestNonZeroMagnitude(g.inputWeights(), g.inputWeightsOff(), cfg.cells() * in);
            smallestRecurrentWeight[i] = MatMul.smallestNonZeroMagnitude(g.recurrentWeights(), g.recurrentWeightsOff(),
                    cfg.diagonalRecurrent() ? cfg.cells() : cfg.cells() * out);
        }
        if (projection != null) {
            smallestProjectionWeight = MatMul.smallestNonZeroMagnitude(projection.weights(), projection.weightsOff(),
                    out * cfg.cells());
        }
    }

    /** One time step over {@link #rowsPerStep} rows; {@code batch} places the gate buffers (batch-major). */
    private void step(float[] x, int xOff, float[] h, int hOff, float[] c, int cOff, float[] y, int yOff,
                      int batch) {
        int rows = rowsPerStep, cells = cfg.cells(), n = rows * cells;
        int input = 0, forget = n, cell = 2 * n, output = 3 * n; // the gates' slices of gates
        boolean zeroInput = isZero(x, xOff, rows * cfg.inputSize());
        boolean cifg = inputGate == null;
        // Either all four gates' sums now, or each gate's just before its activation (as TFLite orders them).
        boolean allGatesAtOnce = fusedGates && noGateProductNeedsFlush(x, xOff, zeroInput, h, hOff);
        if (allGatesAtOnce) allGateSums(x, xOff, zeroInput, h, hOff);

        if (!cifg) {
            if (!allGatesAtOnce) gate(0, input, x, xOff, zeroInput, h, hOff, c, cOff);
            Logistic.eval(gates, input, gates, input, n, scratchPhase(0, batch));
        }
        if (!allGatesAtOnce) gate(1, forget, x, xOff, zeroInput, h, hOff, c, cOff);
        Logistic.eval(gates, forget, gates, forget, n, scratchPhase(cifg ? 1 : 2, batch));
        if (!allGatesAtOnce) gate(2, cell, x, xOff, zeroInput, h, hOff, c, cOff);
        boolean tanh = cfg.activation() == Activation.TANH;
        if (tanh) Tanh.eval(gates, cell, gates, cell, n); // Eigen's packet and scalar tanh agree, so no phase matters
        else for (int i = 0; i < n; i++) gates[cell + i] = cfg.activation().apply(gates[cell + i]);

        F32LstmCellLanes.updateCell(gates, forget, input, cell, cifg, c, cOff, n, cfg.cellClip());

        if (!allGatesAtOnce) gate(3, output, x, xOff, zeroInput, h, hOff, c, cOff); // peephole sees the new c
        Logistic.eval(gates, output, gates, output, n, scratchPhase(cifg ? 2 : 3, batch));
        if (tanh) {
            Tanh.eval(c, cOff, hidden, 0, n);
            F32LstmCellLanes.gateOutput(gates, output, hidden, 0, hidden, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                hidden[i] = TfliteMath.ftz(gates[output + i] * cfg.activation().apply(c[cOff + i]));
            }
        }

        int out = cfg.outputSize();
        if (projection != null) {
            for (int r = 0; r < rows; r++) {
                int row = hOff + r * out;
                if (projection.bias() != null) {
                    System.arraycopy(projection.bias(), projection.biasOff(), h, row, out);
                } else {
                    Arrays.fill(h, row, row + out, 0f);
                }
            }
            accumulateProduct(projection.weights(), projection.weightsOff(), packed == null ? null : packed.projection,
                    cells, smallestProjectionWeight, hidden, 0, h, hOff, out);
            if (cfg.projClip() > 0) {
                for (int i = 0; i < rows * out; i++) h[hOff + i] = TfliteMath.clip(h[hOff + i], cfg.projClip());
            }
        } else {
            System.arraycopy(hidden, 0, h, hOff, n);
        }
        System.arraycopy(h, hOff, y, yOff, rows * out);
    }

    /**
     * The fused products ({@link #fusesGateProducts}), one row: {@code gates [4 * cells]} = for the gates i, f, c, o
     * at once, bias + W·x (unless x is all zeros) + R·h, each unit as {@link #accumulateProduct} computes it.
     */
    private void allGateSums(float[] x, int xOff, boolean zeroInput, float[] h, int hOff) {
        int cells = cfg.cells(), units = 4 * cells;
        float[] acc = allBiases; // [4 * cells]; the GEMV's output must not overlap its accumulator
        if (!zeroInput) {
            F32GemvDot4.eval(x, xOff, cfg.inputSize(), packed.inputAllGates, units, allBiases, 0,
                    -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, gemvOutput, 0, gemvScratch);
            acc = gemvOutput;
        }
        F32GemvDot4.eval(h, hOff, cfg.outputSize(), packed.recurrentAllGates, units, acc, 0,
                -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX, gates, 0, gemvScratch);
    }

    /** {@code allBiases [4 * cells]} = the biases of the gates i, f, c, o, one after another. */
    private void stackBiases() {
        int cells = cfg.cells();
        for (int i = 0; i < 4; i++) System.arraycopy(gate(i).bias(), gate(i).biasOff(), allBiases, i * cells, cells);
    }

    /**
     * Whether no gate's product needs flushing this step ({@link MatMul#needsFlush}, as {@link #accumulateProduct}
     * decides per gate): needsFlush only grows as a magnitude shrinks, so the smallest weight of the four gates
     * decides for all of them. The input product counts only when it runs (x not all zeros).
     */
    private boolean noGateProductNeedsFlush(float[] x, int xOff, boolean zeroInput, float[] h, int hOff) {
        if (!zeroInput && MatMul.needsFlush(smallestOfAllGates(smallestInputWeight),
                MatMul.smallestNonZeroMagnitude(x, xOff, cfg.inputSize()))) {
            return false;
        }
        return !MatMul.needsFlush(smallestOfAllGates(smallestRecurrentWeight),
                MatMul.smallestNonZeroMagnitude(h, hOff, cfg.outputSize()));
    }

    private static float smallestOfAllGates(float[] byGate) {
        return Math.min(Math.min(byGate[0], byGate[1]), Math.min(byGate[2], byGate[3]));
    }

    /**
     * gates[at ..] = bias, + W·x (unless x is all zeros), + R·h, + peephole·c: gate {@code index} before its
     * activation, {@code [rowsPerStep, cells]} at {@code at}.
     */
    private void gate(int index, int at, float[] x, int xOff, boolean zeroInput,
                      float[] h, int hOff, float[] c, int cOff) {
        Gate g = gate(index);
        float[] acc = gates;
        int cells = cfg.cells();
        if (g.layerNorm() != null) {
            Arrays.fill(acc, at, at + rowsPerStep * cells, 0f); // the bias comes after the normalization
        } else {
            for (int r = 0; r < rowsPerStep; r++) System.arraycopy(g.bias(), g.biasOff(), acc, at + r * cells, cells);
        }
        if (!zeroInput) {
            accumulateProduct(g.inputWeights(), g.inputWeightsOff(), packed == null ? null : packed.input[index],
                    cfg.inputSize(), smallestInputWeight[index], x, xOff, acc, at, cells);
        }
        if (cfg.diagonalRecurrent()) {
            // TFLite's VectorBatchVectorCwiseProductAccumulate: acc += r * h, elementwise (outputSize == cells).
            for (int r = 0; r < rowsPerStep; r++) {
                for (int j = 0; j < cells; j++) {
                    int i = r * cells + j;
                    float product = TfliteMath.ftz(TfliteMath.ftz(g.recurrentWeights()[g.recurrentWeightsOff() + j])
                            * TfliteMath.ftz(h[hOff + i]));
                    acc[at + i] = TfliteMath.ftz(TfliteMath.ftz(acc[at + i]) + product);
                }
            }
        } else {
            accumulateProduct(g.recurrentWeights(), g.recurrentWeightsOff(), packed == null ? null : packed.recurrent[index],
                    cfg.outputSize(), smallestRecurrentWeight[index], h, hOff, acc, at, cells);
        }
        if (g.peephole() != null) {
            for (int r = 0; r < rowsPerStep; r++) {
                for (int j = 0; j < cells; j++) {
                    int i = r * cells + j;
                    float p = TfliteMath.ftz(g.peephole()[g.peepholeOff() + j]);
                    acc[at + i] = TfliteMath.ftz(TfliteMath.ftz(acc[at + i]) + TfliteMath.ftz(p * c[cOff + i]));
                }
            }
        }
        if (g.layerNorm() != null) {
            for (int r = 0; r < rowsPerStep; r++) layerNormalize(acc, at + r * cells, cells, g);
        }
    }

    /** Gate {@code index} in the order input, forget, cell, output (the input gate is null with CIFG). */
    private Gate gate(int index) {
        return index == 0 ? inputGate : index == 1 ? forgetGate : index == 2 ? cellGate : outputGate;
    }

    /**
     * TFLite's layer-norm LSTM gate (tensor_utils MeanStddevNormalization, portable code on x86): over one row,
     * {@code mean = (x0 + x1 + ...) / n} summed in order, {@code variance = ((x0 - mean)^2 + ...) / n},
     * {@code x = (x - mean) * (1 / sqrt(variance + 1e-8))}, then times the coefficient, plus the bias; float32
     * throughout, under FTZ/DAZ.
     */
    private static void layerNormalize(float[] v, int off, int n, Gate g) {
        float sum = 0f;
        for (int i = 0; i < n; i++) sum = TfliteMath.ftz(sum + TfliteMath.ftz(v[off + i]));
        float mean = TfliteMath.ftz(sum / n);
        float sumDiffSquares = 0f;
        for (int i = 0; i < n; i++) {
            float diff = TfliteMath.ftz(TfliteMath.ftz(v[off + i]) - mean);
            sumDiffSquares = TfliteMath.ftz(sumDiffSquares + TfliteMath.ftz(diff * diff));
        }
        float variance = TfliteMath.ftz(sumDiffSquares / n);
        float stddevInverse = TfliteMath.ftz(1.0f / (float) Math.sqrt(TfliteMath.ftz(variance + 1e-8f))); // sqrtss: correctly rounded
        for (int i = 0; i < n; i++) {
            float normalized = TfliteMath.ftz(TfliteMath.ftz(TfliteMath.ftz(v[off + i]) - mean) * stddevInverse);
            float scaled = TfliteMath.ftz(TfliteMath.ftz(g.layerNorm()[g.layerNormOff() + i]) * normalized);
            v[off + i] = TfliteMath.ftz(scaled + TfliteMath.ftz(g.bias()[g.biasOff() + i]));
        }
    }

    /**
     * acc[r][j] (units per row) = TFLite's FC of matrix {@code m [units, depth]} and vector row {@code v[r]}
     * with the accumulator as its bias (see the class comment for one row vs several). {@code packedM}: {@code m}
     * packed for {@link F32GemvDot4}, or null.
     */
    private void accumulateProduct(float[] m, int mOff, float[] packedM, int depth, float smallestM, float[] v, int vOff,
                                   float[] acc, int accOff, int units) {
        int rows = rowsPerStep;
        boolean flush = MatMul.needsFlush(smallestM, MatMul.smallestNonZeroMagnitude(v, vOff, rows * depth));
        if (packedM != null && !flush) {
            // Packed only for one row and several units: dot4, + the accumulator (flushed), clamped, as below.
            // The kernel's output must not overlap its bias (the accumulator): it lands in gemvOutput, then in acc.
            F32GemvDot4.eval(v, vOff, depth, packedM, units, acc, accOff, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX,
                    gemvOutput, 0, gemvScratch);
            System.arraycopy(gemvOutput, 0, acc, accOff, units);
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < units; j++) {
                float product = MatMul.cpuBackendGemm(m, mOff + j * depth, v, vOff + r * depth, depth, j, r, units, rows, flush);
                int i = accOff + r * units + j;
                float bias = TfliteMath.ftz(acc[i]); // a bias copied in may be subnormal: DAZ reads it as ±0
                acc[i] = rows == 1
                        ? TfliteMath.activation(TfliteMath.ftz(product + bias), -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX)
                        : TfliteMath.ftz(TfliteMath.activation(product, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX) + bias);
            }
        }
    }

    /**
     * Offset mod 4 (in floats) of a gate buffer from TFLite's 64-byte-aligned scratch tensor, which holds
     * [input,] cell, forget, output gates of {@code batches × cells} floats each, in that order; a
     * batch-major step works on batch {@code batch}'s row of each.
     */
    private int scratchPhase(int slot, int batch) {
        int offset = slot * cfg.batches() * cfg.cells() + (cfg.timeMajor() ? 0 : batch * cfg.cells());
        return offset & 3;
    }

    /** TFLite's IsZeroVector under DAZ: subnormals compare equal to zero. */
    private static boolean isZero(float[] v, int off, int n) {
        for (int i = 0; i < n; i++) if (TfliteMath.ftz(v[off + i]) != 0f) return false;
        return true;
    }
}

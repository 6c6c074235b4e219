package org.tfl4j.models;

import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.LessOptionsT;
import org.tensorflow.lite.schema.LogicalAndOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.SplitOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;
import org.tensorflow.lite.schema.SubOptionsT;
import org.tensorflow.lite.schema.UnpackOptionsT;
import org.tensorflow.lite.schema.WhileOptionsT;
import org.tfl4j.parser.TensorType;

/**
 * Writes a Keras {@code GRU(units)} layer (reset_after=True, tanh / sigmoid, with bias, not stateful, returning
 * the last output, no mask) over a {@code [1, T, C]} float32 sequence the way TFLite's converter lowers it from
 * Keras 3 ({@code tf.keras} of TF 2.16+), in either {@link GruForm}; per step (Keras' GRUCell: the input
 * projection split with {@code split}, the recurrent one sliced, z, r, h blocks in that order):
 *
 * <pre>
 * mx = FC(x_t, kernelᵀ [3U,C], inputBias [3U])            x_z, x_r, x_h = SPLIT(-1, mx)          // [1,U] each
 * mh = FC(h, recurrentKernelᵀ [3U,U], recurrentBias [3U])  r_z, r_r, r_h = 3 × STRIDED_SLICE(mh)
 * z = LOGISTIC(x_z + r_z);  r = LOGISTIC(x_r + r_r);  hh = TANH(x_h + r * r_h)
 * h = z * h + (1 - z) * hh
 * </pre>
 *
 * UNROLLED: RESHAPE to time-major {@code [T,1,C]}, UNPACK into T steps, the chain above T times from a zero
 * state; the converter folds step 0's all-constant recurrent product, so step 0 reads the recurrent bias
 * blocks as constants. WHILE: RESHAPE, then WHILE over the loop variables (counter, time, output list
 * {@code [1,1,U]}, h, sequence) with a cond subgraph {@code LOGICAL_AND(counter < T, time < T)} and a body
 * subgraph (GATHER of step {@code time}, the chain, RESHAPE of h into the one-element output list), then a
 * STRIDED_SLICE taking the list's last element. (Read from Keras' backend {@code rnn}, TF's while_v2 and TFLite's
 * TensorList lowering and its optimizer, which turns the batch-1 TRANSPOSE to time-major into a RESHAPE; two
 * details are inferred, not seen in converter output: step 0's constant folding and the full-rank spec of the
 * final STRIDED_SLICE.) Keras 2 differs only in ways that do not
 * change a bit: a SPLIT (WHILE) or SPLIT_V (unrolled) instead of the three slices, and no counter test in cond.
 */
public final class GruEncoderWriter {

    private GruEncoderWriter() {}

    /**
     * Appends the GRU to {@code g} (for WHILE also two new subgraphs of {@code w}, the cond and the body).
     *
     * @param input           the sequence, a float32 {@code [1, T, C]} tensor of {@code g}
     * @param kernel          Keras {@code kernel} {@code [C, 3*units]} row-major, gate blocks z, r, h
     * @param recurrentKernel Keras {@code recurrent_kernel} {@code [units, 3*units]}
     * @param bias            Keras {@code bias} {@code [2, 3*units]}: the input bias, then the recurrent bias
     * @return the index in {@code g} of the last output, float32 {@code [1, units]}
     */
    public static int write(TfliteWriter w, TfliteWriter.Graph g, String namePrefix, int input /* [1, T, C] float32 */,
                            int timeSteps, int channels, int units, float[] kernel /* [C, 3*units], Keras gate order z, r, h */,
                            float[] recurrentKernel /* [units, 3*units] */, float[] bias /* [2, 3*units]: input bias, recurrent bias */,
                            GruForm form) {
        if (timeSteps < 1 || channels < 1 || units < 1) {
            throw new IllegalArgumentException("GRU sizes must be positive: T " + timeSteps + ", C " + channels + ", units " + units);
        }
        check("kernel", kernel, (long) channels * 3 * units);
        check("recurrentKernel", recurrentKernel, (long) units * 3 * units);
        check("bias", bias, 6L * units);
        if (form == null) throw new IllegalArgumentException("form is null");
        Weights weights = Weights.of(kernel, recurrentKernel, bias, channels, units);
        return form == GruForm.UNROLLED
                ? unrolled(g, namePrefix, input, timeSteps, channels, units, weights)
                : whileLoop(w, g, namePrefix, input, timeSteps, channels, units, weights);
    }

    private static void check(String what, float[] values, long expected) {
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException(what + " must have " + expected + " values, has "
                    + (values == null ? "none" : String.valueOf(values.length)));
        }
    }

    /** The Keras weights in FULLY_CONNECTED layout: rows = the 3U gate units, z block first. */
    private record Weights(float[] kernelT /* [3U, C] */, float[] recurrentKernelT /* [3U, U] */,
                           float[] inputBias /* [3U] */, float[] recurrentBias /* [3U] */) {
        static Weights of(float[] kernel, float[] recurrentKernel, float[] bias, int channels, int units) {
            int gates = 3 * units;
            float[] kt = new float[gates * channels];
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < gates; j++) kt[j * channels + c] = kernel[c * gates + j];
            }
            float[] rt = new float[gates * units];
            for (int k = 0; k < units; k++) {
                for (int j = 0; j < gates; j++) rt[j * units + k] = recurrentKernel[k * gates + j];
            }
            float[] bi = java.util.Arrays.copyOfRange(bias, 0, gates);
            float[] br = java.util.Arrays.copyOfRange(bias, gates, 2 * gates);
            return new Weights(kt, rt, bi, br);
        }
    }

    // ---------------------------------------------------------------------------------------------- UNROLLED

    private static int unrolled(TfliteWriter.Graph g, String p, int input, int timeSteps, int channels, int units,
                                Weights weights) {
        int timeMajor = timeMajor(g, p, input, timeSteps, channels);
        int[] steps = new int[timeSteps];
        for (int t = 0; t < timeSteps; t++) steps[t] = g.tensor(p + "/unstack:" + t, TensorType.FLOAT32, 1, channels);
        UnpackOptionsT unpack = new UnpackOptionsT();
        unpack.setNum(timeSteps);
        unpack.setAxis(0);
        g.op(BuiltinOperator.UNPACK, unpack, new int[] {timeMajor}, steps);

        Step step = new Step(g, p, channels, units, weights);
        // Keras' zero initial state is a constant; the converter folds FC(zeros, Rᵀ) + b_rec and its slices
        // (+0 + b, so a -0 bias becomes +0), leaving step 0 with the recurrent bias blocks as constants.
        int h = g.constant(p + "/zeros", new int[] {1, units}, new float[units]);
        int[] folded = new int[3];
        for (int gate = 0; gate < 3; gate++) {
            float[] block = new float[units];
            for (int j = 0; j < units; j++) block[j] = 0f + weights.recurrentBias[gate * units + j];
            folded[gate] = g.constant(p + "/step0/recurrent_" + "zrh".charAt(gate), new int[] {1, units}, block);
        }
        for (int t = 0; t < timeSteps; t++) {
            String sp = p + "/step" + t;
            int[] recurrent = t == 0 ? folded : step.recurrentGates(sp, h);
            h = step.cell(sp, steps[t], h, recurrent);
        }
        return h;
    }

    /** The batch-major sequence as time-major [T, 1, C]: the converter's trivial TRANSPOSE, written as RESHAPE. */
    private static int timeMajor(TfliteWriter.Graph g, String p, int input, int timeSteps, int channels) {
        int shape = g.constant(p + "/transpose/shape", new int[] {3}, new int[] {timeSteps, 1, channels});
        int out = g.tensor(p + "/transpose", TensorType.FLOAT32, timeSteps, 1, channels);
        g.op(BuiltinOperator.RESHAPE, null, new int[] {input, shape}, new int[] {out});
        return out;
    }

    // ---------------------------------------------------------------------------------------------- WHILE

    private static int whileLoop(TfliteWriter w, TfliteWriter.Graph g, String p, int input, int timeSteps,
                                 int channels, int units, Weights weights) {
        int timeMajor = timeMajor(g, p, input, timeSteps, channels);
        int counter0 = g.constant(p + "/while/loop_counter", new int[0], new int[] {0});
        int time0 = g.constant(p + "/time", new int[0], new int[] {0});
        int list0 = g.constant(p + "/output_ta", new int[] {1, 1, units}, new float[units]);
        int h0 = g.constant(p + "/zeros", new int[] {1, units}, new float[units]);
        int[] loopIn = {counter0, time0, list0, h0, timeMajor};
        int[] loopOut = loopVariables(g, p + "/while", timeSteps, channels, units);

        TfliteWriter.Graph cond = w.graph(p + "/while_cond");
        int[] condIn = loopVariables(cond, p + "/while_cond", timeSteps, channels, units);
        int steps = cond.constant(p + "/while_cond/T", new int[0], new int[] {timeSteps});
        int counterBelow = cond.tensor(p + "/while_cond/Less", TensorType.BOOL);
        int timeBelow = cond.tensor(p + "/while_cond/Less_1", TensorType.BOOL);
        int go = cond.tensor(p + "/while_cond/LogicalAnd", TensorType.BOOL);
        cond.op(BuiltinOperator.LESS, new LessOptionsT(), new int[] {condIn[0], steps}, new int[] {counterBelow});
        cond.op(BuiltinOperator.LESS, new LessOptionsT(), new int[] {condIn[1], steps}, new int[] {timeBelow});
        cond.op(BuiltinOperator.LOGICAL_AND, new LogicalAndOptionsT(), new int[] {counterBelow, timeBelow}, new int[] {go});
        cond.inputs(condIn).outputs(go);

        TfliteWriter.Graph body = w.graph(p + "/while_body");
        String bp = p + "/while_body";
        int[] bodyIn = loopVariables(body, bp, timeSteps, channels, units);
        int one = body.constant(bp + "/add/y", new int[0], new int[] {1});
        int counter = body.tensor(bp + "/add", TensorType.INT32);
        int time = body.tensor(bp + "/add_1", TensorType.INT32);
        body.op(BuiltinOperator.ADD, addOptions(), new int[] {bodyIn[0], one}, new int[] {counter});
        body.op(BuiltinOperator.ADD, addOptions(), new int[] {bodyIn[1], one}, new int[] {time});
        int x = body.tensor(bp + "/TensorListGetItem", TensorType.FLOAT32, 1, channels);
        GatherOptionsT gather = new GatherOptionsT();
        gather.setAxis(0);
        gather.setBatchDims(0);
        body.op(BuiltinOperator.GATHER, gather, new int[] {bodyIn[4], bodyIn[1]}, new int[] {x});
        Step step = new Step(body, bp, channels, units, weights);
        int h = step.cell(bp, x, bodyIn[3], step.recurrentGates(bp, bodyIn[3]));
        int listShape = body.constant(bp + "/TensorListSetItem/shape", new int[] {3}, new int[] {1, 1, units});
        int list = body.tensor(bp + "/TensorListSetItem", TensorType.FLOAT32, 1, 1, units);
        body.op(BuiltinOperator.RESHAPE, null, new int[] {h, listShape}, new int[] {list});
        body.inputs(bodyIn).outputs(counter, time, list, h, bodyIn[4]);

        WhileOptionsT options = new WhileOptionsT();
        options.setCondSubgraphIndex(cond.index());
        options.setBodySubgraphIndex(body.index());
        g.op(BuiltinOperator.WHILE, options, loopIn, loopOut);

        // outputs[-1] of the stacked one-element list [1, 1, U] → [1, U]
        int last = g.tensor(p + "/strided_slice", TensorType.FLOAT32, 1, units);
        int begin = g.constant(p + "/strided_slice/begin", new int[] {3}, new int[] {-1, 0, 0});
        int end = g.constant(p + "/strided_slice/end", new int[] {3}, new int[] {0, 0, 0});
        int strides = g.constant(p + "/strided_slice/strides", new int[] {3}, new int[] {1, 1, 1});
        g.op(BuiltinOperator.STRIDED_SLICE, sliceOptions(0b110, 0b110, 0b001), new int[] {loopOut[2], begin, end, strides},
                new int[] {last});
        return last;
    }

    /** The five loop variables as tensors of one subgraph: counter, time, output list, h, time-major sequence. */
    private static int[] loopVariables(TfliteWriter.Graph g, String p, int timeSteps, int channels, int units) {
        return new int[] {
                g.tensor(p + ":0", TensorType.INT32),
                g.tensor(p + ":1", TensorType.INT32),
                g.tensor(p + ":2", TensorType.FLOAT32, 1, 1, units),
                g.tensor(p + ":3", TensorType.FLOAT32, 1, units),
                g.tensor(p + ":4", TensorType.FLOAT32, timeSteps, 1, channels)};
    }

    // ---------------------------------------------------------------------------------------------- one step

    /** Writes GRU steps into one subgraph, sharing the weight and shape constants between steps. */
    private static final class Step {
        private final TfliteWriter.Graph g;
        private final int units;
        private final int kernelT, inputBias, recurrentKernelT, recurrentBias, splitAxis, one;
        private final int[] sliceBegin = new int[3], sliceEnd = new int[3];
        private final int sliceStrides;

        Step(TfliteWriter.Graph g, String p, int channels, int units, Weights weights) {
            this.g = g;
            this.units = units;
            int gates = 3 * units;
            kernelT = g.constant(p + "/kernel", new int[] {gates, channels}, weights.kernelT);
            inputBias = g.constant(p + "/input_bias", new int[] {gates}, weights.inputBias);
            recurrentKernelT = g.constant(p + "/recurrent_kernel", new int[] {gates, units}, weights.recurrentKernelT);
            recurrentBias = g.constant(p + "/recurrent_bias", new int[] {gates}, weights.recurrentBias);
            splitAxis = g.constant(p + "/split/split_dim", new int[0], new int[] {-1});
            one = g.constant(p + "/sub/x", new int[0], new float[] {1f});
            // matrix_inner[:, :U], [:, U:2U], [:, 2U:]
            for (int gate = 0; gate < 3; gate++) {
                sliceBegin[gate] = g.constant(p + "/strided_slice_" + gate + "/begin", new int[] {2},
                        new int[] {0, gate * units});
                sliceEnd[gate] = g.constant(p + "/strided_slice_" + gate + "/end", new int[] {2},
                        new int[] {0, gate == 2 ? 0 : (gate + 1) * units});
            }
            sliceStrides = g.constant(p + "/strided_slice/strides", new int[] {2}, new int[] {1, 1});
        }

        /** FC of the state and the three [1, U] slices of it: recurrent z, r, h. */
        int[] recurrentGates(String p, int h) {
            int mh = g.tensor(p + "/MatMul_1", TensorType.FLOAT32, 1, 3 * units);
            g.op(BuiltinOperator.FULLY_CONNECTED, fcOptions(), new int[] {h, recurrentKernelT, recurrentBias}, new int[] {mh});
            int[] gates = new int[3];
            for (int gate = 0; gate < 3; gate++) {
                gates[gate] = g.tensor(p + "/strided_slice_" + gate, TensorType.FLOAT32, 1, units);
                int beginMask = gate == 0 ? 0b11 : 0b01;
                int endMask = gate == 2 ? 0b11 : 0b01;
                g.op(BuiltinOperator.STRIDED_SLICE, sliceOptions(beginMask, endMask, 0),
                        new int[] {mh, sliceBegin[gate], sliceEnd[gate], sliceStrides}, new int[] {gates[gate]});
            }
            return gates;
        }

        /** One cell update from input x [1, C], state h [1, U] and the recurrent gate inputs; returns h'. */
        int cell(String p, int x, int h, int[] recurrent) {
            int mx = g.tensor(p + "/MatMul", TensorType.FLOAT32, 1, 3 * units);
            g.op(BuiltinOperator.FULLY_CONNECTED, fcOptions(), new int[] {x, kernelT, inputBias}, new int[] {mx});
            int xz = unitTensor(p + "/split"), xr = unitTensor(p + "/split:1"), xh = unitTensor(p + "/split:2");
            SplitOptionsT split = new SplitOptionsT();
            split.setNumSplits(3);
            g.op(BuiltinOperator.SPLIT, split, new int[] {splitAxis, mx}, new int[] {xz, xr, xh});

            int z = logistic(p + "/Sigmoid", binary(BuiltinOperator.ADD, p + "/add_2", xz, recurrent[0]));
            int r = logistic(p + "/Sigmoid_1", binary(BuiltinOperator.ADD, p + "/add_3", xr, recurrent[1]));
            int gated = binary(BuiltinOperator.MUL, p + "/mul", r, recurrent[2]);
            int preTanh = binary(BuiltinOperator.ADD, p + "/add_4", xh, gated);
            int hh = unitTensor(p + "/Tanh");
            g.op(BuiltinOperator.TANH, null, new int[] {preTanh}, new int[] {hh});
            int keep = binary(BuiltinOperator.MUL, p + "/mul_1", z, h);
            int update = binary(BuiltinOperator.SUB, p + "/sub", one, z);
            int fresh = binary(BuiltinOperator.MUL, p + "/mul_2", update, hh);
            return binary(BuiltinOperator.ADD, p + "/add_5", keep, fresh);
        }

        private int logistic(String name, int in) {
            int out = unitTensor(name);
            g.op(BuiltinOperator.LOGISTIC, null, new int[] {in}, new int[] {out});
            return out;
        }

        /** ADD, SUB or MUL with activation NONE into a new [1, U] tensor. */
        private int binary(int op, String name, int a, int b) {
            int out = unitTensor(name);
            Object options = switch (op) {
                case BuiltinOperator.ADD -> addOptions();
                case BuiltinOperator.SUB -> {
                    SubOptionsT o = new SubOptionsT();
                    o.setFusedActivationFunction(ActivationFunctionType.NONE);
                    yield o;
                }
                default -> {
                    MulOptionsT o = new MulOptionsT();
                    o.setFusedActivationFunction(ActivationFunctionType.NONE);
                    yield o;
                }
            };
            g.op(op, options, new int[] {a, b}, new int[] {out});
            return out;
        }

        private int unitTensor(String name) {
            return g.tensor(name, TensorType.FLOAT32, 1, units);
        }
    }

    private static AddOptionsT addOptions() {
        AddOptionsT o = new AddOptionsT();
        o.setFusedActivationFunction(ActivationFunctionType.NONE);
        return o;
    }

    private static FullyConnectedOptionsT fcOptions() {
        FullyConnectedOptionsT o = new FullyConnectedOptionsT();
        o.setFusedActivationFunction(ActivationFunctionType.NONE);
        o.setKeepNumDims(false);
        return o;
    }

    private static StridedSliceOptionsT sliceOptions(int beginMask, int endMask, int shrinkAxisMask) {
        StridedSliceOptionsT o = new StridedSliceOptionsT();
        o.setBeginMask(beginMask);
        o.setEndMask(endMask);
        o.setShrinkAxisMask(shrinkAxisMask);
        return o;
    }
}

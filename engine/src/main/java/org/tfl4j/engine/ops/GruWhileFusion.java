package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Gru;
import org.tfl4j.parser.Activation;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A Keras GRU layer as TFLite's converter emits it when not unrolled: a WHILE whose body computes one step and whose
 * cond counts the steps, run as one {@link Gru} loop instead of cond and body subgraphs op by op.
 *
 * <p>The shape matched (the converter's lowering, also what {@code GruEncoderWriter} writes): loop values counter,
 * time, output list, {@code h} and the time-major sequence {@code xs}, in any order, each recognised by what the body
 * does with it. The body: {@code counter + 1}, {@code time + 1} (int32 ADD of a scalar constant), {@code x = GATHER(xs,
 * time)}, the GRU step of {@link Gru} from {@code x} and {@code h} with every op in that exact form (constant weights,
 * activation NONE, operands in that order, {@code [1,U]} tensors of one shape, the gate blocks cut from the two
 * products by SPLIT or STRIDED_SLICE), the list as a RESHAPE of {@code h'}, {@code xs} passed through; and no other
 * op. The cond: {@code LESS(counter, N) LOGICAL_AND LESS(time, T)}, or {@code LESS(time, T)}, against int32 constants.
 * The WHILE's counter and time inputs are constants, so the steps the loop runs are known at load: the pass runs the
 * cond's arithmetic then, and fuses only a loop that runs at least once, no longer than the iteration limit, with
 * every time index inside {@code xs}. Anything else is left to {@link WhileOp}.
 *
 * <p>Why the bits stay TFLite's: the data-movement ops (GATHER, SPLIT, STRIDED_SLICE, RESHAPE) copy bits, and where
 * their copies land is not assumed but probed: each slicing op's prepared node is run once at load on a product
 * filled with element indices, and must hand out the three contiguous gate blocks. The arithmetic ops then run in
 * {@link Gru} with the same kernels and operand orders as the ops. The WHILE's outputs are what TFLite's loop leaves:
 * counters at their final values, {@code h} and the list holding the last {@code h'}, {@code xs} unchanged.
 * Not kept from {@link WhileOp}: its check for a thread interrupt between iterations (the fused loop is bounded).
 */
final class GruWhileFusion implements GraphFusion.Fusion {

    private static GruCell.NotGru no() {
        return GruCell.no();
    }

    private static void require(boolean condition) {
        GruCell.require(condition);
    }

    @Override
    public GraphFusion.Fused match(GraphFusion.Graph graph, int index) {
        Operator op = graph.op(index);
        if (op.opcode() != BuiltinOp.WHILE || !graph.runsBuiltin(op) || !(op.options() instanceof OpOptions.While w)) {
            return null;
        }
        try {
            CalledSubgraph cond = graph.subgraph(w.condSubgraphIndex());
            CalledSubgraph body = graph.subgraph(w.bodySubgraphIndex());
            require(cond != null && body != null);
            return new Matcher(graph, index, op, cond, body).fused();
        } catch (GruCell.NotGru e) {
            return null;
        }
    }

    /** One match attempt over one WHILE. */
    private static final class Matcher {
        private final GraphFusion.Graph graph;
        private final int whileIndex;
        private final Operator whileOp;
        private final CalledSubgraph body;
        private final CalledSubgraph cond;
        private final Subgraph bodyGraph;
        private final int[] producer;   // body tensor -> index of the op writing it, or -1
        private final BitSet used = new BitSet(); // body ops the match accounts for
        private final int n;            // loop values
        private final int[] bodyIn;
        private final int[] bodyOut;

        Matcher(GraphFusion.Graph graph, int whileIndex, Operator whileOp, CalledSubgraph cond, CalledSubgraph body) {
            this.graph = graph;
            this.whileIndex = whileIndex;
            this.whileOp = whileOp;
            this.cond = cond;
            this.body = body;
            this.bodyGraph = body.parsed();
            this.n = whileOp.inputCount();
            this.bodyIn = bodyGraph.inputs();
            this.bodyOut = bodyGraph.outputs();
            this.producer = new int[bodyGraph.tensors().size()];
            Arrays.fill(producer, -1);
            for (Operator o : bodyGraph.operators()) for (int t : o.outputs()) producer[t] = o.index();
        }

        // ---- body ----

        private TensorSpec spec(int t) {
            TensorSpec s = t < 0 ? null : body.spec(t);
            require(s != null);
            return s;
        }

        private int bodyInputIndex(int t) {
            for (int k = 0; k < n; k++) if (bodyIn[k] == t) return k;
            throw no();
        }

        private int checkedProducer(int t) {
            require(t >= 0 && producer[t] >= 0);
            return producer[t];
        }

        /** The op producing body tensor {@code t}, which must have code {@code opcode} and run tfl4j's kernel. */
        private Operator producedBy(int t, int opcode) {
            Operator o = bodyGraph.operators().get(checkedProducer(t));
            require(o.opcode() == opcode && graph.runsBuiltin(o) && o.outputCount() == 1);
            used.set(o.index());
            return o;
        }

        private GruCell.View view() {
            return new GruCell.View() {
                @Override
                public Subgraph graph() {
                    return bodyGraph;
                }

                @Override
                public TensorSpec spec(int tensor) {
                    return body.spec(tensor);
                }

                @Override
                public boolean runsBuiltin(Operator op) {
                    return graph.runsBuiltin(op);
                }

                @Override
                public OpKernel.Prepared prepared(int op) {
                    return body.preparedOp(op);
                }
            };
        }

        GraphFusion.Fused fused() {
            require(n >= 2 && whileOp.outputCount() == n && bodyIn.length == n && bodyOut.length == n);
            // h' = ADD(MUL(z, h), MUL(SUB(one, z), hh)): the float output made by an ADD, with h its own input.
            int hRole = -1;
            for (int k = 0; k < n; k++) {
                int p = bodyOut[k] >= 0 ? producer[bodyOut[k]] : -1;
                if (p >= 0 && bodyGraph.operators().get(p).opcode() == BuiltinOp.ADD
                        && spec(bodyOut[k]).type() == TensorType.FLOAT32) {
                    require(hRole < 0);
                    hRole = k;
                }
            }
            require(hRole >= 0);
            GruCell cell = new GruCell(view(), producer, bodyOut[hRole]);
            require(cell.hIn == bodyIn[hRole] && cell.constantRecurrent == null);
            used.or(cell.ops);
            int hNext = cell.hNext;
            int units = cell.units;
            int channels = cell.channels;
            int x = cell.x;

            // x = GATHER(xs, time): row `time` of xs, xs passed through.
            Operator gather = producedBy(x, BuiltinOp.GATHER);
            require(gather.inputCount() == 2 && gather.options() instanceof OpOptions.Gather go && go.axis() == 0
                    && go.batchDims() == 0);
            int xsRole = bodyInputIndex(gather.input(0));
            int timeRole = bodyInputIndex(gather.input(1));
            TensorSpec xs = spec(gather.input(0));
            TensorSpec time = spec(gather.input(1));
            require(bodyOut[xsRole] == bodyIn[xsRole] && xs.type() == TensorType.FLOAT32 && xs.rank() >= 1
                    && xs.dim(0) > 0 && xs.elementCount() / xs.dim(0) == channels);
            require(time.type() == TensorType.INT32 && time.rank() == 0);

            // The other loop values: int32 counters (time among them), the list, pass-throughs.
            int[] increment = new int[n];
            boolean[] counter = new boolean[n];
            int listRole = -1;
            for (int k = 0; k < n; k++) {
                if (k == hRole) continue;
                if (bodyOut[k] == bodyIn[k]) continue; // passed through (xs, captured values)
                int p = checkedProducer(bodyOut[k]);
                Operator o = bodyGraph.operators().get(p);
                if (o.opcode() == BuiltinOp.RESHAPE && o.input(0) == hNext) {
                    require(listRole < 0 && graph.runsBuiltin(o) && spec(bodyOut[k]).elementCount() == units);
                    used.set(p);
                    listRole = k;
                    continue;
                }
                int[] add = intAdd(bodyOut[k]);
                require(add[0] == bodyIn[k]);
                counter[k] = true;
                increment[k] = add[1];
            }
            require(counter[timeRole]);
            require(used.cardinality() == bodyGraph.operators().size()); // the body does nothing else

            int[] steps = simulate(counter, increment, timeRole, xs.dim(0));
            require(steps.length > 0 && steps.length <= graph.maxWhileIterations());
            return fuse(hRole, listRole, xsRole, counter, steps, cell);
        }

        /** {@code t = ADD(value, c)} for int32 scalars with a constant {@code c}: {value, c}. */
        private int[] intAdd(int t) {
            Operator o = producedBy(t, BuiltinOp.ADD);
            require(o.inputCount() == 2 && o.options() instanceof OpOptions.Arithmetic a && a.activation() == Activation.NONE);
            TensorSpec c = spec(o.input(1));
            require(spec(t).type() == TensorType.INT32 && spec(t).rank() == 0 && spec(o.input(0)).rank() == 0
                    && c.isConstant() && c.type() == TensorType.INT32 && c.rank() == 0);
            return new int[] {o.input(0), c.constInts()[0]};
        }

        // ---- cond, and the steps the loop runs ----

        /**
         * The time index of every iteration, from the WHILE's constant counter inputs, the body's increments and the
         * cond's tests; fails unless every time index lies in {@code [0, rows)} (GATHER would fail otherwise).
         */
        private int[] simulate(boolean[] counter, int[] increment, int timeRole, int rows) {
            Subgraph condGraph = cond.parsed();
            int[] condIn = condGraph.inputs();
            int flag = condGraph.outputs()[0];
            // Tests: LESS(cond input k, constant); joined by at most one LOGICAL_AND.
            List<int[]> tests = new ArrayList<>(); // {role, limit}
            int condOps = condGraph.operators().size();
            Operator top = condProducer(condGraph, flag);
            if (top.opcode() == BuiltinOp.LOGICAL_AND) {
                require(top.inputCount() == 2 && condOps == 3);
                tests.add(less(condGraph, condIn, top.input(0), counter));
                tests.add(less(condGraph, condIn, top.input(1), counter));
            } else {
                require(condOps == 1);
                tests.add(less(condGraph, condIn, flag, counter));
            }
            int[] value = new int[n];
            for (int k = 0; k < n; k++) {
                if (!counter[k]) continue;
                TensorSpec init = graph.tensor(whileOp.input(k));
                require(init != null && init.isConstant() && init.type() == TensorType.INT32 && init.elementCount() == 1);
                value[k] = init.constInts()[0];
            }
            int[] steps = new int[rows];
            int count = 0;
            while (true) {
                boolean go = true;
                for (int[] test : tests) go &= value[test[0]] < test[1];
                if (!go) break;
                int t = value[timeRole];
                require(count < rows && t >= 0 && t < rows);
                steps[count++] = t;
                for (int k = 0; k < n; k++) if (counter[k]) value[k] += increment[k]; // int32 ADD wraps, as here
            }
            finalValues = value;
            return Arrays.copyOf(steps, count);
        }

        private int[] finalValues;

        private Operator condProducer(Subgraph condGraph, int t) {
            for (Operator o : condGraph.operators()) {
                for (int out : o.outputs()) {
                    if (out == t) {
                        require(graph.runsBuiltin(o) && o.outputCount() == 1);
                        return o;
                    }
                }
            }
            throw no();
        }

        /** {@code t = LESS(cond input k, int32 constant)} with loop value k a counter: {k, limit}. */
        private int[] less(Subgraph condGraph, int[] condIn, int t, boolean[] counter) {
            Operator o = condProducer(condGraph, t);
            require(o.opcode() == BuiltinOp.LESS && o.inputCount() == 2);
            int role = -1;
            for (int k = 0; k < n; k++) if (condIn[k] == o.input(0)) role = k;
            TensorSpec limit = cond.spec(o.input(1));
            require(role >= 0 && counter[role] && limit != null && limit.isConstant() && limit.type() == TensorType.INT32
                    && limit.elementCount() == 1);
            return new int[] {role, limit.constInts()[0]};
        }

        // ---- the fused node ----

        private GraphFusion.Fused fuse(int hRole, int listRole, int xsRole, boolean[] counter, int[] steps, GruCell cell) {
            int units = cell.units;
            TensorSpec[] in = new TensorSpec[n];
            TensorSpec[] out = new TensorSpec[n];
            for (int k = 0; k < n; k++) {
                in[k] = graph.tensor(whileOp.input(k));
                out[k] = graph.tensor(whileOp.output(k));
                require(in[k] != null && out[k] != null && !out[k].isConstant());
            }
            int[] last = finalValues.clone();
            int stride = in[xsRole].elementCount() / in[xsRole].dim(0);
            Gru.Weights weights = cell.weights(); // packed here, at load, once
            OpKernel.Prepared prepared = buffers -> {
                Gru gru = new Gru(weights);
                float[] state = new float[units];
                float[] xs = buffers.floats(in[xsRole]);
                int xsOff = buffers.offset(in[xsRole]);
                float[] h0 = buffers.floats(in[hRole]);
                int h0Off = buffers.offset(in[hRole]);
                float[] hOut = buffers.floats(out[hRole]);
                int hOutOff = buffers.offset(out[hRole]);
                float[] list = listRole < 0 ? null : buffers.floats(out[listRole]);
                int listOff = listRole < 0 ? 0 : buffers.offset(out[listRole]);
                List<Runnable> finish = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    if (k == hRole || k == listRole) continue;
                    int kk = k;
                    if (counter[k]) {
                        int[] dst = buffers.ints(out[k]);
                        int dstOff = buffers.offset(out[k]);
                        finish.add(() -> dst[dstOff] = last[kk]);
                    } else {
                        Object src = buffers.array(in[k]);
                        int srcOff = buffers.offset(in[k]);
                        Object dst = buffers.array(out[k]);
                        int dstOff = buffers.offset(out[k]);
                        int count = in[k].elementCount();
                        finish.add(() -> System.arraycopy(src, srcOff, dst, dstOff, count));
                    }
                }
                Runnable[] finishing = finish.toArray(new Runnable[0]);
                return () -> {
                    System.arraycopy(h0, h0Off, state, 0, units);
                    for (int t : steps) gru.step(xs, xsOff + t * stride, state, 0, state, 0);
                    System.arraycopy(state, 0, hOut, hOutOff, units);
                    if (list != null) System.arraycopy(state, 0, list, listOff, units);
                    for (Runnable r : finishing) r.run();
                };
            };
            return new GraphFusion.Fused(new int[] {whileIndex}, new OpKernel.Prepared[] {prepared},
                    new GraphFusion.LaterRead[0],
                    "op " + whileIndex + ": WHILE (cond subgraph " + cond.index() + ", body subgraph " + body.index()
                            + ", " + steps.length + " steps) as one GRU loop (Gru, " + units + " units)");
        }
    }
}

package org.tfl4j.engine.ops;

import org.tfl4j.engine.RunAbortedException;
import org.tfl4j.parser.OpOptions;

import java.util.Arrays;

/**
 * WHILE: runs the body subgraph as long as the cond subgraph says true, over {@code n} loop values, with the data flow
 * TFLite 2.21 runs (the "shallow copy" path of its WHILE kernel, in which the body's inputs are the WHILE's outputs'
 * buffers, found by probing the reference runtime):
 * <ol>
 *   <li>the WHILE's inputs are copied to cond's inputs and to the WHILE's outputs; cond runs, and its output (a
 *       bool, shape {@code []} or {@code [1]}) decides;</li>
 *   <li>while it is true: the body runs reading the WHILE's outputs as its inputs; its outputs are copied to cond's
 *       inputs, then to the WHILE's outputs, value by value in order; cond runs again;</li>
 *   <li>the WHILE's outputs are the result: the body's last outputs, or the inputs when the body never ran.</li>
 * </ol>
 * The order of the copies shows when the body returns an input at another position: for a body returning
 * {@code (b * 1, a)} on inputs {@code (a, b)}, TFLite first overwrites output 0 (which is the body's input {@code a})
 * with {@code b}, then copies "input {@code a}", now {@code b}, to output 1: the WHILE returns {@code (b, b)}, while
 * cond saw {@code (b, a)}. tfl4j keeps the buffers apart but copies in the same order from the same places (a body
 * output that is body input {@code j} is read from WHILE output {@code j}), so it computes the same values.
 *
 * <p>The parser checked the subgraphs against the WHILE (counts, types, static shapes, no cycles); cond and body were
 * prepared and planned once at load ({@link CalledSubgraph}), and no op of theirs writes their inputs. Each
 * interpreter binds its own instance of both, so a run only copies and runs nodes: nothing is allocated. A cond that
 * never turns false loops forever in TFLite; here too, unless the model was loaded with
 * {@code Interpreter.Options.setMaxWhileIterations}, or the thread is interrupted: either stops the run with a
 * {@link RunAbortedException} between two iterations.
 */
final class WhileOp implements OpKernel {

    @Override
    public Prepared prepare(OpContext ctx) {
        OpOptions.While options = ctx.options(OpOptions.While.class);
        int n = ctx.inputCount();
        if (ctx.outputCount() != n) throw ctx.fail("has " + n + " inputs but " + ctx.outputCount() + " outputs");
        CalledSubgraph cond = ctx.subgraph(options.condSubgraphIndex(), "cond");
        CalledSubgraph body = ctx.subgraph(options.bodySubgraphIndex(), "body");
        if (cond.inputCount() != n || cond.outputCount() != 1 || body.inputCount() != n || body.outputCount() != n) {
            throw ctx.fail("cond subgraph " + cond.index() + " / body subgraph " + body.index()
                    + " do not take and give the WHILE's " + n + " values");
        }
        TensorSpec[] in = new TensorSpec[n];
        TensorSpec[] out = new TensorSpec[n];
        TensorSpec[] condIn = new TensorSpec[n];
        TensorSpec[] bodyIn = new TensorSpec[n];
        TensorSpec[] bodyOut = new TensorSpec[n];
        for (int i = 0; i < n; i++) {
            in[i] = ctx.requireInput(i);
            out[i] = ctx.output(i);
            condIn[i] = cond.input(i);
            bodyIn[i] = body.input(i);
            bodyOut[i] = body.output(i);
            for (TensorSpec t : new TensorSpec[] {out[i], condIn[i], bodyIn[i], bodyOut[i]}) {
                if (t.type() != in[i].type() || t.elementCount() != in[i].elementCount()) {
                    throw ctx.fail("loop value " + i + ": " + t + " does not match the WHILE's input " + in[i]);
                }
            }
        }
        TensorSpec flag = cond.output(0);
        if (flag.type() != org.tfl4j.parser.TensorType.BOOL || flag.elementCount() != 1) {
            throw ctx.fail("cond subgraph " + cond.index() + " output " + flag + " must be a single BOOL");
        }
        // Body output i that is body input j (passed through, maybe to another position) lives, in TFLite, in the
        // WHILE's output j: -1 for the others.
        int[] bodyIndexOfOutput = new int[n];
        for (int i = 0; i < n; i++) {
            bodyIndexOfOutput[i] = -1;
            for (int j = 0; j < n; j++) if (bodyOut[i].index() == bodyIn[j].index()) bodyIndexOfOutput[i] = j;
        }
        long max = ctx.maxWhileIterations();
        String where = "op " + ctx.opIndex() + " WHILE (cond subgraph " + cond.index() + ", body subgraph "
                + body.index() + ")";
        return buffers -> {
            CalledSubgraph.Instance c = cond.instantiate();
            CalledSubgraph.Instance b = body.instantiate();
            Copies inToCond = new Copies(buffers, in, c.buffers(), condIn);
            Copies inToOut = new Copies(buffers, in, buffers, out);
            Copies outToBody = new Copies(buffers, out, b.buffers(), bodyIn);
            Copies bodyOutToCond = new Copies(b.buffers(), bodyOut, c.buffers(), condIn);
            Copies bodyOutToOut = Copies.aliased(b.buffers(), bodyOut, bodyIndexOfOutput, buffers, out);
            boolean[] flagArray = c.buffers().bools(flag);
            int flagOffset = c.buffers().offset(flag);
            return () -> {
                inToCond.run();
                inToOut.run();
                c.invoke();
                long iterations = 0;
                while (flagArray[flagOffset]) {
                    if (iterations == max) {
                        throw new RunAbortedException(where + ": stopped after " + max
                                + " iterations (Interpreter.Options.setMaxWhileIterations)");
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new RunAbortedException(where + ": thread interrupted after " + iterations + " iterations");
                    }
                    outToBody.run(); // TFLite's body reads the WHILE's outputs in place
                    b.invoke();
                    iterations++;
                    bodyOutToCond.run();
                    bodyOutToOut.run();
                    c.invoke();
                }
            };
        };
    }

    /**
     * Copies of {@code n} tensors from one place to another, in order, each a bit copy of its elements. Arrays and
     * offsets resolved at bind time; a copy of a tensor onto itself (a body output that is its input) is skipped.
     */
    private static final class Copies {
        private final Object[] srcArrays;
        private final int[] srcOffsets;
        private final Object[] dstArrays;
        private final int[] dstOffsets;
        private final int[] lengths;

        Copies(TensorBuffers from, TensorSpec[] src, TensorBuffers to, TensorSpec[] dst) {
            this(from, src, null, null, to, dst);
        }

        /**
         * The body's outputs to the WHILE's outputs, where output {@code i} with {@code bodyInput[i] = j >= 0} (a body
         * input passed through) is read from the WHILE's output {@code j}, as it is in place in TFLite.
         */
        static Copies aliased(TensorBuffers body, TensorSpec[] bodyOut, int[] bodyInput, TensorBuffers parent,
                              TensorSpec[] out) {
            return new Copies(body, bodyOut, bodyInput, parent, parent, out);
        }

        /** Like the public constructor, but {@code src[i]} is read from {@code dst[altIndex[i]]} in {@code alt} when that index is >= 0. */
        private Copies(TensorBuffers from, TensorSpec[] src, int[] altIndex, TensorBuffers alt, TensorBuffers to,
                       TensorSpec[] dst) {
            int n = src.length;
            Object[] sa = new Object[n];
            int[] so = new int[n];
            Object[] da = new Object[n];
            int[] dOff = new int[n];
            int[] len = new int[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                boolean redirected = altIndex != null && altIndex[i] >= 0;
                Object s = redirected ? alt.array(dst[altIndex[i]]) : from.array(src[i]);
                int sOff = redirected ? alt.offset(dst[altIndex[i]]) : from.offset(src[i]);
                Object d = to.array(dst[i]);
                int dO = to.offset(dst[i]);
                if (s == d && sOff == dO) continue;
                sa[k] = s;
                so[k] = sOff;
                da[k] = d;
                dOff[k] = dO;
                len[k] = src[i].elementCount();
                k++;
            }
            this.srcArrays = Arrays.copyOf(sa, k);
            this.srcOffsets = Arrays.copyOf(so, k);
            this.dstArrays = Arrays.copyOf(da, k);
            this.dstOffsets = Arrays.copyOf(dOff, k);
            this.lengths = Arrays.copyOf(len, k);
        }

        void run() {
            for (int i = 0; i < lengths.length; i++) {
                System.arraycopy(srcArrays[i], srcOffsets[i], dstArrays[i], dstOffsets[i], lengths[i]);
            }
        }
    }
}

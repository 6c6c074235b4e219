package org.tfl4j.engine.ops;

import org.tfl4j.engine.InvalidModelException;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * What {@link OpKernel#prepare} sees of one operator: its options, its input and output tensors,
 * and the engine settings that select numerics. Helpers here raise {@link InvalidModelException}s
 * that name the operator ("op 7 CONV_2D: ...").
 */
public final class OpContext {
    private final Operator op;
    private final TensorSpec[] inputs;  // null entries for absent optional inputs
    private final TensorSpec[] outputs;
    private final int tfliteThreads;
    private final IntFunction<CalledSubgraph> subgraphs; // null: this op's graph can call none
    private final long maxWhileIterations;

    public OpContext(Operator op, TensorSpec[] inputs, TensorSpec[] outputs, int tfliteThreads) {
        this(op, inputs, outputs, tfliteThreads, null, Long.MAX_VALUE);
    }

    /**
     * @param subgraphs the model's subgraphs by index, prepared on demand (for WHILE's cond and body); may fail with
     *                  an {@link InvalidModelException} of the called subgraph's own
     * @param maxWhileIterations see {@link #maxWhileIterations()}
     */
    public OpContext(Operator op, TensorSpec[] inputs, TensorSpec[] outputs, int tfliteThreads,
                     IntFunction<CalledSubgraph> subgraphs, long maxWhileIterations) {
        this.op = op;
        this.inputs = inputs.clone();
        this.outputs = outputs.clone();
        this.tfliteThreads = tfliteThreads;
        this.subgraphs = subgraphs;
        this.maxWhileIterations = maxWhileIterations;
    }

    /** The prepared subgraph {@code index} (a WHILE's cond or body), {@code role} naming it in messages. */
    public CalledSubgraph subgraph(int index, String role) {
        if (subgraphs == null) throw fail("cannot call " + role + " subgraph " + index + ": no subgraphs here");
        return subgraphs.apply(index);
    }

    /**
     * The most iterations a WHILE loop may run in one run before the run fails ({@code Long.MAX_VALUE}: no limit, as
     * TFLite; see {@code Interpreter.Options.setMaxWhileIterations}).
     */
    public long maxWhileIterations() {
        return maxWhileIterations;
    }

    public Operator op() {
        return op;
    }

    public int opIndex() {
        return op.index();
    }

    public String opName() {
        return op.opName();
    }

    /**
     * The TFLite thread count whose arithmetic to reproduce (default 1). Only CONV_2D with output
     * width 1 computes differently for a count other than 1 (see docs/numerics in the spec).
     */
    public int tfliteThreads() {
        return tfliteThreads;
    }

    public int inputCount() {
        return inputs.length;
    }

    public int outputCount() {
        return outputs.length;
    }

    /** Input {@code i}, or null when that optional input is absent (-1) or beyond the list. */
    public TensorSpec input(int i) {
        return i < inputs.length ? inputs[i] : null;
    }

    /** Input {@code i}, failing with a clear message when it is absent. */
    public TensorSpec requireInput(int i) {
        TensorSpec t = input(i);
        if (t == null) throw fail("input " + i + " is missing");
        return t;
    }

    public TensorSpec output(int i) {
        if (i >= outputs.length) throw fail("output " + i + " is missing");
        return outputs[i];
    }

    /** Fails unless the op has between {@code min} and {@code max} inputs and exactly {@code nOut} outputs. */
    public void requireArity(int min, int max, int nOut) {
        if (inputs.length < min || inputs.length > max) {
            throw fail("has " + inputs.length + " inputs, expected " + (min == max ? "" + min : min + ".." + max));
        }
        if (outputs.length != nOut) throw fail("has " + outputs.length + " outputs, expected " + nOut);
    }

    /** The options, cast to the expected record type. */
    public <T extends OpOptions> T options(Class<T> type) {
        OpOptions o = op.options();
        if (!type.isInstance(o)) {
            throw fail("has options " + (o == null ? "null" : o.getClass().getSimpleName())
                    + ", expected " + type.getSimpleName());
        }
        return type.cast(o);
    }

    public void requireType(TensorSpec t, TensorType... allowed) {
        for (TensorType a : allowed) if (t.type() == a) return;
        throw fail(t + " has type " + t.type() + ", expected " + (allowed.length == 1 ? allowed[0] : Arrays.toString(allowed)));
    }

    public void requireRank(TensorSpec t, int rank) {
        if (t.rank() != rank) throw fail(t + " has rank " + t.rank() + ", expected " + rank);
    }

    public void requireConstant(TensorSpec t) {
        if (!t.isConstant()) throw fail(t + " must be a constant");
    }

    /** Fails unless output {@code k} has exactly the shape the op computes from its inputs. */
    public void requireOutputShape(int k, int[] computed) {
        TensorSpec out = output(k);
        if (!Arrays.equals(out.shape(), computed)) {
            throw fail("output " + k + " " + out + " does not match the computed shape " + Arrays.toString(computed));
        }
    }

    /** An exception naming this op; {@code throw ctx.fail("...")}. */
    public InvalidModelException fail(String message) {
        return new InvalidModelException("op " + op.index() + " " + op.opName() + ": " + message);
    }
}

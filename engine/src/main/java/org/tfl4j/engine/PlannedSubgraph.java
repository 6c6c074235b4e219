package org.tfl4j.engine;

import org.tfl4j.engine.ops.CalledSubgraph;
import org.tfl4j.engine.ops.GraphFusion;
import org.tfl4j.engine.ops.Node;
import org.tfl4j.engine.ops.OpContext;
import org.tfl4j.engine.ops.OpKernel;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.engine.ops.TensorBuffers;
import org.tfl4j.engine.ops.TensorSpec;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.Tensor;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One subgraph made ready to run: constants decoded, every op prepared through the registry, the fusion pass
 * applied, activation memory planned (per type, greedy by lifetime). Immutable; the main subgraph and every subgraph a
 * WHILE calls is one of these, made once per {@link Model}.
 *
 * <p>A called subgraph (not the main one) differs in three ways: its inputs live from before its first op to after
 * its last (a WHILE copies the body's outputs onto its inputs after the body ran, so no output may sit where an input
 * was); its inputs and outputs never share storage with a RESHAPE view (TFLite copies loop values one after the other,
 * and a view would let one copy overwrite a value still to be copied); and it may hold no variable tensors (state
 * kept across iterations and runs: not supported).
 */
final class PlannedSubgraph implements CalledSubgraph {
    private final Subgraph graph;
    private final TensorSpec[] specs;              // by tensor index; null for tensors no op or I/O uses
    private final List<OpKernel.Prepared> prepared; // in execution order
    private final List<OpKernel.Prepared> kernelPrepared; // the same before the fusion pass
    private final Map<TensorType, MemoryPlan> plans;
    private final int[] inputs;
    private final int[] outputs;
    private final int[] variables;
    private final List<String> fusions;            // one line per fused op chain

    /**
     * @param subgraphs the model's other subgraphs, planned on demand (for the WHILE ops of this one)
     * @param maxWhileIterations the limit of WHILE iterations per run ({@code Long.MAX_VALUE}: none)
     */
    PlannedSubgraph(Subgraph graph, int tfliteThreads, OpRegistry registry, boolean fusion,
                    IntFunction<CalledSubgraph> subgraphs, long maxWhileIterations) {
        this.graph = graph;
        boolean main = graph.index() == 0;
        String where = main ? "" : "subgraph " + graph.index() + ": ";
        this.inputs = graph.inputs();
        this.outputs = graph.outputs();
        List<Operator> ops = graph.operators();
        int tensorCount = graph.tensors().size();

        // Lifetimes in op steps: graph inputs and variables are alive from before the first op (step -1), graph
        // outputs, inputs and variables until after the last (step ops.size()). Inputs live to the end as in TFLite's
        // arena planner: a second invoke() without setInput runs on the same inputs, no op overwrites the ids that the
        // out-of-vocabulary check read, and a WHILE copies the body's outputs onto its inputs after the body ran.
        int[] first = new int[tensorCount];
        int[] last = new int[tensorCount];
        java.util.Arrays.fill(first, Integer.MAX_VALUE);
        java.util.Arrays.fill(last, Integer.MIN_VALUE);
        for (int t : inputs) {
            touch(first, last, t, -1);
            touch(first, last, t, ops.size());
        }
        for (int t : outputs) touch(first, last, t, ops.size());
        for (Operator op : ops) {
            for (int t : op.inputs()) if (t >= 0) touch(first, last, t, op.index());
            for (int t : op.outputs()) touch(first, last, t, op.index());
        }
        List<Integer> vars = new ArrayList<>();
        for (Tensor t : graph.tensors()) {
            if (t.isVariable() && first[t.index()] != Integer.MAX_VALUE) {
                if (!main) {
                    throw new InvalidModelException(where + "variable " + t + ": tfl4j supports variable tensors only in the main subgraph");
                }
                touch(first, last, t.index(), -1);
                touch(first, last, t.index(), ops.size());
                vars.add(t.index());
            }
        }
        this.variables = vars.stream().mapToInt(Integer::intValue).toArray();

        this.specs = new TensorSpec[tensorCount];
        for (Tensor t : graph.tensors()) {
            if (first[t.index()] == Integer.MAX_VALUE) continue;
            specs[t.index()] = new TensorSpec(t.index(), t.name(), t.type(), t.shape(),
                    t.isConstant() && !t.isVariable() ? decode(t) : null, t.isVariable());
        }
        for (int t : inputs) {
            if (specs[t].isConstant()) throw new InvalidModelException(where + "graph input " + specs[t] + " is a constant");
        }

        if (!main) {
            // TFLite runs a WHILE's body reading the WHILE's outputs in place: an op writing a body input would
            // write into the calling graph. No converter emits that; refuse it rather than emulate it.
            for (Operator op : ops) {
                for (int t : op.outputs()) {
                    for (int input : inputs) {
                        if (t == input) {
                            throw new InvalidModelException(where + "op " + op.index() + " " + op.opName()
                                    + " writes the subgraph's input " + specs[t] + ": not supported");
                        }
                    }
                }
            }
        }
        List<OpKernel.Prepared> preparedOps = new ArrayList<>(ops.size());
        for (Operator op : ops) {
            OpKernel kernel = registry.kernel(op.opcode());
            if (kernel == null) {
                throw new InvalidModelException(where + "op " + op.index() + " " + op.opName()
                        + " is not supported by tfl4j (supported: " + registry.supportedOps() + ")");
            }
            int[] in = op.inputs();
            TensorSpec[] inSpecs = new TensorSpec[in.length];
            for (int i = 0; i < in.length; i++) inSpecs[i] = in[i] < 0 ? null : specs[in[i]];
            int[] out = op.outputs();
            TensorSpec[] outSpecs = new TensorSpec[out.length];
            for (int i = 0; i < out.length; i++) {
                outSpecs[i] = specs[out[i]];
                if (outSpecs[i].isConstant()) {
                    throw new InvalidModelException(where + "op " + op.index() + " " + op.opName() + ": output "
                            + outSpecs[i] + " is a constant");
                }
            }
            try {
                preparedOps.add(kernel.prepare(new OpContext(op, inSpecs, outSpecs, tfliteThreads, subgraphs, maxWhileIterations)));
            } catch (InvalidModelException e) {
                if (main || e.getMessage().startsWith("subgraph ")) throw e;
                throw new InvalidModelException(where + e.getMessage());
            }
        }
        this.kernelPrepared = List.copyOf(preparedOps);
        GraphFusion.Result fused = fusion
                ? GraphFusion.apply(graph, specs, registry, tfliteThreads, preparedOps, subgraphs, maxWhileIterations) : null;
        if (fused != null) {
            preparedOps = fused.prepared();
            for (GraphFusion.LaterRead read : fused.laterReads()) touch(first, last, read.tensor(), read.step());
        }
        List<String> lines = new ArrayList<>();
        if (fused != null) for (String line : fused.applied()) lines.add(where + line);
        this.fusions = List.copyOf(lines);
        this.prepared = List.copyOf(preparedOps);

        // A view (RESHAPE) of an activation shares its buffer: the owner lives as long as all its views.
        boolean[] loopValue = new boolean[tensorCount];
        if (!main) {
            for (int t : inputs) loopValue[t] = true;
            for (int t : outputs) loopValue[t] = true;
        }
        int[] storageOwner = new int[tensorCount];
        for (int t = 0; t < tensorCount; t++) storageOwner[t] = t;
        for (int i = 0; i < ops.size(); i++) {
            if (!prepared.get(i).outputMayShareInputStorage()) continue;
            Operator op = ops.get(i);
            TensorSpec in = specs[op.inputs()[0]];
            TensorSpec out = specs[op.outputs()[0]];
            if (in.isConstant() || in.isVariable() || out.isVariable() || in.type() != out.type()
                    || in.elementCount() != out.elementCount() || loopValue[in.index()] || loopValue[out.index()]) continue;
            int owner = storageOwner[in.index()];
            storageOwner[out.index()] = owner;
            touch(first, last, owner, first[out.index()]);
            touch(first, last, owner, last[out.index()]);
        }

        checkNoAliasing(ops, storageOwner, where);

        Map<TensorType, List<MemoryPlan.Request>> requests = new EnumMap<>(TensorType.class);
        for (TensorType type : Model.ARENA_TYPES) requests.put(type, new ArrayList<>());
        for (TensorSpec s : specs) {
            if (s == null || s.isConstant() || storageOwner[s.index()] != s.index()) continue;
            List<MemoryPlan.Request> list = requests.get(s.type());
            if (list == null) {
                throw new InvalidModelException(where + s + ": tfl4j keeps activations only of types " + Model.ARENA_TYPES);
            }
            list.add(new MemoryPlan.Request(s.index(), s.elementCount(), first[s.index()], last[s.index()]));
        }
        this.plans = new EnumMap<>(TensorType.class);
        for (TensorType type : Model.ARENA_TYPES) {
            plans.put(type, MemoryPlan.place(requests.get(type), tensorCount).withSharedStorage(storageOwner));
        }
    }

    /**
     * Refuses an op that writes a tensor it also reads, or writes two outputs to one place (directly or
     * through a RESHAPE view): the kernels assume their outputs are apart from everything else they touch.
     * A view op (RESHAPE) itself is exempt: its output is its input's storage by design.
     */
    private void checkNoAliasing(List<Operator> ops, int[] storageOwner, String where) {
        // Per storage owner: the last op that wrote it and as which output (linear, however many inputs and outputs).
        int[] writtenBy = new int[storageOwner.length];
        int[] writtenAs = new int[storageOwner.length];
        java.util.Arrays.fill(writtenBy, -1);
        for (Operator op : ops) {
            if (prepared.get(op.index()).outputMayShareInputStorage()) continue;
            int[] out = op.outputs();
            for (int j = 0; j < out.length; j++) {
                int owner = storageOwner[out[j]];
                if (writtenBy[owner] == op.index()) {
                    int j2 = writtenAs[owner];
                    throw new InvalidModelException(where + "op " + op.index() + " " + op.opName() + ": outputs " + j2
                            + " and " + j + " (tensors " + out[j2] + " and " + out[j] + ") share their storage");
                }
                writtenBy[owner] = op.index();
                writtenAs[owner] = j;
            }
            int[] in = op.inputs();
            for (int k = 0; k < in.length; k++) {
                if (in[k] < 0 || specs[in[k]].isConstant()) continue;
                int owner = storageOwner[in[k]];
                if (writtenBy[owner] == op.index()) {
                    int j = writtenAs[owner];
                    throw new InvalidModelException(where + "op " + op.index() + " " + op.opName() + ": input " + k
                            + " (tensor " + in[k] + ") and output " + j + " (tensor " + out[j]
                            + ") are the same tensor or views of it");
                }
            }
        }
    }

    private static void touch(int[] first, int[] last, int t, int step) {
        first[t] = Math.min(first[t], step);
        last[t] = Math.max(last[t], step);
    }

    private static Object decode(Tensor t) {
        ByteBuffer b = t.data().order(ByteOrder.LITTLE_ENDIAN);
        int n = t.elementCount();
        switch (t.type()) {
            case FLOAT32: {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                return v;
            }
            case INT32: {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                return v;
            }
            case INT64: {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                return v;
            }
            case BOOL: {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) v[i] = b.get(i) != 0;
                return v;
            }
            default:
                throw new InvalidModelException(t + ": constants of type " + t.type() + " are not supported");
        }
    }

    // ---- CalledSubgraph ----

    @Override
    public int index() {
        return graph.index();
    }

    @Override
    public Subgraph parsed() {
        return graph;
    }

    @Override
    public TensorSpec spec(int tensor) {
        return specs[tensor];
    }

    @Override
    public int inputCount() {
        return inputs.length;
    }

    @Override
    public TensorSpec input(int k) {
        return specs[inputs[k]];
    }

    @Override
    public int outputCount() {
        return outputs.length;
    }

    @Override
    public TensorSpec output(int k) {
        return specs[outputs[k]];
    }

    @Override
    public OpKernel.Prepared preparedOp(int op) {
        return kernelPrepared.get(op);
    }

    @Override
    public CalledSubgraph.Instance instantiate() {
        Arenas arenas = new Arenas(this);
        Node[] nodes = bind(arenas);
        return new CalledSubgraph.Instance() {
            @Override
            public TensorBuffers buffers() {
                return arenas;
            }

            @Override
            public void invoke() {
                for (Node node : nodes) node.run();
            }
        };
    }

    /** Every op bound to {@code arenas}, in run order. */
    Node[] bind(Arenas arenas) {
        Node[] nodes = new Node[prepared.size()];
        for (int i = 0; i < nodes.length; i++) nodes[i] = prepared.get(i).bind(arenas);
        return nodes;
    }

    // ---- for Model and Interpreter ----

    /** Every tensor's spec by index (null where no op or I/O uses it); read only. */
    TensorSpec[] specs() {
        return specs;
    }

    int[] inputTensors() {
        return inputs;
    }

    int[] outputTensors() {
        return outputs;
    }

    int[] variableTensors() {
        return variables;
    }

    List<OpKernel.Prepared> prepared() {
        return prepared;
    }

    List<String> fusions() {
        return fusions;
    }

    MemoryPlan plan(TensorType type) {
        return plans.get(type);
    }

    /** Elements of the arenas of one instance, by type's byte size summed. */
    long arenaBytes() {
        long n = 0;
        for (TensorType type : Model.ARENA_TYPES) n += (long) plans.get(type).arenaSize() * type.byteSize;
        return n;
    }
}

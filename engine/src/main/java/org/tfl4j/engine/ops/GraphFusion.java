package org.tfl4j.engine.ops;

import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The fusion pass: after every op of a model is prepared (each op's own checks have run), chains of builtin ops that
 * one kernel can compute in a single pass are replaced by that kernel. The fused node computes exactly the bits the
 * chain's kernels compute in sequence; each {@link Fusion} documents the chain it replaces and why its bits are
 * TFLite's. {@code Interpreter.Options.setFusion(false)} turns the pass off, so the two can be compared.
 *
 * <p>The rules every fusion keeps:
 * <ul>
 *   <li>Every op of the chain runs the builtin kernel of its code ({@link OpRegistry#builtins()}): a registry that
 *       swaps a kernel in (a custom op, a test's mutant) sees it run, so that op is never fused away.</li>
 *   <li>The tensors passed between the chain's ops are used once, by the next op of the chain, and are neither graph
 *       outputs nor variables: nothing else could notice that they are no longer written. They keep their place in
 *       the memory plan (unwritten), so the plan does not depend on the pass.</li>
 *   <li>The chain's first op keeps its run-time checks at its own place in the run (GATHER's index check), so a bad
 *       input fails with the same exception after the same ops; the fused computation runs at the last op's place
 *       and every op in between does nothing.</li>
 *   <li>A fused node reads some of the chain's inputs later than the graph did (the GATHER's ids when the chain ends
 *       at a SUM): those reads are reported as {@link LaterRead}s so that the memory plan keeps the tensors alive
 *       that long, and no op between writes them.</li>
 *   <li>Nothing is allocated per inference: constants are prepared once per model (a flushed table copy only when
 *       the table holds a subnormal), nodes are bound once per interpreter.</li>
 * </ul>
 */
public final class GraphFusion {
    private GraphFusion() {}

    /** Tensor {@code tensor} is read by the fused node at op step {@code step}, later than its last use in the graph. */
    public record LaterRead(int tensor, int step) {}

    /**
     * The prepared ops after the pass (one per op, in order; a fused chain's ops replaced), the later reads that the
     * memory plan must honour, and a line per applied fusion ("ops 5, 6, 7: GATHER + MUL + SUM as ...").
     */
    public record Result(List<OpKernel.Prepared> prepared, List<LaterRead> laterReads, List<String> applied) {
        public Result {
            prepared = List.copyOf(prepared);
            laterReads = List.copyOf(laterReads);
            applied = List.copyOf(applied);
        }
    }

    /** One kind of fusion: the chain it replaces, found from the chain's first op. */
    interface Fusion {
        /** The fused chain that starts at op {@code first}, or null when the chain there is not this fusion's. */
        Fused match(Graph graph, int first);
    }

    /**
     * A matched chain: its ops in run order, what each op's node becomes (the same length), the later reads, and a
     * description for {@link Result#applied()}.
     */
    record Fused(int[] ops, OpKernel.Prepared[] replacements, LaterRead[] laterReads, String description) {}

    /** The fusions tried at every op, in order; the first that matches wins. */
    private static final List<Fusion> FUSIONS = List.of(new EmbeddingMaskFusion(), new GruWhileFusion(), new GruCellFusion(),
            new FullyConnectedTopKFusion());

    /** A node that does nothing: what the ops inside a fused chain become. */
    static final OpKernel.Prepared NOTHING = buffers -> Node.NOTHING;

    /**
     * A RESHAPE inside a fused chain: it does nothing, and its output still shares its input's storage, as the
     * RESHAPE's own kernel lets it, so the memory plan stays the unfused one.
     */
    static final OpKernel.Prepared NOTHING_VIEW = new OpKernel.Prepared() {
        @Override
        public Node bind(TensorBuffers buffers) {
            return Node.NOTHING;
        }

        @Override
        public boolean outputMayShareInputStorage() {
            return true;
        }
    };

    /**
     * Runs the pass over one subgraph.
     *
     * @param specs     the subgraph's tensors by index (null for tensors no op uses)
     * @param prepared  every op's prepared form, in op order, from the registry's kernels
     * @param subgraphs the model's subgraphs by index, as the ops' contexts give them (null when none)
     * @param maxWhileIterations the WHILE loop limit the ops' contexts give
     */
    public static Result apply(Subgraph graph, TensorSpec[] specs, OpRegistry registry, int tfliteThreads,
                               List<OpKernel.Prepared> prepared, IntFunction<CalledSubgraph> subgraphs,
                               long maxWhileIterations) {
        Graph g = new Graph(graph, specs, registry, tfliteThreads, subgraphs, maxWhileIterations, prepared);
        List<OpKernel.Prepared> result = new ArrayList<>(prepared);
        List<LaterRead> laterReads = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        boolean[] fused = new boolean[prepared.size()];
        for (int op = 0; op < prepared.size(); op++) {
            if (fused[op]) continue;
            for (Fusion fusion : FUSIONS) {
                Fused f = fusion.match(g, op);
                if (f == null || anyTaken(fused, f.ops())) continue;
                for (int k = 0; k < f.ops().length; k++) {
                    fused[f.ops()[k]] = true;
                    result.set(f.ops()[k], f.replacements()[k]);
                }
                laterReads.addAll(Arrays.asList(f.laterReads()));
                applied.add(f.description());
                break;
            }
        }
        return new Result(result, laterReads, applied);
    }

    private static boolean anyTaken(boolean[] fused, int[] ops) {
        for (int op : ops) if (fused[op]) return true;
        return false;
    }

    /** What a fusion sees of the graph: ops, tensors, uses, and whether an op runs its builtin kernel. */
    static final class Graph {
        private final Subgraph graph;
        private final TensorSpec[] specs;
        private final OpRegistry registry;
        private final int tfliteThreads;
        private final IntFunction<CalledSubgraph> subgraphs;
        private final long maxWhileIterations;
        private final List<OpKernel.Prepared> prepared; // as the kernels prepared them, before this pass
        private final int[] uses;          // by tensor: how many op inputs name it (an op naming it twice counts twice)
        private final int[] firstConsumer; // by tensor: the first op that reads it, or -1
        private final int[] producer;      // by tensor: the (last) op that writes it, or -1
        private final boolean[] graphOutput;

        Graph(Subgraph graph, TensorSpec[] specs, OpRegistry registry, int tfliteThreads,
              IntFunction<CalledSubgraph> subgraphs, long maxWhileIterations, List<OpKernel.Prepared> prepared) {
            this.graph = graph;
            this.specs = specs;
            this.registry = registry;
            this.tfliteThreads = tfliteThreads;
            this.subgraphs = subgraphs;
            this.maxWhileIterations = maxWhileIterations;
            this.prepared = List.copyOf(prepared);
            int n = specs.length;
            this.uses = new int[n];
            this.firstConsumer = new int[n];
            Arrays.fill(firstConsumer, -1);
            for (Operator op : graph.operators()) {
                for (int t : op.inputs()) {
                    if (t < 0) continue;
                    uses[t]++;
                    if (firstConsumer[t] < 0) firstConsumer[t] = op.index();
                }
            }
            this.producer = new int[n];
            Arrays.fill(producer, -1);
            for (Operator op : graph.operators()) for (int t : op.outputs()) producer[t] = op.index();
            this.graphOutput = new boolean[n];
            for (int t : graph.outputs()) graphOutput[t] = true;
        }

        int opCount() {
            return graph.operators().size();
        }

        Operator op(int index) {
            return graph.operators().get(index);
        }

        /** The tensor, or null for an absent optional input (-1). */
        TensorSpec tensor(int index) {
            return index < 0 ? null : specs[index];
        }

        /** True when the registry runs tfl4j's own kernel for this op's code (not a swapped-in one). */
        boolean runsBuiltin(Operator op) {
            OpKernel builtin = OpRegistry.builtins().kernel(op.opcode());
            return builtin != null && registry.kernel(op.opcode()) == builtin;
        }

        /**
         * The op that is the only reader of {@code tensor}, after {@code producer} in run order, when the tensor is
         * read exactly once, is not a graph output and is not a variable: a tensor a fusion may stop writing.
         * Else -1.
         */
        int soleConsumer(int tensor, int producer) {
            if (tensor < 0 || uses[tensor] != 1 || graphOutput[tensor] || specs[tensor].isVariable()) return -1;
            int consumer = firstConsumer[tensor];
            return consumer > producer ? consumer : -1;
        }

        /** True when an op after {@code from} and before {@code to} writes one of {@code tensors}. */
        boolean writtenBetween(int from, int to, int... tensors) {
            for (int i = from + 1; i < to; i++) {
                for (int out : op(i).outputs()) {
                    for (int t : tensors) if (out == t) return true;
                }
            }
            return false;
        }

        /** The op as its kernel's prepare saw it (for options, geometry helpers and messages). */
        OpContext context(int index) {
            Operator op = op(index);
            int[] in = op.inputs();
            TensorSpec[] inSpecs = new TensorSpec[in.length];
            for (int i = 0; i < in.length; i++) inSpecs[i] = tensor(in[i]);
            int[] out = op.outputs();
            TensorSpec[] outSpecs = new TensorSpec[out.length];
            for (int i = 0; i < out.length; i++) outSpecs[i] = specs[out[i]];
            return new OpContext(op, inSpecs, outSpecs, tfliteThreads, subgraphs, maxWhileIterations);
        }

        /** The prepared subgraph {@code index} (a WHILE's cond or body), or null when this graph can call none. */
        CalledSubgraph subgraph(int index) {
            return subgraphs == null ? null : subgraphs.apply(index);
        }

        /** True when {@code tensor} is one of this subgraph's outputs. */
        boolean isGraphOutput(int tensor) {
            return tensor >= 0 && graphOutput[tensor];
        }

        /** Op {@code op} as its kernel prepared it (before this pass), e.g. to probe a data-movement op. */
        OpKernel.Prepared prepared(int op) {
            return prepared.get(op);
        }

        /** By tensor, the op that writes it (the last one, if several do), or -1. Shared: do not modify. */
        int[] producers() {
            return producer;
        }

        /** How many op inputs name {@code tensor} (an op naming it twice counts twice). */
        int uses(int tensor) {
            return uses[tensor];
        }

        /** The subgraph as parsed. */
        Subgraph parsed() {
            return graph;
        }

        /** The most iterations a WHILE may run per run (Long.MAX_VALUE: no limit). */
        long maxWhileIterations() {
            return maxWhileIterations;
        }

        /** The registry the model is loaded with. */
        OpRegistry registry() {
            return registry;
        }
    }
}

package org.tfl4j.engine;

import org.tfl4j.engine.ops.OpKernel;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.engine.ops.TensorSpec;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.SignatureDef;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.Tensor;
import org.tfl4j.parser.TensorType;
import org.tfl4j.parser.TfliteModel;
import org.tfl4j.parser.TfliteParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded model: parsed, verified, every op of the main subgraph and of every subgraph its WHILE ops call
 * prepared, constants decoded and the memory plans made (one {@link PlannedSubgraph} each). Immutable and safe to
 * share between threads; each thread runs it through its own {@link Interpreter}, which only allocates the planned
 * arenas.
 */
public final class Model {
    /** The element types tfl4j keeps activations of, each in an arena of its own. */
    static final List<TensorType> ARENA_TYPES = List.of(TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL);

    /** How deep WHILE loops may nest (a loop in a body is depth 2): preparing and running them recurses. */
    static final int MAX_NESTING = 64;

    private final TfliteModel parsed;
    private final int tfliteThreads;
    private final OpRegistry registry;
    private final boolean fusion;
    private final long maxWhileIterations;
    private final PlannedSubgraph[] subgraphs;      // by index; null for subgraphs no WHILE reaches from the main one
    private final List<Integer> planning = new ArrayList<>(); // subgraphs being planned, outermost first (load time only)
    private final PlannedSubgraph main;
    private final int[] inputs;
    private final int[] outputs;
    private final IdInputs.IdInput[] idInputs;     // the inputs that index a GATHER, checked before every run

    /** The default tensor-bytes limit is this many times the file size ... */
    public static final long TENSOR_BYTES_PER_FILE_BYTE = 16;
    /** ... and at least this much (32 MiB), so small models with modest activations load. */
    public static final long MIN_TENSOR_BYTES = 32L << 20;

    /** The default {@link Interpreter.Options#setMaxTensorBytes} limit for a file of {@code fileSize} bytes. */
    public static long defaultMaxTensorBytes(long fileSize) {
        return Math.max(MIN_TENSOR_BYTES, TENSOR_BYTES_PER_FILE_BYTE * fileSize);
    }

    private Model(TfliteModel parsed, Interpreter.Options options) {
        this.parsed = parsed;
        this.tfliteThreads = options.tfliteThreads();
        this.registry = options.opRegistry();
        this.fusion = options.fusion();
        this.maxWhileIterations = options.maxWhileIterations();
        long maxTensorBytes = options.maxTensorBytes();
        checkTensorBytes(maxTensorBytes > 0 ? maxTensorBytes : defaultMaxTensorBytes(parsed.fileSize()), maxTensorBytes > 0);
        this.subgraphs = new PlannedSubgraph[parsed.subgraphs().size()];
        this.main = planned(0);
        this.inputs = main.inputTensors();
        this.outputs = main.outputTensors();
        this.idInputs = IdInputs.find(main.parsed(), main.specs(), registry, inputs);

        for (SignatureDef sig : parsed.signatureDefs()) {
            if (sig.subgraphIndex() != 0) continue;
            for (var e : sig.inputs().entrySet()) requireIndexIn(sig, e.getKey(), e.getValue(), inputs, "input");
            for (var e : sig.outputs().entrySet()) requireIndexIn(sig, e.getKey(), e.getValue(), outputs, "output");
        }
    }

    /**
     * Subgraph {@code index}, planned the first time an op asks for it (the main subgraph first; then each subgraph a
     * WHILE calls, while that WHILE is prepared). Subgraphs that nothing calls are not prepared: tfl4j never runs them.
     */
    private PlannedSubgraph planned(int index) {
        if (index < 0 || index >= subgraphs.length) {
            throw new InvalidModelException("subgraph " + index + " does not exist (the model has " + subgraphs.length + ")");
        }
        if (subgraphs[index] != null) return subgraphs[index];
        if (planning.contains(index)) { // the parser refuses cycles; a second line of defence against recursion
            throw new InvalidModelException("subgraph " + index + " calls itself through WHILE ops " + planning);
        }
        if (planning.size() >= MAX_NESTING) {
            throw new InvalidModelException("WHILE loops nest more than " + MAX_NESTING + " deep (subgraphs " + planning
                    + " then " + index + "): not supported");
        }
        planning.add(index);
        try {
            subgraphs[index] = new PlannedSubgraph(parsed.subgraphs().get(index), tfliteThreads, registry, fusion,
                    this::planned, maxWhileIterations);
        } finally {
            planning.remove(planning.size() - 1);
        }
        return subgraphs[index];
    }

    /**
     * Refuses a model whose ops read and write more tensor bytes than {@code limit} (see
     * {@link Interpreter.Options#setMaxTensorBytes}), before anything is decoded, prepared or planned: every
     * allocation of the load and of an interpreter, and the memory one run touches, are bounded by this sum.
     * A hostile file can otherwise declare a [65536, 65536] activation in a few hundred bytes, or point many
     * ops at one large tensor. Every subgraph counts (a WHILE's cond and body are planned too).
     */
    private void checkTensorBytes(long limit, boolean explicit) {
        long total = 0;
        long largestOp = -1;
        String largest = "";
        for (Subgraph graph : parsed.subgraphs()) {
            List<Tensor> tensors = graph.tensors();
            for (int t : graph.inputs()) total += bytes(tensors.get(t));
            for (Operator op : graph.operators()) {
                long opBytes = 0;
                for (int t : op.inputs()) if (t >= 0) opBytes += bytes(tensors.get(t));
                for (int t : op.outputs()) opBytes += bytes(tensors.get(t));
                total += opBytes;
                if (opBytes > largestOp) {
                    largestOp = opBytes;
                    largest = (graph.index() == 0 ? "" : "subgraph " + graph.index() + " ") + "op " + op.index() + " " + op.opName();
                }
            }
        }
        if (total > limit) {
            String where = largestOp < 0 ? "" : " (" + largest + " alone " + largestOp + ")";
            throw new InvalidModelException("the ops read and write " + total + " bytes of tensors" + where + ", more than the limit of "
                    + limit + " bytes (" + (explicit ? "Options.setMaxTensorBytes" : TENSOR_BYTES_PER_FILE_BYTE
                    + " times the " + parsed.fileSize() + "-byte file, at least " + MIN_TENSOR_BYTES) + "); "
                    + "raise it with Interpreter.Options.setMaxTensorBytes for a model you trust");
        }
    }

    private static long bytes(Tensor t) {
        return (long) t.elementCount() * t.type().byteSize;
    }

    private static void requireIndexIn(SignatureDef sig, String name, int tensor, int[] list, String what) {
        for (int t : list) if (t == tensor) return;
        throw new InvalidModelException("signature '" + sig.key() + "' " + what + " '" + name + "' is tensor "
                + tensor + ", which is not a subgraph " + what);
    }

    /** Loads and prepares a model file with the reference numerics (TFLite with 1 thread). */
    public static Model load(Path file) {
        return load(file, new Interpreter.Options());
    }

    /**
     * Loads and prepares a model file.
     *
     * @throws org.tfl4j.parser.ModelFormatException when the file is not a readable .tflite model
     * @throws InvalidModelException when tfl4j cannot run it
     */
    public static Model load(Path file, Interpreter.Options options) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidModelException("model file not found: " + file);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read model file " + file + ": " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new InvalidModelException("model file too large: " + file);
        }
        return load(ByteBuffer.wrap(bytes), options);
    }

    /** Loads and prepares a model from its bytes (the buffer's position and limit delimit them). */
    public static Model load(ByteBuffer bytes, Interpreter.Options options) {
        return new Model(TfliteParser.parse(bytes), options);
    }

    /** The parsed file. */
    public TfliteModel parsed() {
        return parsed;
    }

    /** The TFLite thread count whose arithmetic this model reproduces. */
    public int tfliteThreads() {
        return tfliteThreads;
    }

    public int inputCount() {
        return inputs.length;
    }

    public int outputCount() {
        return outputs.length;
    }

    public TensorInfo input(int k) {
        return info(inputs[checkIndex(k, inputs.length, "input")]);
    }

    public TensorInfo output(int k) {
        return info(outputs[checkIndex(k, outputs.length, "output")]);
    }

    /**
     * The number of valid ids of input {@code k}, or -1 when it holds no ids: an int32 or int64 input is an id input
     * when its values are the indices of a GATHER (directly or through RESHAPEs), and its ids must lie in
     * {@code [0, vocabularySize)}, the smallest gathered axis it reaches (for the MovieLens models, the rows of the
     * embedding table). Every run checks them first; see {@link OutOfVocabularyPolicy}.
     */
    public int vocabularySize(int k) {
        checkIndex(k, inputs.length, "input");
        for (IdInputs.IdInput id : idInputs) if (id.input() == k) return id.vocabularySize();
        return -1;
    }

    IdInputs.IdInput[] idInputs() {
        return idInputs;
    }

    /**
     * Bytes of the activation arenas each interpreter of this model allocates: the main subgraph's, plus those of an
     * instance of a WHILE's cond and body for every WHILE op (nested ones counted per enclosing instance; an upper
     * bound when the fusion pass runs a WHILE as one kernel, which binds no subgraph).
     */
    public long arenaBytes() {
        return arenaBytes(main);
    }

    private long arenaBytes(PlannedSubgraph g) {
        long n = g.arenaBytes();
        for (Operator op : g.parsed().operators()) {
            if (op.options() instanceof OpOptions.While w) {
                n += arenaBytes(subgraphs[w.condSubgraphIndex()]) + arenaBytes(subgraphs[w.bodySubgraphIndex()]);
            }
        }
        return n;
    }

    private TensorInfo info(int tensor) {
        TensorSpec s = main.spec(tensor);
        return new TensorInfo(tensor, s.name(), s.type(), s.shape());
    }

    static int checkIndex(int k, int n, String what) {
        if (k < 0 || k >= n) throw new InvalidInputException(what + " index " + k + " out of range: the model has " + n + " " + what + "s");
        return k;
    }

    // ---- for Interpreter ----

    PlannedSubgraph main() {
        return main;
    }

    TensorSpec spec(int tensor) {
        return main.spec(tensor);
    }

    int[] inputTensors() {
        return inputs;
    }

    int[] outputTensors() {
        return outputs;
    }

    int[] variableTensors() {
        return main.variableTensors();
    }

    List<OpKernel.Prepared> prepared() {
        return main.prepared();
    }

    /**
     * The op chains the fusion pass replaced, one line each (empty with fusion off): the main subgraph's, then those of
     * the called subgraphs in index order (their lines start "subgraph N: ").
     */
    public List<String> fusions() {
        List<String> lines = new ArrayList<>(main.fusions());
        for (int i = 1; i < subgraphs.length; i++) if (subgraphs[i] != null) lines.addAll(subgraphs[i].fusions());
        return lines;
    }

    MemoryPlan plan(TensorType type) {
        return main.plan(type);
    }

    SignatureDef signature(String key) {
        for (SignatureDef s : parsed.signatureDefs()) if (s.key().equals(key)) return s;
        StringBuilder keys = new StringBuilder();
        for (SignatureDef s : parsed.signatureDefs()) keys.append(keys.length() == 0 ? "" : ", ").append(s.key());
        throw new InvalidInputException("no signature '" + key + "' (the model has: " + (keys.length() == 0 ? "none" : keys) + ")");
    }
}

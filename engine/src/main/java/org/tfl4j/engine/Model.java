package org.tfl4j.engine;

import org.tfl4j.engine.ops.GraphFusion;
import org.tfl4j.engine.ops.OpContext;
import org.tfl4j.engine.ops.OpKernel;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.engine.ops.TensorSpec;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.SignatureDef;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.Tensor;
import org.tfl4j.parser.TensorType;
import org.tfl4j.parser.TfliteModel;
import org.tfl4j.parser.TfliteParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded model: parsed, verified, every op of the main subgraph prepared, constants decoded and
 * the memory plan made. Immutable and safe to share between threads; each thread runs it through
 * its own {@link Interpreter}, which only allocates the planned arenas.
 */
public final class Model {
    /** The element types tfl4j keeps activations of, each in an arena of its own. */
    static final List<TensorType> ARENA_TYPES = List.of(TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL);

    private final TfliteModel parsed;
    private final int tfliteThreads;
    private final Subgraph graph;
    private final TensorSpec[] specs;              // by tensor index; null for tensors no op or I/O uses
    private final List<OpKernel.Prepared> prepared; // in execution order
    private final Map<TensorType, MemoryPlan> plans;
    private final int[] inputs;
    private final int[] outputs;
    private final int[] variables;
    private final List<String> fusions;            // one line per fused op chain
    private final IdInputs.IdInput[] idInputs;     // the inputs that index a GATHER, checked before every run

    /** The default tensor-bytes limit is this many times the file size ... */
    public static final long TENSOR_BYTES_PER_FILE_BYTE = 16;
    /** ... and at least this much (32 MiB), so small models with modest activations load. */
    public static final long MIN_TENSOR_BYTES = 32L << 20;

    /** The default {@link Interpreter.Options#setMaxTensorBytes} limit for a file of {@code fileSize} bytes. */
    public static long defaultMaxTensorBytes(long fileSize) {
        return Math.max(MIN_TENSOR_BYTES, TENSOR_BYTES_PER_FILE_BYTE * fileSize);
    }

    private Model(TfliteModel parsed, int tfliteThreads, OpRegistry registry, boolean fusion, long maxTensorBytes) {
        this.parsed = parsed;
        this.tfliteThreads = tfliteThreads;
        this.graph = parsed.mainSubgraph();
        this.inputs = graph.inputs();
        this.outputs = graph.outputs();
        List<Operator> ops = graph.operators();
        int tensorCount = graph.tensors().size();
        checkTensorBytes(maxTensorBytes > 0 ? maxTensorBytes : defaultMaxTensorBytes(parsed.fileSize()), maxTensorBytes > 0);

        // Lifetimes in op steps: graph inputs and variables are alive from before the first op
        // (step -1), graph outputs, inputs and variables until after the last (step ops.size()). Inputs live to the
        // end as in TFLite's arena planner: a second invoke() without setInput runs on the same inputs, and no op
        // overwrites the ids that the out-of-vocabulary check read.
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
            if (specs[t].isConstant()) throw new InvalidModelException("graph input " + specs[t] + " is a constant");
        }

        List<OpKernel.Prepared> preparedOps = new ArrayList<>(ops.size());
        for (Operator op : ops) {
            OpKernel kernel = registry.kernel(op.opcode());
            if (kernel == null) {
                throw new InvalidModelException("op " + op.index() + " " + op.opName()
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
                    throw new InvalidModelException("op " + op.index() + " " + op.opName() + ": output "
                            + outSpecs[i] + " is a constant");
                }
            }
            preparedOps.add(kernel.prepare(new OpContext(op, inSpecs, outSpecs, tfliteThreads)));
        }
        this.idInputs = IdInputs.find(graph, specs, registry, inputs);
        GraphFusion.Result fused = fusion ? GraphFusion.apply(graph, specs, registry, tfliteThreads, preparedOps) : null;
        if (fused != null) {
            preparedOps = fused.prepared();
            for (GraphFusion.LaterRead read : fused.laterReads()) touch(first, last, read.tensor(), read.step());
        }
        this.fusions = fused == null ? List.of() : fused.applied();
        this.prepared = List.copyOf(preparedOps);

        // A view (RESHAPE) of an activation shares its buffer: the owner lives as long as all its views.
        int[] storageOwner = new int[tensorCount];
        for (int t = 0; t < tensorCount; t++) storageOwner[t] = t;
        for (int i = 0; i < ops.size(); i++) {
            if (!prepared.get(i).outputMayShareInputStorage()) continue;
            Operator op = ops.get(i);
            TensorSpec in = specs[op.inputs()[0]];
            TensorSpec out = specs[op.outputs()[0]];
            if (in.isConstant() || in.isVariable() || out.isVariable() || in.type() != out.type()
                    || in.elementCount() != out.elementCount()) continue;
            int owner = storageOwner[in.index()];
            storageOwner[out.index()] = owner;
            touch(first, last, owner, first[out.index()]);
            touch(first, last, owner, last[out.index()]);
        }

        checkNoAliasing(ops, storageOwner);

        Map<TensorType, List<MemoryPlan.Request>> requests = new EnumMap<>(TensorType.class);
        for (TensorType type : ARENA_TYPES) requests.put(type, new ArrayList<>());
        for (TensorSpec s : specs) {
            if (s == null || s.isConstant() || storageOwner[s.index()] != s.index()) continue;
            List<MemoryPlan.Request> list = requests.get(s.type());
            if (list == null) {
                throw new InvalidModelException(s + ": tfl4j keeps activations only of types " + ARENA_TYPES);
            }
            list.add(new MemoryPlan.Request(s.index(), s.elementCount(), first[s.index()], last[s.index()]));
        }
        this.plans = new EnumMap<>(TensorType.class);
        for (TensorType type : ARENA_TYPES) {
            plans.put(type, MemoryPlan.place(requests.get(type), tensorCount).withSharedStorage(storageOwner));
        }

        for (SignatureDef sig : parsed.signatureDefs()) {
            if (sig.subgraphIndex() != 0) continue;
            for (var e : sig.inputs().entrySet()) requireIndexIn(sig, e.getKey(), e.getValue(), inputs, "input");
            for (var e : sig.outputs().entrySet()) requireIndexIn(sig, e.getKey(), e.getValue(), outputs, "output");
        }
    }

    /**
     * Refuses a model whose ops read and write more tensor bytes than {@code limit} (see
     * {@link Interpreter.Options#setMaxTensorBytes}), before anything is decoded, prepared or planned: every
     * allocation of the load and of an interpreter, and the memory one run touches, are bounded by this sum.
     * A hostile file can otherwise declare a [65536, 65536] activation in a few hundred bytes, or point many
     * ops at one large tensor.
     */
    private void checkTensorBytes(long limit, boolean explicit) {
        List<Tensor> tensors = graph.tensors();
        long total = 0;
        for (int t : inputs) total += bytes(tensors.get(t));
        long largestOp = -1;
        int largestOpIndex = -1;
        for (Operator op : graph.operators()) {
            long opBytes = 0;
            for (int t : op.inputs()) if (t >= 0) opBytes += bytes(tensors.get(t));
            for (int t : op.outputs()) opBytes += bytes(tensors.get(t));
            total += opBytes;
            if (opBytes > largestOp) {
                largestOp = opBytes;
                largestOpIndex = op.index();
            }
        }
        if (total > limit) {
            String where = largestOpIndex < 0 ? "" : " (op " + largestOpIndex + " " + graph.operators().get(largestOpIndex).opName()
                    + " alone " + largestOp + ")";
            throw new InvalidModelException("the ops read and write " + total + " bytes of tensors" + where + ", more than the limit of "
                    + limit + " bytes (" + (explicit ? "Options.setMaxTensorBytes" : TENSOR_BYTES_PER_FILE_BYTE
                    + " times the " + parsed.fileSize() + "-byte file, at least " + MIN_TENSOR_BYTES) + "); "
                    + "raise it with Interpreter.Options.setMaxTensorBytes for a model you trust");
        }
    }

    private static long bytes(Tensor t) {
        return (long) t.elementCount() * t.type().byteSize;
    }

    /**
     * Refuses an op that writes a tensor it also reads, or writes two outputs to one place (directly or
     * through a RESHAPE view): the kernels assume their outputs are apart from everything else they touch.
     * A view op (RESHAPE) itself is exempt: its output is its input's storage by design.
     */
    private void checkNoAliasing(List<Operator> ops, int[] storageOwner) {
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
                    throw new InvalidModelException("op " + op.index() + " " + op.opName() + ": outputs " + j2 + " and " + j
                            + " (tensors " + out[j2] + " and " + out[j] + ") share their storage");
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
                    throw new InvalidModelException("op " + op.index() + " " + op.opName() + ": input " + k + " (tensor "
                            + in[k] + ") and output " + j + " (tensor " + out[j] + ") are the same tensor or views of it");
                }
            }
        }
    }

    private static void touch(int[] first, int[] last, int t, int step) {
        first[t] = Math.min(first[t], step);
        last[t] = Math.max(last[t], step);
    }

    private static void requireIndexIn(SignatureDef sig, String name, int tensor, int[] list, String what) {
        for (int t : list) if (t == tensor) return;
        throw new InvalidModelException("signature '" + sig.key() + "' " + what + " '" + name + "' is tensor "
                + tensor + ", which is not a subgraph " + what);
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
        return new Model(TfliteParser.parse(bytes), options.tfliteThreads(), options.opRegistry(), options.fusion(),
                options.maxTensorBytes());
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

    /** Bytes of the activation arenas each interpreter of this model allocates. */
    public long arenaBytes() {
        long n = 0;
        for (TensorType type : ARENA_TYPES) n += (long) plans.get(type).arenaSize() * type.byteSize;
        return n;
    }

    private TensorInfo info(int tensor) {
        TensorSpec s = specs[tensor];
        return new TensorInfo(tensor, s.name(), s.type(), s.shape());
    }

    static int checkIndex(int k, int n, String what) {
        if (k < 0 || k >= n) throw new InvalidInputException(what + " index " + k + " out of range: the model has " + n + " " + what + "s");
        return k;
    }

    // ---- for Interpreter ----

    TensorSpec spec(int tensor) {
        return specs[tensor];
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

    IdInputs.IdInput[] idInputs() {
        return idInputs;
    }

    List<OpKernel.Prepared> prepared() {
        return prepared;
    }

    /** The op chains the fusion pass replaced, one line each (empty with fusion off). */
    List<String> fusions() {
        return fusions;
    }

    MemoryPlan plan(TensorType type) {
        return plans.get(type);
    }

    SignatureDef signature(String key) {
        for (SignatureDef s : parsed.signatureDefs()) if (s.key().equals(key)) return s;
        StringBuilder keys = new StringBuilder();
        for (SignatureDef s : parsed.signatureDefs()) keys.append(keys.length() == 0 ? "" : ", ").append(s.key());
        throw new InvalidInputException("no signature '" + key + "' (the model has: " + (keys.length() == 0 ? "none" : keys) + ")");
    }
}

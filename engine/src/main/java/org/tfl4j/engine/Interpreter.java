package org.tfl4j.engine;

import org.tfl4j.engine.ops.Node;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.engine.ops.TensorSpec;
import org.tfl4j.parser.SignatureDef;
import org.tfl4j.parser.TensorType;

import java.io.File;
import java.lang.reflect.Array;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs a {@code .tflite} model, with the surface of TFLite's Java {@code Interpreter}.
 *
 * <p>Threads: an {@code Interpreter} is not thread-safe; use one per thread. A {@link Model} is
 * immutable and may be shared: {@code new Interpreter(model, options)} per thread costs only the
 * activation arenas (see {@link Model#arenaBytes()}); constants are shared read-only.
 *
 * <p>State: by default every run starts the model's variable tensors (LSTM h and c) from zero.
 * {@link Options#setCarryVariableTensors(boolean)} keeps them from run to run like TFLite does,
 * until {@link #resetVariableTensors()}.
 *
 * <p>Inputs and outputs may be flat primitive arrays of the tensor's type and element count
 * ({@code int[]}, {@code float[]}, {@code long[]}, {@code boolean[]}), nested arrays of exactly the
 * tensor's shape ({@code float[1][16]}), typed NIO buffers, or {@link ByteBuffer}s of its byte size
 * (read and written in the buffer's byte order). {@link #setInput}, {@link #invoke} and
 * {@link #getOutput} with flat arrays allocate nothing.
 *
 * <p>Untrusted inputs: an input of the wrong type, shape or length, a null, a missing or extra input or output
 * fails with an {@link InvalidInputException} that names the input or output (index or signature name, tensor name)
 * and what it expected and got; {@code run}, {@code runForMultipleInputsOutputs} and {@code runSignature} check the
 * outputs too before anything runs. Ids outside the vocabulary of the GATHER they feed fail {@link #invoke()}
 * before any op runs ({@link OutOfVocabularyException}), or are mapped to the padding id 0 with
 * {@link Options#setOutOfVocabularyPolicy}. Float inputs are not checked: NaN and infinities go through the ops as
 * they do in TFLite, with the same bits. After a rejected input the interpreter is unchanged and takes the next one.
 */
public final class Interpreter implements AutoCloseable {

    /** Interpreter settings. */
    public static final class Options {
        int tfliteThreads = 1;
        boolean carryVariableTensors;
        OpRegistry opRegistry = OpRegistry.builtins();
        boolean fusion = true;
        long maxTensorBytes;
        OutOfVocabularyPolicy outOfVocabularyPolicy = OutOfVocabularyPolicy.REJECT;
        long maxWhileIterations = Long.MAX_VALUE;

        /**
         * Reproduce the arithmetic TFLite 2.21 uses with this many threads (default 1, the reference
         * configuration; -1 is TFLite Java's default). Only CONV_2D with output width 1 differs.
         * tfl4j itself always computes on the calling thread.
         */
        public Options setTfliteThreads(int threads) {
            if (threads == 0 || threads < -1) throw new IllegalArgumentException("threads must be -1 or >= 1: " + threads);
            this.tfliteThreads = threads;
            return this;
        }

        /** Keep variable tensors (LSTM state) from one run to the next, as TFLite does. Default false. */
        public Options setCarryVariableTensors(boolean carry) {
            this.carryVariableTensors = carry;
            return this;
        }

        /**
         * The kernels to run (default {@link OpRegistry#builtins()}); a registry with a custom kernel for
         * some code adds an op or replaces tfl4j's own, as TFLite's op resolvers do. Applies when a model is loaded.
         */
        public Options setOpRegistry(OpRegistry registry) {
            this.opRegistry = java.util.Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Fuse chains of builtin ops into single kernels when the model is loaded (default true; see
         * {@link org.tfl4j.engine.ops.GraphFusion}). The results are the same bits either way; off runs every op's own
         * kernel, for comparison.
         */
        public Options setFusion(boolean fusion) {
            this.fusion = fusion;
            return this;
        }

        /**
         * What a run does with an id outside the vocabulary (see {@link OutOfVocabularyPolicy}): fail before any op
         * runs ({@link OutOfVocabularyPolicy#REJECT REJECT}, the default, as TFLite fails the invocation) or map it to
         * the padding id 0 ({@link OutOfVocabularyPolicy#MAP_TO_PADDING MAP_TO_PADDING}). Applies per interpreter.
         */
        public Options setOutOfVocabularyPolicy(OutOfVocabularyPolicy policy) {
            this.outOfVocabularyPolicy = java.util.Objects.requireNonNull(policy, "policy");
            return this;
        }

        public OutOfVocabularyPolicy outOfVocabularyPolicy() {
            return outOfVocabularyPolicy;
        }

        public boolean fusion() {
            return fusion;
        }

        /**
         * The most tensor bytes a model may declare, checked when it is loaded, before anything is allocated
         * for its tensors: the bytes of every tensor each op reads or writes, summed over the ops (a tensor
         * used by three ops counts three times), plus the graph inputs. This bounds what loading, an
         * interpreter's arenas and one run allocate and touch (docs/security.md). 0, the default, means
         * {@link Model#defaultMaxTensorBytes(long) 16 times the file size, at least 32 MiB}; raise it for a
         * trusted model with large activations and few weights.
         */
        public Options setMaxTensorBytes(long bytes) {
            if (bytes < 0) throw new IllegalArgumentException("maxTensorBytes must be >= 0 (0 = the default): " + bytes);
            this.maxTensorBytes = bytes;
            return this;
        }

        /** The limit set with {@link #setMaxTensorBytes}, or 0 for the default. */
        public long maxTensorBytes() {
            return maxTensorBytes;
        }

        /**
         * The most iterations one WHILE loop may run in one run (per time it is entered); a run that would go further
         * stops with a {@link RunAbortedException}. Default {@code Long.MAX_VALUE}: no limit, as TFLite, whose WHILE
         * runs as long as its cond says so (forever, for a cond that never turns false). With or without a limit,
         * interrupting the running thread stops a loop the same way, between two iterations. Applies when a model is
         * loaded.
         */
        public Options setMaxWhileIterations(long iterations) {
            if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0: " + iterations);
            this.maxWhileIterations = iterations;
            return this;
        }

        public long maxWhileIterations() {
            return maxWhileIterations;
        }

        public OpRegistry opRegistry() {
            return opRegistry;
        }

        public int tfliteThreads() {
            return tfliteThreads;
        }

        public boolean carryVariableTensors() {
            return carryVariableTensors;
        }
    }

    private final Model model;
    private final boolean carryVariables;
    private final Arenas arenas;
    private final Node[] nodes;              // one per op, in subgraph order (invokeProfiled's indices)
    private final Node[] workingNodes;       // the same less Node.NOTHING: what invoke runs
    private final IdCheck[] idChecks;        // one per id input, bound to this interpreter's arena
    private final boolean mapOutOfVocabularyToPadding;
    private boolean closed;

    public Interpreter(File modelFile) {
        this(modelFile.toPath(), new Options());
    }

    public Interpreter(Path modelFile) {
        this(modelFile, new Options());
    }

    public Interpreter(Path modelFile, Options options) {
        this(Model.load(modelFile, options), options);
    }

    public Interpreter(ByteBuffer model) {
        this(model, new Options());
    }

    public Interpreter(ByteBuffer model, Options options) {
        this(Model.load(model, options), options);
    }

    /**
     * An interpreter over an already loaded (shareable) model. The model's numerics
     * ({@link Options#setTfliteThreads}), kernels ({@link Options#setOpRegistry}), fusion ({@link Options#setFusion}),
     * tensor-bytes limit ({@link Options#setMaxTensorBytes}) and WHILE limit ({@link Options#setMaxWhileIterations})
     * were fixed when it was loaded; here only {@link Options#setCarryVariableTensors} and
     * {@link Options#setOutOfVocabularyPolicy} apply.
     */
    public Interpreter(Model model, Options options) {
        this(model, options, null);
    }

    /**
     * An interpreter over {@code model}; with {@code shareArenasWith} non-null it runs in that interpreter's arenas
     * instead of its own. Two interpreters sharing arenas are NOT independent: this exists only so that the
     * concurrency test can prove its checker catches interpreters that share mutable state. Never public.
     */
    Interpreter(Model model, Options options, Interpreter shareArenasWith) {
        this.model = java.util.Objects.requireNonNull(model, "model");
        this.carryVariables = options.carryVariableTensors();
        this.mapOutOfVocabularyToPadding = options.outOfVocabularyPolicy() == OutOfVocabularyPolicy.MAP_TO_PADDING;
        this.arenas = shareArenasWith == null ? new Arenas(model.main()) : shareArenasWith.arenas;
        this.nodes = model.main().bind(arenas);
        this.workingNodes = Arrays.stream(nodes).filter(n -> n != Node.NOTHING).toArray(Node[]::new);
        IdInputs.IdInput[] ids = model.idInputs();
        this.idChecks = new IdCheck[ids.length];
        for (int i = 0; i < ids.length; i++) idChecks[i] = new IdCheck(ids[i], arenas);
    }

    public Model model() {
        return model;
    }

    // ---- TFLite-style runs ----

    /** Runs a model with one input and one output. */
    public void run(Object input, Object output) {
        runForMultipleInputsOutputs(new Object[] {input}, Map.of(0, output));
    }

    /** Runs with inputs in subgraph input order; fills the given outputs by output index. */
    public void runForMultipleInputsOutputs(Object[] inputs, Map<Integer, ?> outputs) {
        ensureOpen();
        if (inputs == null) throw new InvalidInputException("inputs: null instead of an array of " + model.inputCount());
        if (outputs == null) throw new InvalidInputException("outputs: null instead of a map from output index to array");
        if (inputs.length != model.inputCount()) {
            throw new InvalidInputException("got " + inputs.length + " inputs, the model has " + model.inputCount());
        }
        // Everything is checked before anything is written or run: a bad call leaves the interpreter as it was.
        for (Map.Entry<Integer, ?> e : outputs.entrySet()) {
            if (e.getKey() == null) throw new InvalidInputException("outputs: a null output index");
            int k = Model.checkIndex(e.getKey(), model.outputCount(), "output");
            checkFits(model.spec(model.outputTensors()[k]), e.getValue(), "output", k, true);
        }
        for (int k = 0; k < inputs.length; k++) checkFits(model.spec(model.inputTensors()[k]), inputs[k], "input", k, false);
        for (int k = 0; k < inputs.length; k++) setInput(k, inputs[k]);
        invoke();
        for (Map.Entry<Integer, ?> e : outputs.entrySet()) getOutput(e.getKey(), e.getValue());
    }

    /** Runs the signature {@code key}: inputs and outputs by signature name. */
    public void runSignature(Map<String, ?> inputs, Map<String, ?> outputs, String key) {
        ensureOpen();
        if (inputs == null) throw new InvalidInputException("signature '" + key + "': inputs map is null");
        if (outputs == null) throw new InvalidInputException("signature '" + key + "': outputs map is null");
        SignatureDef sig = model.signature(key);
        if (sig.subgraphIndex() != 0) {
            throw new InvalidInputException("signature '" + key + "' runs subgraph " + sig.subgraphIndex()
                    + "; tfl4j runs signatures of subgraph 0 only");
        }
        for (String name : sig.inputs().keySet()) {
            if (!inputs.containsKey(name)) throw new InvalidInputException("signature '" + key + "': input '" + name + "' not given");
        }
        for (String name : inputs.keySet()) {
            if (name == null || !sig.inputs().containsKey(name)) {
                throw new InvalidInputException("signature '" + key + "' has no input '" + name + "' (inputs: " + sig.inputs().keySet() + ")");
            }
        }
        for (String name : outputs.keySet()) {
            if (name == null || !sig.outputs().containsKey(name)) {
                throw new InvalidInputException("signature '" + key + "' has no output '" + name + "' (outputs: " + sig.outputs().keySet() + ")");
            }
        }
        for (Map.Entry<String, ?> e : outputs.entrySet()) {
            checkFits(model.spec(sig.outputs().get(e.getKey())), e.getValue(), "signature output '" + e.getKey() + "'", -1, true);
        }
        for (Map.Entry<String, ?> e : inputs.entrySet()) {
            checkFits(model.spec(sig.inputs().get(e.getKey())), e.getValue(), "signature input '" + e.getKey() + "'", -1, false);
        }
        for (Map.Entry<String, ?> e : inputs.entrySet()) {
            write(model.spec(sig.inputs().get(e.getKey())), e.getValue(), "signature input '" + e.getKey() + "'", -1);
        }
        invoke();
        for (Map.Entry<String, ?> e : outputs.entrySet()) {
            read(model.spec(sig.outputs().get(e.getKey())), e.getValue(), "signature output '" + e.getKey() + "'", -1);
        }
    }

    /** Runs the model's only signature. */
    public void runSignature(Map<String, ?> inputs, Map<String, ?> outputs) {
        String[] keys = getSignatureKeys();
        if (keys.length != 1) {
            throw new InvalidInputException("the model has " + keys.length + " signatures " + Arrays.toString(keys) + "; name one");
        }
        runSignature(inputs, outputs, keys[0]);
    }

    public String[] getSignatureKeys() {
        return model.parsed().signatureDefs().stream().map(SignatureDef::key).toArray(String[]::new);
    }

    public String[] getSignatureInputs(String key) {
        return model.signature(key).inputs().keySet().toArray(new String[0]);
    }

    public String[] getSignatureOutputs(String key) {
        return model.signature(key).outputs().keySet().toArray(new String[0]);
    }

    public int getInputTensorCount() {
        return model.inputCount();
    }

    public int getOutputTensorCount() {
        return model.outputCount();
    }

    public TensorInfo getInputTensor(int k) {
        return model.input(k);
    }

    public TensorInfo getOutputTensor(int k) {
        return model.output(k);
    }

    /** Position of the input with this tensor name in the subgraph input list. */
    public int getInputIndex(String tensorName) {
        return indexOf(model.inputTensors(), tensorName, "input");
    }

    public int getOutputIndex(String tensorName) {
        return indexOf(model.outputTensors(), tensorName, "output");
    }

    private int indexOf(int[] tensors, String name, String what) {
        StringBuilder names = new StringBuilder();
        for (int k = 0; k < tensors.length; k++) {
            String n = model.spec(tensors[k]).name();
            if (n.equals(name)) return k;
            names.append(k == 0 ? "" : ", ").append('\'').append(n).append('\'');
        }
        throw new InvalidInputException("no " + what + " named '" + name + "' (" + what + "s: " + names + ")");
    }

    // ---- zero-allocation path ----

    /** Copies {@code src} into input {@code k}; then {@link #invoke()}, then read outputs. */
    public void setInput(int k, Object src) {
        ensureOpen();
        int t = model.inputTensors()[Model.checkIndex(k, model.inputCount(), "input")];
        write(model.spec(t), src, "input", k);
    }

    /**
     * Runs the graph on the inputs set so far. First the ids of every id input are checked against their
     * vocabulary ({@link Model#vocabularySize}); with the default policy an id outside it fails the run with an
     * {@link OutOfVocabularyException} before anything (variable tensors included) changes.
     */
    public void invoke() {
        ensureOpen();
        checkIds();
        if (!carryVariables) resetVariableTensors();
        for (Node node : workingNodes) node.run();
    }

    /**
     * {@link #invoke()} that also adds each op's wall time in nanoseconds to {@code nanosByOp[i]}, {@code i}
     * being the op's index in the subgraph ({@code model.parsed()}'s operator order): the per-op profile of
     * {@code tfl4j bench}. Allocates nothing; the timer calls add some tens of nanoseconds per op.
     */
    public void invokeProfiled(long[] nanosByOp) {
        invokeProfiled(nanosByOp, System::nanoTime);
    }

    /**
     * {@link #invoke()} that also adds to {@code amountsByOp[i]} how much {@code meter} grew while op {@code i} ran:
     * with {@code System::nanoTime} its wall time, with the thread's allocated bytes
     * ({@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes}) the Java heap it allocated, which
     * names the op whose code the JIT compiled into an allocating form. Allocates nothing beyond what the meter does.
     */
    public void invokeProfiled(long[] amountsByOp, LongSupplier meter) {
        ensureOpen();
        if (amountsByOp.length != nodes.length) {
            throw new IllegalArgumentException("amountsByOp has length " + amountsByOp.length + ", the model has "
                    + nodes.length + " ops");
        }
        checkIds();
        if (!carryVariables) resetVariableTensors();
        long before = meter.getAsLong();
        for (int i = 0; i < nodes.length; i++) {
            nodes[i].run();
            long after = meter.getAsLong();
            amountsByOp[i] += after - before;
            before = after;
        }
    }

    /** Number of ops this interpreter runs, in subgraph order (the length {@link #invokeProfiled} expects). */
    public int opCount() {
        return nodes.length;
    }

    /** Copies output {@code k} into {@code dst} (an array or buffer of the output's type and size). */
    public void getOutput(int k, Object dst) {
        ensureOpen();
        int t = model.outputTensors()[Model.checkIndex(k, model.outputCount(), "output")];
        read(model.spec(t), dst, "output", k);
    }

    /** Sets every variable tensor (LSTM state) back to zero. */
    public void resetVariableTensors() {
        for (int t : model.variableTensors()) {
            TensorSpec s = model.spec(t);
            int off = arenas.offset(s);
            int n = s.elementCount();
            switch (s.type()) {
                case FLOAT32: Arrays.fill(arenas.floats(s), off, off + n, 0f); break;
                case INT32: Arrays.fill(arenas.ints(s), off, off + n, 0); break;
                case INT64: Arrays.fill(arenas.longs(s), off, off + n, 0L); break;
                case BOOL: Arrays.fill(arenas.bools(s), off, off + n, false); break;
                default: throw new IllegalStateException(s.toString());
            }
        }
    }

    /** Releases the arenas; the interpreter cannot run afterwards. */
    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("interpreter is closed");
    }

    private void checkIds() {
        for (IdCheck check : idChecks) check.apply(mapOutOfVocabularyToPadding);
    }

    /** The vocabulary check of one id input, bound to an interpreter's arena: a loop over the ids, no allocation. */
    private static final class IdCheck {
        private final IdInputs.IdInput id;
        private final int[] ints;   // the INT32 arena, or null
        private final long[] longs; // the INT64 arena, or null
        private final int offset;
        private final int count;
        private final int vocabularySize;

        IdCheck(IdInputs.IdInput id, Arenas arenas) {
            this.id = id;
            TensorSpec t = id.tensor();
            this.ints = t.type() == TensorType.INT32 ? arenas.ints(t) : null;
            this.longs = t.type() == TensorType.INT64 ? arenas.longs(t) : null;
            this.offset = arenas.offset(t);
            this.count = t.elementCount();
            this.vocabularySize = id.vocabularySize();
        }

        /** Throws on the first id outside the vocabulary, or (mapping, with a non-empty vocabulary) sets each to 0. */
        void apply(boolean mapToPadding) {
            boolean map = mapToPadding && vocabularySize > 0;
            if (ints != null) {
                for (int i = 0; i < count; i++) {
                    int v = ints[offset + i];
                    if (v < 0 || v >= vocabularySize) {
                        if (!map) throw outOfVocabulary(i, v);
                        ints[offset + i] = 0;
                    }
                }
            } else {
                for (int i = 0; i < count; i++) {
                    long v = longs[offset + i];
                    if (v < 0 || v >= vocabularySize) {
                        if (!map) throw outOfVocabulary(i, v);
                        longs[offset + i] = 0;
                    }
                }
            }
        }

        private OutOfVocabularyException outOfVocabulary(int position, long value) {
            String range = vocabularySize == 0 ? "there are none (the table is empty)"
                    : "valid ids are 0 to " + (vocabularySize - 1);
            return new OutOfVocabularyException("input " + id.input() + " " + describe(id.tensor()) + ": id " + value
                    + " at " + multiIndex(position, id.tensor().shape()) + " is outside the vocabulary, " + range + " ("
                    + id.lookup() + "); Interpreter.Options.setOutOfVocabularyPolicy(MAP_TO_PADDING) maps such ids to 0",
                    id.input(), position, value, vocabularySize);
        }

        private static String multiIndex(int position, int[] shape) {
            int[] index = new int[shape.length];
            for (int d = shape.length - 1; d >= 0; d--) {
                index[d] = position % shape[d];
                position /= shape[d];
            }
            return Arrays.toString(index);
        }
    }

    // ---- copying in and out ----

    /** {@code kind} and {@code index} name the tensor in messages ("input", 0); built only on error. */
    private void write(TensorSpec s, Object src, String kind, int index) {
        if (src == null) throw new InvalidInputException(where(kind, index) + ": null instead of " + describe(s));
        Object arena = arenas.array(s);
        int off = arenas.offset(s);
        int n = s.elementCount();
        if (src instanceof ByteBuffer) {
            ByteBuffer b = (ByteBuffer) src;
            requireBytes(s, b.remaining(), kind, index);
            int p = b.position();
            switch (s.type()) {
                case FLOAT32: for (int i = 0; i < n; i++) ((float[]) arena)[off + i] = b.getFloat(p + 4 * i); break;
                case INT32: for (int i = 0; i < n; i++) ((int[]) arena)[off + i] = b.getInt(p + 4 * i); break;
                case INT64: for (int i = 0; i < n; i++) ((long[]) arena)[off + i] = b.getLong(p + 8 * i); break;
                case BOOL: for (int i = 0; i < n; i++) ((boolean[]) arena)[off + i] = b.get(p + i) != 0; break;
                default: throw new IllegalStateException(s.toString());
            }
        } else if (src instanceof Buffer) {
            Buffer b = (Buffer) src;
            requireBufferType(s, b, kind, index);
            if (b.remaining() != n) throw mismatch(s, kind, index, b.remaining() + " elements in " + b.getClass().getSimpleName());
            if (b instanceof FloatBuffer) ((FloatBuffer) b).duplicate().get((float[]) arena, off, n);
            else if (b instanceof IntBuffer) ((IntBuffer) b).duplicate().get((int[]) arena, off, n);
            else ((LongBuffer) b).duplicate().get((long[]) arena, off, n);
        } else {
            copyArray(s, src, arena, off, true, kind, index);
        }
    }

    private void read(TensorSpec s, Object dst, String kind, int index) {
        if (dst == null) throw new InvalidInputException(where(kind, index) + ": null instead of " + describe(s));
        Object arena = arenas.array(s);
        int off = arenas.offset(s);
        int n = s.elementCount();
        if (dst instanceof Buffer && ((Buffer) dst).isReadOnly()) {
            throw mismatch(s, kind, index, "a read-only " + dst.getClass().getSimpleName());
        }
        if (dst instanceof ByteBuffer) {
            ByteBuffer b = (ByteBuffer) dst;
            requireBytes(s, b.remaining(), kind, index);
            int p = b.position();
            switch (s.type()) {
                case FLOAT32: for (int i = 0; i < n; i++) b.putFloat(p + 4 * i, ((float[]) arena)[off + i]); break;
                case INT32: for (int i = 0; i < n; i++) b.putInt(p + 4 * i, ((int[]) arena)[off + i]); break;
                case INT64: for (int i = 0; i < n; i++) b.putLong(p + 8 * i, ((long[]) arena)[off + i]); break;
                case BOOL: for (int i = 0; i < n; i++) b.put(p + i, (byte) (((boolean[]) arena)[off + i] ? 1 : 0)); break;
                default: throw new IllegalStateException(s.toString());
            }
        } else if (dst instanceof Buffer) {
            Buffer b = (Buffer) dst;
            requireBufferType(s, b, kind, index);
            if (b.remaining() != n) throw mismatch(s, kind, index, b.remaining() + " elements in " + b.getClass().getSimpleName());
            if (b instanceof FloatBuffer) ((FloatBuffer) b).duplicate().put((float[]) arena, off, n);
            else if (b instanceof IntBuffer) ((IntBuffer) b).duplicate().put((int[]) arena, off, n);
            else ((LongBuffer) b).duplicate().put((long[]) arena, off, n);
        } else {
            copyArray(s, dst, arena, off, false, kind, index);
        }
    }

    /**
     * Throws what {@link #write} (or, for an output, {@link #read}) would throw for {@code o}, copying nothing: the
     * calls that run the model check every input and output first, so a bad one changes nothing.
     */
    private static void checkFits(TensorSpec s, Object o, String kind, int index, boolean output) {
        if (o == null) throw new InvalidInputException(where(kind, index) + ": null instead of " + describe(s));
        if (o instanceof ByteBuffer) {
            if (output && ((ByteBuffer) o).isReadOnly()) throw mismatch(s, kind, index, "a read-only ByteBuffer");
            requireBytes(s, ((ByteBuffer) o).remaining(), kind, index);
        } else if (o instanceof Buffer) {
            Buffer b = (Buffer) o;
            if (output && b.isReadOnly()) throw mismatch(s, kind, index, "a read-only " + b.getClass().getSimpleName());
            requireBufferType(s, b, kind, index);
            if (b.remaining() != s.elementCount()) {
                throw mismatch(s, kind, index, b.remaining() + " elements in " + b.getClass().getSimpleName());
            }
        } else {
            copyArray(s, o, null, 0, false, kind, index);
        }
    }

    private static void requireBytes(TensorSpec s, int bytes, String kind, int index) {
        int want = s.elementCount() * s.type().byteSize;
        if (bytes != want) throw mismatch(s, kind, index, bytes + " bytes in a ByteBuffer (needs " + want + ")");
    }

    private static void requireBufferType(TensorSpec s, Buffer b, String kind, int index) {
        boolean ok = (b instanceof FloatBuffer && s.type() == TensorType.FLOAT32)
                || (b instanceof IntBuffer && s.type() == TensorType.INT32)
                || (b instanceof LongBuffer && s.type() == TensorType.INT64);
        if (!ok) throw mismatch(s, kind, index, "a " + b.getClass().getSimpleName());
    }

    /** Copies between a user array (flat, or nested with exactly the tensor's shape) and the arena; only checks when {@code arena} is null. */
    private static void copyArray(TensorSpec s, Object user, Object arena, int off, boolean toArena, String kind, int index) {
        Class<?> c = user.getClass();
        if (!c.isArray()) throw mismatch(s, kind, index, "a " + c.getSimpleName());
        Class<?> leaf = c;
        int depth = 0;
        while (leaf.isArray()) {
            leaf = leaf.getComponentType();
            depth++;
        }
        if (leaf != elementClass(s.type())) throw mismatch(s, kind, index, "a " + c.getSimpleName());
        int n = s.elementCount();
        if (depth == 1) {
            int len = Array.getLength(user);
            if (len != n) throw mismatch(s, kind, index, c.getSimpleName().replace("[]", "[" + len + "]"));
            if (arena == null) return;
            if (toArena) System.arraycopy(user, 0, arena, off, n);
            else System.arraycopy(arena, off, user, 0, n);
            return;
        }
        if (depth != s.rank()) throw mismatch(s, kind, index, "a " + c.getSimpleName() + " (rank " + depth + ")");
        copyNested(s, user, 0, arena, off, toArena, kind, index);
    }

    private static int copyNested(TensorSpec s, Object user, int dim, Object arena, int off, boolean toArena, String kind, int index) {
        int len = Array.getLength(user);
        if (len != s.dim(dim)) {
            throw mismatch(s, kind, index, "an array of length " + len + " in dimension " + dim);
        }
        if (dim == s.rank() - 1) {
            if (arena == null) return off + len;
            if (toArena) System.arraycopy(user, 0, arena, off, len);
            else System.arraycopy(arena, off, user, 0, len);
            return off + len;
        }
        for (int i = 0; i < len; i++) {
            Object sub = Array.get(user, i);
            if (sub == null) throw mismatch(s, kind, index, "a null row at index " + i + " of dimension " + dim);
            off = copyNested(s, sub, dim + 1, arena, off, toArena, kind, index);
        }
        return off;
    }

    private static Class<?> elementClass(TensorType type) {
        switch (type) {
            case FLOAT32: return float.class;
            case INT32: return int.class;
            case INT64: return long.class;
            case BOOL: return boolean.class;
            default: return Void.class;
        }
    }

    private static String describe(TensorSpec s) {
        return "'" + s.name() + "' " + s.type() + Arrays.toString(s.shape());
    }

    private static InvalidInputException mismatch(TensorSpec s, String kind, int index, String got) {
        return new InvalidInputException(where(kind, index) + " " + describe(s) + " cannot take " + got);
    }

    private static String where(String kind, int index) {
        return index < 0 ? kind : kind + " " + index;
    }
}

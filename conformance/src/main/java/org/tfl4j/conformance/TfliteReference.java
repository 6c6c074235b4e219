package org.tfl4j.conformance;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.bytedeco.tensorflowlite.global.tensorflowlite;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteBool;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt64;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

/**
 * The official TensorFlow Lite 2.21 C++ interpreter (the JavaCPP build), loaded with one model.
 *
 * <p>The reference configuration is TFLite's builtin kernels ({@code BuiltinOpResolverWithoutDefaultDelegates})
 * on one thread; {@code xnnpack = true} applies TFLite's default XNNPACK delegate instead, as a second opinion.
 * Inputs and outputs are Java arrays addressed by their position in the subgraph's input and output lists:
 * {@code float[]} for float32, {@code int[]} for int32, {@code long[]} for int64, {@code boolean[]} for bool.
 *
 * <p>TFLite keeps variable tensors (LSTM h and c) from one {@code Invoke()} to the next; {@link #run} resets them
 * first so each case starts from zero state, {@link #runCarryingState} does not.
 */
public final class TfliteReference implements AutoCloseable {

    private static final String PLATFORM = "linux-x86_64";
    private static volatile String unavailableReason;
    private static volatile boolean probed;

    private final String name;
    private final BytePointer modelBytes; // TFLite reads the model in place: kept alive until close
    private final FlatBufferModel flatBuffer;
    private final BuiltinOpResolver resolver;
    private final InterpreterBuilder builder;
    private final Interpreter interpreter;
    private final int[] inputTensors;
    private final int[] outputTensors;

    private TfliteReference(String name, byte[] model, int threads, boolean xnnpack) {
        this.name = name;
        this.modelBytes = new BytePointer(model.length);
        modelBytes.put(model, 0, model.length);
        this.flatBuffer = FlatBufferModel.BuildFromBuffer(modelBytes, model.length);
        if (flatBuffer == null || flatBuffer.isNull()) {
            modelBytes.close();
            throw new IllegalStateException("TFLite cannot load model " + name);
        }
        this.resolver = xnnpack ? new BuiltinOpResolver() : new BuiltinOpResolverWithoutDefaultDelegates();
        this.builder = new InterpreterBuilder(flatBuffer, resolver);
        check(builder.SetNumThreads(threads), "SetNumThreads(" + threads + ")");
        this.interpreter = new Interpreter((Pointer) null);
        check(builder.apply(interpreter), "InterpreterBuilder");
        if (interpreter.isNull()) throw new IllegalStateException("TFLite built no interpreter for " + name);
        check(interpreter.AllocateTensors(), "AllocateTensors");
        this.inputTensors = indices(interpreter.inputs());
        this.outputTensors = indices(interpreter.outputs());
    }

    /** Why the reference cannot run here, or null when it can. Probes (loads the native library) once. */
    public static String unavailableReason() {
        if (!probed) {
            synchronized (TfliteReference.class) {
                if (!probed) {
                    unavailableReason = probe();
                    probed = true;
                }
            }
        }
        return unavailableReason;
    }

    private static String probe() {
        String os = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        String platform;
        try {
            platform = Loader.getPlatform();
        } catch (Throwable t) {
            return "JavaCPP cannot tell the platform (" + os + "): " + t;
        }
        if (!PLATFORM.equals(platform)) {
            return "the official TFLite native library is bundled for " + PLATFORM + " only; this is " + platform + " (" + os + ")";
        }
        try {
            Loader.load(tensorflowlite.class);
            String version = tensorflowlite.TfLiteVersion().getString();
            if (!version.startsWith("2.21")) return "expected TFLite 2.21, the native library reports " + version;
            return null;
        } catch (Throwable t) {
            return "the TFLite native library does not load on " + platform + ": " + t;
        }
    }

    /** The reference configuration: builtin kernels, one thread. */
    public static TfliteReference open(Path modelFile) {
        return open(modelFile, 1, false);
    }

    /** Builtin kernels ({@code xnnpack = false}) or TFLite's default XNNPACK delegate, on {@code threads} threads. */
    public static TfliteReference open(Path modelFile, int threads, boolean xnnpack) {
        if (!Files.isRegularFile(modelFile)) throw new IllegalArgumentException("no model file " + modelFile);
        try {
            return new TfliteReference(modelFile.toString(), Files.readAllBytes(modelFile), threads, xnnpack);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read model file " + modelFile + ": " + e.getMessage(), e);
        }
    }

    /** A model given as bytes; {@code name} appears in messages. */
    public static TfliteReference open(String name, byte[] model, int threads, boolean xnnpack) {
        return new TfliteReference(name, model, threads, xnnpack);
    }

    public static String version() {
        return tensorflowlite.TfLiteVersion().getString();
    }

    public int inputCount() {
        return inputTensors.length;
    }

    public int outputCount() {
        return outputTensors.length;
    }

    /** Type of input {@code k}, or null for a type this harness does not exchange. */
    public TensorType inputType(int k) {
        return type(interpreter.tensor(inputTensors[k]).type());
    }

    public TensorType outputType(int k) {
        return type(interpreter.tensor(outputTensors[k]).type());
    }

    public int[] inputShape(int k) {
        return dims(interpreter.tensor(inputTensors[k]));
    }

    public int[] outputShape(int k) {
        return dims(interpreter.tensor(outputTensors[k]));
    }

    public String inputName(int k) {
        return interpreter.tensor(inputTensors[k]).name().getString();
    }

    public String outputName(int k) {
        return interpreter.tensor(outputTensors[k]).name().getString();
    }

    /** Number of nodes TFLite executes (1 per op with builtin kernels; fewer when XNNPACK took ops over). */
    public long executionPlanLength() {
        return interpreter.execution_plan().limit();
    }

    /** Sets variable tensors (LSTM h, c) to zero. */
    public void resetVariables() {
        check(interpreter.ResetVariableTensors(), "ResetVariableTensors");
    }

    /**
     * Runs from zero state: resets the variable tensors, copies {@code inputs} (in subgraph input order),
     * invokes, and returns every output in subgraph output order.
     */
    public Object[] run(Object... inputs) {
        resetVariables();
        return runCarryingState(inputs);
    }

    /** Like {@link #run} but keeps the variable tensors left by the previous invocation, as TFLite does by default. */
    public Object[] runCarryingState(Object... inputs) {
        if (inputs.length != inputTensors.length) {
            throw new IllegalArgumentException(name + ": got " + inputs.length + " inputs, the model has " + inputTensors.length);
        }
        for (int k = 0; k < inputs.length; k++) setInput(k, inputs[k]);
        check(interpreter.Invoke(), "Invoke");
        Object[] outputs = new Object[outputTensors.length];
        for (int k = 0; k < outputs.length; k++) outputs[k] = output(k);
        return outputs;
    }

    private void setInput(int k, Object values) {
        TfLiteTensor tensor = interpreter.tensor(inputTensors[k]);
        TensorType type = type(tensor.type());
        int n = elementCount(tensor);
        int length = values != null && values.getClass().isArray() ? java.lang.reflect.Array.getLength(values) : -1;
        if (type == null || values == null || !values.getClass().equals(arrayClass(type))) {
            throw new IllegalArgumentException(name + ": input " + k + " is "
                    + tensorflowlite.TfLiteTypeGetName(tensor.type()).getString() + ", got "
                    + (values == null ? "null" : values.getClass().getSimpleName()));
        }
        if (length != n) throw new IllegalArgumentException(name + ": input " + k + " has " + n + " elements, got " + length);
        if (n == 0) return; // an empty tensor has no data buffer
        ByteBuffer b = bytes(tensor);
        switch (type) {
            case FLOAT32: b.asFloatBuffer().put((float[]) values); break;
            case INT32: b.asIntBuffer().put((int[]) values); break;
            case INT64: b.asLongBuffer().put((long[]) values); break;
            case BOOL: {
                boolean[] v = (boolean[]) values;
                for (int i = 0; i < n; i++) b.put(i, (byte) (v[i] ? 1 : 0));
                break;
            }
            default: throw new AssertionError(type);
        }
    }

    private Object output(int k) {
        TfLiteTensor tensor = interpreter.tensor(outputTensors[k]);
        TensorType type = type(tensor.type());
        int n = elementCount(tensor);
        if (type == null) {
            throw new IllegalStateException(name + ": output " + k + " has type "
                    + tensorflowlite.TfLiteTypeGetName(tensor.type()).getString() + "; only float32, int32, int64 and bool are read");
        }
        if (n == 0) return java.lang.reflect.Array.newInstance(arrayClass(type).getComponentType(), 0);
        ByteBuffer b = bytes(tensor);
        switch (type) {
            case FLOAT32: { float[] v = new float[n]; b.asFloatBuffer().get(v); return v; }
            case INT32: { int[] v = new int[n]; b.asIntBuffer().get(v); return v; }
            case INT64: { long[] v = new long[n]; b.asLongBuffer().get(v); return v; }
            case BOOL: { boolean[] v = new boolean[n]; for (int i = 0; i < n; i++) v[i] = b.get(i) != 0; return v; }
            default: throw new AssertionError(type);
        }
    }

    private static ByteBuffer bytes(TfLiteTensor tensor) {
        BytePointer raw = tensor.data().raw();
        return raw.capacity(tensor.bytes()).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The Java array class this harness exchanges for a tensor type. */
    public static Class<?> arrayClass(TensorType type) {
        switch (type) {
            case FLOAT32: return float[].class;
            case INT32: return int[].class;
            case INT64: return long[].class;
            case BOOL: return boolean[].class;
            default: throw new IllegalArgumentException("type " + type + " is not exchanged with TFLite here");
        }
    }

    private static TensorType type(int tfliteType) {
        if (tfliteType == kTfLiteFloat32) return TensorType.FLOAT32;
        if (tfliteType == kTfLiteInt32) return TensorType.INT32;
        if (tfliteType == kTfLiteInt64) return TensorType.INT64;
        if (tfliteType == kTfLiteBool) return TensorType.BOOL;
        return null;
    }

    private static int elementCount(TfLiteTensor tensor) {
        int n = 1;
        for (int d : dims(tensor)) n *= d;
        return n;
    }

    private static int[] dims(TfLiteTensor tensor) {
        TfLiteIntArray d = tensor.dims();
        int[] shape = new int[d.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = d.data(i);
        return shape;
    }

    private static int[] indices(IntPointer p) {
        int[] v = new int[(int) p.limit()];
        for (int i = 0; i < v.length; i++) v[i] = p.get(i);
        return v;
    }

    private void check(int status, String what) {
        if (status != kTfLiteOk) throw new IllegalStateException("TFLite " + what + " failed with status " + status + " on " + name);
    }

    @Override
    public void close() {
        interpreter.close();
        builder.close();
        resolver.close();
        flatBuffer.close();
        modelBytes.close();
    }
}

package org.tfl4j.conformance;

import org.bytedeco.javacpp.FloatPointer;
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
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

/**
 * The official TensorFlow Lite 2.21 C++ interpreter (JavaCPP build, test scope only), loaded with one model.
 *
 * <p>The reference configuration is TFLite's builtin kernels ({@code BuiltinOpResolverWithoutDefaultDelegates})
 * on one thread; {@link #open(Path, int, boolean)} with {@code xnnpack = true} applies TFLite's default XNNPACK
 * delegate instead, as a second opinion. Inputs and outputs are int32 or float32 arrays addressed by their
 * position in the subgraph's input and output lists.
 *
 * <p>TFLite keeps variable tensors (LSTM h and c) from one {@code Invoke()} to the next; {@link #run} resets them
 * first so each case starts from zero state, {@link #runCarryingState} does not.
 */
final class TfliteReference implements AutoCloseable {

    private static final String PLATFORM = "linux-x86_64";
    private static volatile String unavailableReason;
    private static volatile boolean probed;

    private final Path modelFile;
    private final FlatBufferModel flatBuffer;
    private final BuiltinOpResolver resolver;
    private final InterpreterBuilder builder;
    private final Interpreter interpreter;
    private final int[] inputTensors;
    private final int[] outputTensors;

    private TfliteReference(Path modelFile, int threads, boolean xnnpack) {
        this.modelFile = modelFile;
        this.flatBuffer = FlatBufferModel.BuildFromFile(modelFile.toString());
        if (flatBuffer == null || flatBuffer.isNull()) throw new IllegalStateException("TFLite cannot load model " + modelFile);
        this.resolver = xnnpack ? new BuiltinOpResolver() : new BuiltinOpResolverWithoutDefaultDelegates();
        this.builder = new InterpreterBuilder(flatBuffer, resolver);
        check(builder.SetNumThreads(threads), "SetNumThreads(" + threads + ")");
        this.interpreter = new Interpreter((Pointer) null);
        check(builder.apply(interpreter), "InterpreterBuilder");
        if (interpreter.isNull()) throw new IllegalStateException("TFLite built no interpreter for " + modelFile);
        check(interpreter.AllocateTensors(), "AllocateTensors");
        this.inputTensors = indices(interpreter.inputs());
        this.outputTensors = indices(interpreter.outputs());
    }

    /** Aborts the calling test (JUnit assumption) unless the official runtime can run on this machine. */
    static void assumeAvailable() {
        String reason = unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "official TFLite 2.21 reference unavailable, skipping: " + reason);
    }

    /** Why the reference cannot run here, or null when it can. Probes (loads the native library) once. */
    static String unavailableReason() {
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
            return "the test-scope TFLite native library is built for " + PLATFORM + " only; this is " + platform + " (" + os + ")";
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
    static TfliteReference open(Path modelFile) {
        return open(modelFile, 1, false);
    }

    /** Builtin kernels ({@code xnnpack = false}) or TFLite's default XNNPACK delegate, on {@code threads} threads. */
    static TfliteReference open(Path modelFile, int threads, boolean xnnpack) {
        if (!Files.isRegularFile(modelFile)) throw new IllegalArgumentException("no model file " + modelFile);
        return new TfliteReference(modelFile, threads, xnnpack);
    }

    static String version() {
        return tensorflowlite.TfLiteVersion().getString();
    }

    int inputCount() {
        return inputTensors.length;
    }

    int outputCount() {
        return outputTensors.length;
    }

    /** TFLite type code of input {@code k} ({@code kTfLiteInt32}, ...). */
    int inputType(int k) {
        return interpreter.tensor(inputTensors[k]).type();
    }

    int outputType(int k) {
        return interpreter.tensor(outputTensors[k]).type();
    }

    int[] inputShape(int k) {
        return dims(interpreter.tensor(inputTensors[k]));
    }

    int[] outputShape(int k) {
        return dims(interpreter.tensor(outputTensors[k]));
    }

    String outputName(int k) {
        return interpreter.tensor(outputTensors[k]).name().getString();
    }

    /** Number of nodes TFLite executes (1 per op with builtin kernels; fewer when XNNPACK took ops over). */
    long executionPlanLength() {
        return interpreter.execution_plan().limit();
    }

    /** Sets variable tensors (LSTM h, c) to zero. */
    void resetVariables() {
        check(interpreter.ResetVariableTensors(), "ResetVariableTensors");
    }

    /**
     * Runs from zero state: resets the variable tensors, copies {@code inputs} ({@code int[]} or {@code float[]},
     * in subgraph input order), invokes, and returns every output in subgraph output order as {@code int[]} or
     * {@code float[]}.
     */
    Object[] run(Object... inputs) {
        resetVariables();
        return runCarryingState(inputs);
    }

    /** Like {@link #run} but keeps the variable tensors left by the previous invocation, as TFLite does by default. */
    Object[] runCarryingState(Object... inputs) {
        if (inputs.length != inputTensors.length) {
            throw new IllegalArgumentException(modelFile.getFileName() + ": got " + inputs.length + " inputs, the model has " + inputTensors.length);
        }
        for (int k = 0; k < inputs.length; k++) setInput(k, inputs[k]);
        check(interpreter.Invoke(), "Invoke");
        Object[] outputs = new Object[outputTensors.length];
        for (int k = 0; k < outputs.length; k++) outputs[k] = output(k);
        return outputs;
    }

    private void setInput(int k, Object values) {
        int t = inputTensors[k];
        TfLiteTensor tensor = interpreter.tensor(t);
        int n = elementCount(tensor);
        if (values instanceof int[] && tensor.type() == kTfLiteInt32) {
            int[] v = (int[]) values;
            requireLength(k, v.length, n);
            IntPointer p = interpreter.typed_tensor_int(t);
            p.capacity(n).put(v, 0, n);
        } else if (values instanceof float[] && tensor.type() == kTfLiteFloat32) {
            float[] v = (float[]) values;
            requireLength(k, v.length, n);
            FloatPointer p = interpreter.typed_tensor_float(t);
            p.capacity(n).put(v, 0, n);
        } else {
            throw new IllegalArgumentException(modelFile.getFileName() + ": input " + k + " is "
                    + tensorflowlite.TfLiteTypeGetName(tensor.type()).getString() + ", got "
                    + (values == null ? "null" : values.getClass().getSimpleName()));
        }
    }

    private Object output(int k) {
        int t = outputTensors[k];
        TfLiteTensor tensor = interpreter.tensor(t);
        int n = elementCount(tensor);
        if (tensor.type() == kTfLiteInt32) {
            int[] v = new int[n];
            interpreter.typed_tensor_int(t).capacity(n).get(v, 0, n);
            return v;
        }
        if (tensor.type() == kTfLiteFloat32) {
            float[] v = new float[n];
            interpreter.typed_tensor_float(t).capacity(n).get(v, 0, n);
            return v;
        }
        throw new IllegalStateException(modelFile.getFileName() + ": output " + k + " has type "
                + tensorflowlite.TfLiteTypeGetName(tensor.type()).getString() + "; only int32 and float32 are read");
    }

    private void requireLength(int k, int got, int want) {
        if (got != want) {
            throw new IllegalArgumentException(modelFile.getFileName() + ": input " + k + " has " + want + " elements, got " + got);
        }
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
        if (status != kTfLiteOk) throw new IllegalStateException("TFLite " + what + " failed with status " + status + " on " + modelFile);
    }

    @Override
    public void close() {
        interpreter.close();
        builder.close();
        resolver.close();
        flatBuffer.close();
    }
}

package org.tfl4j.benchmarks;

import org.bytedeco.javacpp.BytePointer;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

/**
 * The official TFLite 2.21 C++ interpreter (JavaCPP build) loaded with one MovieLens model: builtin kernels
 * ({@code BuiltinOpResolverWithoutDefaultDelegates}) or TFLite's default XNNPACK delegate ({@code BuiltinOpResolver}).
 *
 * <p>The tensor data pointers are taken once, after the first invocation (the delegate, if any, is applied by
 * then), so a run is three bulk copies and {@code Invoke()}. A run first resets the variable tensors (LSTM state)
 * when the model has any, so that it computes what tfl4j computes (state from zero), not TFLite's carried state.
 */
public final class NativeTflite implements Inference {

    private final String name;
    private final boolean xnnpack;
    private final int threads;
    private final BytePointer modelBytes; // TFLite reads the flatbuffer in place: kept alive until close
    private final FlatBufferModel flatBuffer;
    private final BuiltinOpResolver resolver;
    private final InterpreterBuilder builder;
    private final Interpreter interpreter;
    private final boolean hasVariables;
    private final int[][][] inputs; // [history][input]
    private int next;               // the history the next run feeds
    private final IntPointer[] inputData;
    private final IntPointer idsData;
    private final FloatPointer scoresData;
    private final int[] ids;
    private final float[] scores;

    public NativeTflite(Path modelFile, RepresentativeHistory history, boolean xnnpack, int threads) {
        this(modelFile, List.of(history), xnnpack, threads);
    }

    /** Runs feed {@code histories} in turn, from the first. */
    public NativeTflite(Path modelFile, List<RepresentativeHistory> histories, boolean xnnpack, int threads) {
        requireLibrary();
        this.name = modelFile.getFileName().toString();
        this.xnnpack = xnnpack;
        this.threads = threads;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(modelFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + modelFile + ": " + e.getMessage(), e);
        }
        this.modelBytes = new BytePointer(bytes.length);
        modelBytes.put(bytes, 0, bytes.length);
        this.flatBuffer = FlatBufferModel.BuildFromBuffer(modelBytes, bytes.length);
        if (flatBuffer == null || flatBuffer.isNull()) throw new IllegalStateException("TFLite cannot load " + modelFile);
        this.resolver = xnnpack ? new BuiltinOpResolver() : new BuiltinOpResolverWithoutDefaultDelegates();
        this.builder = new InterpreterBuilder(flatBuffer, resolver);
        check(builder.SetNumThreads(threads), "SetNumThreads");
        this.interpreter = new Interpreter((Pointer) null);
        check(builder.apply(interpreter), "InterpreterBuilder");
        if (interpreter.isNull()) throw new IllegalStateException("TFLite built no interpreter for " + name);
        check(interpreter.AllocateTensors(), "AllocateTensors");

        boolean variables = false;
        for (int t = 0; t < interpreter.tensors_size(); t++) variables |= interpreter.tensor(t).is_variable();
        this.hasVariables = variables;

        int inputCount = (int) interpreter.inputs().limit();
        this.inputs = new int[histories.size()][inputCount][];
        for (int k = 0; k < inputCount; k++) {
            TfLiteTensor in = interpreter.input_tensor(k);
            if (in.type() != kTfLiteInt32) throw new IllegalStateException(name + ": input " + k + " is not int32");
            for (int h = 0; h < inputs.length; h++) inputs[h][k] = histories.get(h).inputOfLength(elements(in));
        }
        int idsAt = -1;
        int scoresAt = -1;
        for (int k = 0; k < interpreter.outputs().limit(); k++) {
            int type = interpreter.output_tensor(k).type();
            if (type == kTfLiteInt32) idsAt = k;
            if (type == kTfLiteFloat32) scoresAt = k;
        }
        if (idsAt < 0 || scoresAt < 0) throw new IllegalStateException(name + ": expected an int32 ids and a float32 scores output");
        this.ids = new int[elements(interpreter.output_tensor(idsAt))];
        this.scores = new float[elements(interpreter.output_tensor(scoresAt))];

        // One invocation before taking pointers: TFLite may apply the default delegate lazily.
        for (int k = 0; k < inputCount; k++) interpreter.typed_input_tensor_int(k).put(inputs[0][k], 0, inputs[0][k].length);
        check(interpreter.Invoke(), "Invoke");
        this.inputData = new IntPointer[inputCount];
        for (int k = 0; k < inputCount; k++) inputData[k] = interpreter.typed_input_tensor_int(k);
        this.idsData = interpreter.typed_output_tensor_int(idsAt);
        this.scoresData = interpreter.typed_output_tensor_float(scoresAt);
    }

    /** Loads the native library and checks it is TFLite 2.21; throws with the reason otherwise. */
    public static String requireLibrary() {
        String platform = Loader.getPlatform();
        if (!"linux-x86_64".equals(platform)) {
            throw new IllegalStateException("the official TFLite library is bundled for linux-x86_64 only; this is " + platform);
        }
        Loader.load(tensorflowlite.class);
        String version = tensorflowlite.TfLiteVersion().getString();
        if (!version.startsWith("2.21")) throw new IllegalStateException("expected TFLite 2.21, the native library is " + version);
        return version;
    }

    @Override
    public void run() {
        if (hasVariables && interpreter.ResetVariableTensors() != kTfLiteOk) throw new IllegalStateException("ResetVariableTensors failed");
        int[][] history = inputs[next];
        next = next + 1 == inputs.length ? 0 : next + 1;
        for (int k = 0; k < history.length; k++) inputData[k].put(history[k], 0, history[k].length);
        if (interpreter.Invoke() != kTfLiteOk) throw new IllegalStateException("TFLite Invoke failed on " + name);
        idsData.get(ids, 0, ids.length);
        scoresData.get(scores, 0, scores.length);
    }

    /** True while the data pointers taken at setup are still the tensors' (TFLite moved no buffer since). */
    public boolean pointersCurrent() {
        for (int k = 0; k < inputData.length; k++) {
            if (interpreter.typed_input_tensor_int(k).address() != inputData[k].address()) return false;
        }
        for (int k = 0; k < interpreter.outputs().limit(); k++) {
            TfLiteTensor out = interpreter.output_tensor(k);
            long address = out.data().raw().address();
            if (out.type() == kTfLiteInt32 && elements(out) == ids.length && address == idsData.address()) continue;
            if (out.type() == kTfLiteFloat32 && elements(out) == scores.length && address == scoresData.address()) continue;
            return false;
        }
        return true;
    }

    /** Nodes TFLite executes: the model's op count with builtin kernels, fewer when XNNPACK took ops over. */
    public long executionPlanLength() {
        return interpreter.execution_plan().limit();
    }

    @Override
    public int[] ids() {
        return ids;
    }

    @Override
    public float[] scores() {
        return scores;
    }

    @Override
    public String describe() {
        return "TFLite " + tensorflowlite.TfLiteVersion().getString() + " " + (xnnpack ? "XNNPACK" : "builtin kernels")
                + ", " + threads + " thread" + (threads == 1 ? "" : "s") + ", " + executionPlanLength() + " nodes"
                + (hasVariables ? ", variables reset per run" : "");
    }

    private static int elements(TfLiteTensor tensor) {
        TfLiteIntArray dims = tensor.dims();
        int n = 1;
        for (int i = 0; i < dims.size(); i++) n *= dims.data(i);
        return n;
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

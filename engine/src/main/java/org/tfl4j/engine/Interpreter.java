package org.tfl4j.engine;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a {@code .tflite} model, with the surface of TFLite's Java {@code Interpreter}.
 *
 * <p>Threads: an {@code Interpreter} is not thread-safe; use one per thread. A {@link Model} is
 * immutable and may be shared: {@code new Interpreter(model)} per thread costs only the tensor arena.
 *
 * <p>State: by default every run starts the model's variable tensors (LSTM h and c) from zero.
 * {@link Options#setCarryVariableTensors(boolean)} keeps them from run to run like TFLite does,
 * until {@link #resetVariableTensors()}.
 *
 * <p>Inputs and outputs may be flat or nested primitive arrays ({@code int[]}, {@code float[][]}, ...)
 * of the tensor's type and element count, or little-endian {@link ByteBuffer}s of its byte size.
 */
public final class Interpreter implements AutoCloseable {

    /** Interpreter settings. */
    public static final class Options {
        int tfliteThreads = 1;
        boolean carryVariableTensors;

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

        public int tfliteThreads() {
            return tfliteThreads;
        }

        public boolean carryVariableTensors() {
            return carryVariableTensors;
        }
    }

    public Interpreter(File modelFile) {
        this(modelFile.toPath(), new Options());
    }

    public Interpreter(Path modelFile) {
        this(modelFile, new Options());
    }

    public Interpreter(Path modelFile, Options options) {
        throw new UnsupportedOperationException("TODO");
    }

    public Interpreter(ByteBuffer model) {
        this(model, new Options());
    }

    public Interpreter(ByteBuffer model, Options options) {
        throw new UnsupportedOperationException("TODO");
    }

    /** An interpreter over an already loaded (shareable) model. */
    public Interpreter(Model model, Options options) {
        throw new UnsupportedOperationException("TODO");
    }

    public Model model() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Runs a model with one input and one output. */
    public void run(Object input, Object output) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Runs with inputs in subgraph input order; fills the given outputs by output index. */
    public void runForMultipleInputsOutputs(Object[] inputs, Map<Integer, ?> outputs) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Runs the signature {@code key}: inputs and outputs by signature name. */
    public void runSignature(Map<String, ?> inputs, Map<String, ?> outputs, String key) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Runs the model's only signature. */
    public void runSignature(Map<String, ?> inputs, Map<String, ?> outputs) {
        throw new UnsupportedOperationException("TODO");
    }

    public String[] getSignatureKeys() {
        throw new UnsupportedOperationException("TODO");
    }

    public String[] getSignatureInputs(String key) {
        throw new UnsupportedOperationException("TODO");
    }

    public String[] getSignatureOutputs(String key) {
        throw new UnsupportedOperationException("TODO");
    }

    public int getInputTensorCount() {
        throw new UnsupportedOperationException("TODO");
    }

    public int getOutputTensorCount() {
        throw new UnsupportedOperationException("TODO");
    }

    public TensorInfo getInputTensor(int k) {
        throw new UnsupportedOperationException("TODO");
    }

    public TensorInfo getOutputTensor(int k) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Position of the input with this tensor name in the subgraph input list. */
    public int getInputIndex(String tensorName) {
        throw new UnsupportedOperationException("TODO");
    }

    public int getOutputIndex(String tensorName) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Zero-allocation path: copy into input {@code k}, then {@link #invoke()}, then read outputs. */
    public void setInput(int k, Object src) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Runs the graph on the inputs set so far. */
    public void invoke() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Copies output {@code k} into {@code dst} (an array or ByteBuffer of the output's type and size). */
    public void getOutput(int k, Object dst) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Sets every variable tensor (LSTM state) back to zero. */
    public void resetVariableTensors() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void close() {
    }
}

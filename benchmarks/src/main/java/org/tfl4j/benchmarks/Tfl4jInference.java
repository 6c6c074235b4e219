package org.tfl4j.benchmarks;

import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.Model;
import org.tfl4j.engine.TensorInfo;
import org.tfl4j.parser.TensorType;

import java.nio.file.Path;
import java.util.List;

/**
 * tfl4j on its allocation-free path: {@code setInput} / {@code invoke} / {@code getOutput} with flat arrays
 * prepared once. Every run starts the LSTM state from zero (tfl4j's default). Given several histories, the runs
 * feed them in turn.
 */
public final class Tfl4jInference implements Inference {

    private final Interpreter interpreter;
    private final int tfliteThreads;
    private final int[][][] inputs; // [history][input]
    private int next;               // the history the next run feeds
    private final int idsOutput;
    private final int scoresOutput;
    private final int[] ids;
    private final float[] scores;

    /** @param tfliteThreads the numerics mode: the TFLite thread count whose arithmetic tfl4j reproduces */
    public Tfl4jInference(Path modelFile, RepresentativeHistory history, int tfliteThreads) {
        this(modelFile, List.of(history), tfliteThreads);
    }

    /** Runs feed {@code histories} in turn, from the first. */
    public Tfl4jInference(Path modelFile, List<RepresentativeHistory> histories, int tfliteThreads) {
        this.tfliteThreads = tfliteThreads;
        Interpreter.Options options = new Interpreter.Options().setTfliteThreads(tfliteThreads);
        this.interpreter = new Interpreter(Model.load(modelFile, options), options);
        this.inputs = new int[histories.size()][interpreter.getInputTensorCount()][];
        for (int k = 0; k < interpreter.getInputTensorCount(); k++) {
            TensorInfo in = interpreter.getInputTensor(k);
            if (in.dataType() != TensorType.INT32) throw new IllegalStateException(modelFile + ": input " + k + " is " + in);
            for (int h = 0; h < inputs.length; h++) inputs[h][k] = histories.get(h).inputOfLength(in.numElements());
        }
        int idsAt = -1;
        int scoresAt = -1;
        for (int k = 0; k < interpreter.getOutputTensorCount(); k++) {
            TensorType type = interpreter.getOutputTensor(k).dataType();
            if (type == TensorType.INT32) idsAt = k;
            if (type == TensorType.FLOAT32) scoresAt = k;
        }
        if (idsAt < 0 || scoresAt < 0) throw new IllegalStateException(modelFile + ": expected an int32 ids and a float32 scores output");
        this.idsOutput = idsAt;
        this.scoresOutput = scoresAt;
        this.ids = new int[interpreter.getOutputTensor(idsAt).numElements()];
        this.scores = new float[interpreter.getOutputTensor(scoresAt).numElements()];
    }

    @Override
    public void run() {
        int[][] history = inputs[next];
        next = next + 1 == inputs.length ? 0 : next + 1;
        for (int k = 0; k < history.length; k++) interpreter.setInput(k, history[k]);
        interpreter.invoke();
        interpreter.getOutput(idsOutput, ids);
        interpreter.getOutput(scoresOutput, scores);
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
        return "tfl4j (numerics of TFLite with " + tfliteThreads + " thread" + (tfliteThreads == 1 ? "" : "s") + ")";
    }

    @Override
    public void close() {
        interpreter.close();
    }
}

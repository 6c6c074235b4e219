package org.tfl4j.conformance;

import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.TensorInfo;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where a MovieLens model takes its inputs and gives its outputs, read from the official runtime: the int32
 * input of length 10 takes movie ids, the one of length 32 genre ids; the int32 output holds the ids and the
 * float32 output the scores (output order differs between the files, spec §7).
 */
final class ModelIo {

    /** The top-K ids and their scores of one run. */
    record Result(int[] ids, float[] scores) {
    }

    private final String model;
    private final int[][] inputShapes;
    private final boolean[] inputIsGenre;
    private final TensorType[] outputTypes; // by output index
    private final int idsOutput;
    private final int scoresOutput;

    ModelIo(String model, TfliteReference reference) {
        this.model = model;
        int nIn = reference.inputCount();
        this.inputShapes = new int[nIn][];
        this.inputIsGenre = new boolean[nIn];
        for (int k = 0; k < nIn; k++) {
            inputShapes[k] = reference.inputShape(k);
            int length = Arrays.stream(inputShapes[k]).reduce(1, (a, b) -> a * b);
            if (reference.inputType(k) != TensorType.INT32) throw new IllegalStateException(model + ": input " + k + " is not int32");
            if (length == MovieLensFixtures.GENRE_INPUT_LENGTH) inputIsGenre[k] = true;
            else if (length != MovieLensFixtures.MOVIE_INPUT_LENGTH) {
                throw new IllegalStateException(model + ": input " + k + " has shape " + Arrays.toString(inputShapes[k])
                        + ", neither movie ids [10] nor genre ids [32]");
            }
        }
        this.outputTypes = new TensorType[reference.outputCount()];
        int ids = -1;
        int scores = -1;
        for (int k = 0; k < outputTypes.length; k++) {
            outputTypes[k] = reference.outputType(k);
            if (outputTypes[k] == TensorType.INT32) ids = only(ids, k, "int32");
            else if (outputTypes[k] == TensorType.FLOAT32) scores = only(scores, k, "float32");
        }
        if (ids < 0 || scores < 0) throw new IllegalStateException(model + ": needs one int32 and one float32 output");
        this.idsOutput = ids;
        this.scoresOutput = scores;
    }

    private int only(int found, int k, String type) {
        if (found >= 0) throw new IllegalStateException(model + ": outputs " + found + " and " + k + " are both " + type);
        return k;
    }

    int idsOutput() {
        return idsOutput;
    }

    int scoresOutput() {
        return scoresOutput;
    }

    /** The inputs of {@code fixture}, in subgraph input order. */
    Object[] inputs(MovieLensFixtures.Fixture fixture) {
        Object[] in = new Object[inputShapes.length];
        for (int k = 0; k < in.length; k++) in[k] = inputIsGenre[k] ? fixture.genreIds() : fixture.movieIds();
        return in;
    }

    /** The app's inputs for {@code history}, in subgraph input order. */
    Object[] inputs(MovieLensFixtures fixtures, MovieLensFixtures.History history) {
        return inputs(fixtures.fixture(MovieLensFixtures.Family.HAND_MADE, history));
    }

    /** Ids and scores of one official-runtime run (its outputs in subgraph order). */
    Result result(Object[] referenceOutputs) {
        return new Result((int[]) referenceOutputs[idsOutput], (float[]) referenceOutputs[scoresOutput]);
    }

    /** Asserts tfl4j reports the same inputs and outputs (count, type, shape, position) as the official runtime. */
    void assertSameInterface(Interpreter tfl4j) {
        assertEquals(inputShapes.length, tfl4j.getInputTensorCount(), model + ": input count");
        for (int k = 0; k < inputShapes.length; k++) {
            TensorInfo t = tfl4j.getInputTensor(k);
            assertEquals(TensorType.INT32, t.dataType(), model + ": type of input " + k);
            assertArrayEquals(inputShapes[k], t.shape(), model + ": shape of input " + k);
        }
        assertEquals(outputTypes.length, tfl4j.getOutputTensorCount(), model + ": output count");
        for (int k = 0; k < outputTypes.length; k++) {
            TensorType want = outputTypes[k];
            assertEquals(want, tfl4j.getOutputTensor(k).dataType(), model + ": type of output " + k);
        }
    }

    /**
     * Runs tfl4j the way the app does ({@code runForMultipleInputsOutputs} with an output map keyed by index) and
     * returns the outputs in subgraph output order, as the official runtime's {@code run} does.
     */
    Object[] runTfl4j(Interpreter tfl4j, Object[] inputs) {
        Map<Integer, Object> outputs = new HashMap<>();
        for (int k = 0; k < tfl4j.getOutputTensorCount(); k++) {
            TensorInfo t = tfl4j.getOutputTensor(k);
            switch (t.dataType()) {
                case INT32: outputs.put(k, new int[t.numElements()]); break;
                case FLOAT32: outputs.put(k, new float[t.numElements()]); break;
                default: throw new IllegalStateException(model + ": tfl4j output " + k + " has type " + t.dataType());
            }
        }
        tfl4j.runForMultipleInputsOutputs(inputs, outputs);
        Object[] ordered = new Object[outputs.size()];
        for (int k = 0; k < ordered.length; k++) ordered[k] = outputs.get(k);
        return ordered;
    }

    /** Only the scores of {@code outputs} (subgraph order), for comparisons that set the ids aside. */
    Object[] scoresOnly(Object[] outputs) {
        return new Object[] {outputs[scoresOutput]};
    }
}

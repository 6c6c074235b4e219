package org.tfl4j.conformance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tfl4j.engine.Interpreter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * LSTM state across runs. Official TFLite writes the final h and c back into the model's variable tensors, so
 * consecutive invocations carry state unless reset; tfl4j resets per run by default and carries state with
 * {@code setCarryVariableTensors(true)}. Both modes must match the corresponding TFLite behaviour.
 */
class LstmStateConformanceTest {

    private static final String RNN = "recommendation_rnn_i10o100.tflite";

    private static MovieLensFixtures fixtures;
    private static List<MovieLensFixtures.History> sequence;

    @BeforeEach
    void assumeReferenceAndModels() throws IOException {
        TfliteReference.assumeAvailable();
        fixtures = MovieLensFixtures.shared();
        List<MovieLensFixtures.History> all = fixtures.histories();
        sequence = List.of(byName(all, "top 10, rank order"), byName(all, "genre Animation (10)"), byName(all, "two most rated"));
    }

    private static MovieLensFixtures.History byName(List<MovieLensFixtures.History> all, String name) {
        return all.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no fixture history named '" + name + "'"));
    }

    @Test
    void carriedStateMatchesTfliteInvokedWithoutReset() {
        Path path = MovieLensFixtures.model(RNN);
        try (TfliteReference reference = TfliteReference.open(path);
             Interpreter tfl4j = new Interpreter(path, new Interpreter.Options().setCarryVariableTensors(true))) {
            ModelIo io = new ModelIo(RNN, reference);
            ConformanceSummary summary = new ConformanceSummary(RNN + " carried state");
            reference.resetVariables();
            for (int run = 0; run < sequence.size(); run++) {
                Object[] inputs = io.inputs(fixtures, sequence.get(run));
                ModelIo.Result expected = io.result(reference.runCarryingState(inputs));
                summary.add("run " + (run + 1) + " of 3, " + sequence.get(run).name(), inputs, expected, io.runTfl4j(tfl4j, inputs));
            }
            System.out.println(summary.line());
            summary.assertConformant();
        }
    }

    @Test
    void defaultZeroStateMatchesTfliteResetBeforeEachRun() {
        Path path = MovieLensFixtures.model(RNN);
        try (TfliteReference reference = TfliteReference.open(path);
             Interpreter tfl4j = new Interpreter(path, new Interpreter.Options())) {
            ModelIo io = new ModelIo(RNN, reference);
            ConformanceSummary summary = new ConformanceSummary(RNN + " zero state");
            for (int run = 0; run < sequence.size(); run++) {
                Object[] inputs = io.inputs(fixtures, sequence.get(run));
                ModelIo.Result expected = io.result(reference.run(inputs));
                summary.add("run " + (run + 1) + " of 3, " + sequence.get(run).name(), inputs, expected, io.runTfl4j(tfl4j, inputs));
            }
            System.out.println(summary.line());
            summary.assertConformant();
        }
    }

    /** Without this, the two tests above could not tell the modes apart. */
    @Test
    void tfliteReallyCarriesStateBetweenInvocations() {
        Path path = MovieLensFixtures.model(RNN);
        try (TfliteReference reference = TfliteReference.open(path)) {
            ModelIo io = new ModelIo(RNN, reference);
            Object[] first = io.inputs(fixtures, sequence.get(0));
            Object[] second = io.inputs(fixtures, sequence.get(1));
            reference.run(first);
            float[] carried = io.result(reference.runCarryingState(second)).scores();
            float[] fresh = io.result(reference.run(second)).scores();
            assertFalse(Arrays.equals(carried, fresh),
                    "TFLite's second run without reset gave the same scores as after a reset; the LSTM state tests would be vacuous");
        }
    }
}

package org.tfl4j.conformance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tfl4j.engine.Interpreter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LSTM state across runs. Official TFLite writes the final h and c back into the model's variable tensors, so
 * consecutive invocations carry state unless reset; tfl4j resets per run by default and carries state with
 * {@code setCarryVariableTensors(true)}.
 *
 * <p>Zero state per case is the "builtin, 1 thread" row of {@link MovieLensConformanceTest}: one tfl4j
 * interpreter with default options runs every fixture in turn, against TFLite reset before each. Here: the
 * carried mode over sequences of 5 consecutive runs, and that TFLite really carries state (else the carried
 * comparison could not tell the modes apart).
 */
class LstmStateConformanceTest {

    private static final String RNN = MovieLensConformanceTest.RNN;
    private static final int RUNS_PER_SEQUENCE = 5;
    private static final long SEED = 5;

    private static MovieLensFixtures fixtures;

    @BeforeEach
    void assumeReferenceAndModels() throws IOException {
        ReferenceAssumptions.assumeAvailable();
        fixtures = MovieLensFixtures.shared();
    }

    /**
     * Every fixture once, in a seeded order that mixes the families, cut into sequences of 5 runs: tfl4j carrying
     * its variable tensors vs TFLite invoked without reset, both reset at the start of each sequence.
     */
    @Test
    void carriedStateMatchesTfliteOverSequencesOfFiveRuns() {
        Path path = MovieLensFixtures.model(RNN);
        List<MovieLensFixtures.Fixture> order = new ArrayList<>(fixtures.all());
        Collections.shuffle(order, new Random(SEED));
        try (TfliteReference reference = TfliteReference.open(path);
             TfliteReference zeroState = TfliteReference.open(path);
             Interpreter tfl4j = new Interpreter(path, new Interpreter.Options().setCarryVariableTensors(true))) {
            ModelIo io = new ModelIo(RNN, reference);
            Comparison c = new Comparison(RNN, "model", "builtin, 1 thread, LSTM state carried over " + RUNS_PER_SEQUENCE + " runs", 0);
            int sequences = 0;
            int laterRunsChangedByState = 0;
            for (int start = 0; start + RUNS_PER_SEQUENCE <= order.size(); start += RUNS_PER_SEQUENCE) {
                sequences++;
                reference.resetVariables();
                tfl4j.resetVariableTensors();
                for (int run = 0; run < RUNS_PER_SEQUENCE; run++) {
                    MovieLensFixtures.Fixture f = order.get(start + run);
                    Object[] inputs = io.inputs(f);
                    Object[] expected = reference.runCarryingState(inputs);
                    if (run > 0 && !Arrays.equals(io.result(expected).scores(), io.result(zeroState.run(inputs)).scores())) {
                        laterRunsChangedByState++;
                    }
                    c.addCase("sequence " + sequences + ", run " + (run + 1) + ": " + f, Comparison.describeInputs(inputs),
                            expected, io.runTfl4j(tfl4j, inputs));
                }
            }
            ConformanceReport.global().record(c);
            System.out.println(c.line() + "; sequences " + sequences + ", runs 2.." + RUNS_PER_SEQUENCE
                    + " whose TFLite scores the carried state changed: " + laterRunsChangedByState);
            assertTrue(c.cases() >= 1000, "at least 1,000 carried-state runs, got " + c.cases());
            assertTrue(laterRunsChangedByState > 0, "TFLite's carried state changed no run; the comparison would be vacuous");
            assertTrue(c.conformant(), c.describeFailures(25));
        }
    }

    /** Without this, the carried-state comparison could not tell the modes apart. */
    @Test
    void tfliteReallyCarriesStateBetweenInvocations() {
        Path path = MovieLensFixtures.model(RNN);
        List<MovieLensFixtures.History> all = fixtures.histories();
        try (TfliteReference reference = TfliteReference.open(path)) {
            ModelIo io = new ModelIo(RNN, reference);
            Object[] first = io.inputs(fixtures, byName(all, "top 10, rank order"));
            Object[] second = io.inputs(fixtures, byName(all, "genre Animation (10)"));
            reference.run(first);
            float[] carried = io.result(reference.runCarryingState(second)).scores();
            float[] fresh = io.result(reference.run(second)).scores();
            assertFalse(Arrays.equals(carried, fresh),
                    "TFLite's second run without reset gave the same scores as after a reset; the LSTM state tests would be vacuous");
        }
    }

    private static MovieLensFixtures.History byName(List<MovieLensFixtures.History> all, String name) {
        return all.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no fixture history named '" + name + "'"));
    }
}

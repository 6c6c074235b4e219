package org.tfl4j.conformance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tfl4j.engine.Interpreter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end conformance: each of the four published MovieLens models, on every fixture history, run by the
 * official TFLite 2.21 interpreter (builtin kernels, one thread, zero LSTM state) and by tfl4j with default
 * options. The 100 ids must be identical in order and every score within 4 ULP; expected values come only from
 * the official runtime.
 */
class MovieLensConformanceTest {

    private static MovieLensFixtures fixtures;
    private static List<MovieLensFixtures.History> histories;

    @BeforeEach
    void assumeReferenceAndModels() throws IOException {
        TfliteReference.assumeAvailable();
        fixtures = MovieLensFixtures.shared();
        if (histories == null) histories = fixtures.histories();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "model_history10_top100.tflite",
            "recommendation_cnn_i10o100.tflite",
            "recommendation_rnn_i10o100.tflite",
            "recommendation_cnn_i10i32o100.tflite"})
    void tfl4jMatchesOfficialTflite(String file) {
        Path path = MovieLensFixtures.model(file);
        try (TfliteReference reference = TfliteReference.open(path);
             Interpreter tfl4j = new Interpreter(path, new Interpreter.Options())) {
            ModelIo io = new ModelIo(file, reference);
            io.assertSameInterface(tfl4j);
            ConformanceSummary summary = new ConformanceSummary(file);
            for (MovieLensFixtures.History history : histories) {
                Object[] inputs = io.inputs(fixtures, history);
                ModelIo.Result expected = io.result(reference.run(inputs));
                ModelIo.Result actual = io.runTfl4j(tfl4j, inputs);
                summary.add(history.name(), inputs, expected, actual);
            }
            System.out.println(summary.line());
            assertTrue(summary.cases() >= 25, "at least 25 fixture histories per model");
            summary.assertConformant();
        }
    }

    /**
     * tfl4j reproduces the arithmetic TFLite uses with more threads ({@code setTfliteThreads}); compared against
     * TFLite's builtin kernels on that many threads. The line also says how many scores TFLite's thread count
     * itself changed, i.e. whether this case can tell the configurations apart.
     */
    @ParameterizedTest(name = "{0}, {1} threads")
    @CsvSource({
            "recommendation_cnn_i10o100.tflite,    2",
            "recommendation_cnn_i10i32o100.tflite, 2",
            "recommendation_cnn_i10i32o100.tflite, 4",
            "recommendation_rnn_i10o100.tflite,    2"})
    void tfl4jMatchesOfficialTfliteOnMoreThreads(String file, int threads) {
        Path path = MovieLensFixtures.model(file);
        try (TfliteReference reference = TfliteReference.open(path, threads, false);
             TfliteReference singleThreaded = TfliteReference.open(path);
             Interpreter tfl4j = new Interpreter(path, new Interpreter.Options().setTfliteThreads(threads))) {
            ModelIo io = new ModelIo(file, reference);
            ConformanceSummary summary = new ConformanceSummary(file + " x" + threads);
            int changedByThreads = 0;
            for (MovieLensFixtures.History history : histories) {
                Object[] inputs = io.inputs(fixtures, history);
                ModelIo.Result expected = io.result(reference.run(inputs));
                ModelIo.Result oneThread = io.result(singleThreaded.run(inputs));
                for (int i = 0; i < expected.scores().length; i++) {
                    if (Float.floatToRawIntBits(expected.scores()[i]) != Float.floatToRawIntBits(oneThread.scores()[i])) changedByThreads++;
                }
                summary.add(history.name(), inputs, expected, io.runTfl4j(tfl4j, inputs));
            }
            System.out.println(summary.line() + "; TFLite scores changed by " + threads + " threads: " + changedByThreads);
            summary.assertConformant();
        }
    }
}

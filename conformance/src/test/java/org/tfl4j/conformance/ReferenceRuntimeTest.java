package org.tfl4j.conformance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tfl4j.parser.TensorType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference side on its own: the official runtime loads the four models with the interfaces the spec
 * documents (§2), is deterministic, and gives well-formed top-K outputs. Independent of tfl4j.
 */
class ReferenceRuntimeTest {

    private static MovieLensFixtures fixtures;

    @BeforeEach
    void assumeReferenceAndModels() throws IOException {
        ReferenceAssumptions.assumeAvailable();
        fixtures = MovieLensFixtures.shared();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "model_history10_top100.tflite,        10,   ids-first",
            "recommendation_cnn_i10o100.tflite,    10,   scores-first",
            "recommendation_rnn_i10o100.tflite,    10,   ids-first",
            "recommendation_cnn_i10i32o100.tflite, 10;32, scores-first"})
    void interfaceIsTheDocumentedOne(String file, String inputLengths, String order) {
        try (TfliteReference ref = TfliteReference.open(MovieLensFixtures.model(file))) {
            int[] lengths = Arrays.stream(inputLengths.split(";")).mapToInt(Integer::parseInt).toArray();
            assertEquals(lengths.length, ref.inputCount(), file + ": input count");
            for (int k = 0; k < lengths.length; k++) {
                assertEquals(TensorType.INT32, ref.inputType(k), file + ": input " + k + " type");
                assertArrayEquals(new int[] {lengths[k]}, ref.inputShape(k), file + ": input " + k + " shape");
            }
            assertEquals(2, ref.outputCount(), file + ": output count");
            int ids = order.equals("ids-first") ? 0 : 1;
            assertEquals(TensorType.INT32, ref.outputType(ids), file + ": output " + ids + " is the ids");
            assertEquals(TensorType.FLOAT32, ref.outputType(1 - ids), file + ": output " + (1 - ids) + " is the scores");
            for (int k = 0; k < 2; k++) assertArrayEquals(new int[] {100}, ref.outputShape(k), file + ": output " + k + " shape");
            System.out.printf("reference %-38s TFLite %s, outputs %s / %s, execution plan %d nodes%n", file,
                    TfliteReference.version(), ref.outputName(0), ref.outputName(1), ref.executionPlanLength());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "model_history10_top100.tflite",
            "recommendation_cnn_i10o100.tflite",
            "recommendation_rnn_i10o100.tflite",
            "recommendation_cnn_i10i32o100.tflite"})
    void emptyHistoryIsStableAcrossRunsAndInterpreters(String file) {
        Path path = MovieLensFixtures.model(file);
        MovieLensFixtures.History empty = new MovieLensFixtures.History("empty", List.of());
        try (TfliteReference a = TfliteReference.open(path); TfliteReference b = TfliteReference.open(path)) {
            ModelIo io = new ModelIo(file, a);
            Object[] inputs = io.inputs(fixtures, empty);
            ModelIo.Result first = io.result(a.run(inputs));
            ModelIo.Result second = io.result(a.run(inputs));
            ModelIo.Result other = io.result(b.run(inputs));
            assertArrayEquals(first.ids(), second.ids(), file + ": ids of two runs");
            assertArrayEquals(first.scores(), second.scores(), file + ": scores of two runs");
            assertArrayEquals(first.ids(), other.ids(), file + ": ids of two interpreters");
            assertArrayEquals(first.scores(), other.scores(), file + ": scores of two interpreters");
            System.out.printf("reference %-38s empty history: top ids %s%n", file, Arrays.toString(Arrays.copyOf(first.ids(), 5)));
        }
    }

    /** Top-K of a sigmoid: distinct ids in the vocabulary, scores in [0, 1] and non-increasing. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "model_history10_top100.tflite",
            "recommendation_cnn_i10o100.tflite",
            "recommendation_rnn_i10o100.tflite",
            "recommendation_cnn_i10i32o100.tflite"})
    void outputsAreWellFormedTopK(String file) {
        try (TfliteReference ref = TfliteReference.open(MovieLensFixtures.model(file))) {
            ModelIo io = new ModelIo(file, ref);
            for (MovieLensFixtures.Fixture h : fixtures.all()) {
                ModelIo.Result r = io.result(ref.run(io.inputs(h)));
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < r.ids().length; i++) {
                    int id = r.ids()[i];
                    float s = r.scores()[i];
                    assertTrue(id >= 0 && id < MovieLensFixtures.ITEM_VOCAB_SIZE, file + " / " + h + ": id " + id + " at rank " + i);
                    assertTrue(seen.add(id), file + " / " + h + ": id " + id + " twice");
                    assertTrue(s >= 0f && s <= 1f, file + " / " + h + ": score " + s + " at rank " + i);
                    if (i > 0) assertTrue(s <= r.scores()[i - 1], file + " / " + h + ": scores increase at rank " + i);
                }
            }
        }
    }

    /**
     * XNNPACK as a second opinion: with the delegate, TFLite must agree with its own builtin kernels to within the
     * per-model bound measured over all fixtures ({@link MovieLensConformanceTest#XNNPACK_MAX_ULP}); ids are
     * counted, not required to be equal.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "model_history10_top100.tflite",
            "recommendation_cnn_i10o100.tflite",
            "recommendation_rnn_i10o100.tflite",
            "recommendation_cnn_i10i32o100.tflite"})
    void xnnpackAgreesWithBuiltinKernelsToTheMeasuredBound(String file) {
        Path path = MovieLensFixtures.model(file);
        long bound = MovieLensConformanceTest.XNNPACK_MAX_ULP.get(file);
        try (TfliteReference builtin = TfliteReference.open(path, 1, false);
             TfliteReference xnnpack = TfliteReference.open(path, 1, true)) {
            ModelIo io = new ModelIo(file, builtin);
            int cases = 0;
            int idsEqual = 0;
            long maxUlp = 0;
            String worst = "";
            for (MovieLensFixtures.Fixture f : fixtures.all()) {
                Object[] in = io.inputs(f);
                ModelIo.Result b = io.result(builtin.run(in));
                ModelIo.Result x = io.result(xnnpack.run(in));
                cases++;
                if (Arrays.equals(b.ids(), x.ids())) idsEqual++;
                for (int i = 0; i < b.scores().length; i++) {
                    long ulp = Ulp.distance(b.scores()[i], x.scores()[i]);
                    if (ulp > maxUlp) {
                        maxUlp = ulp;
                        worst = String.format("%s, rank %d: builtin %s, XNNPACK %s", f, i, Comparison.hex(b.scores()[i]),
                                Comparison.hex(x.scores()[i]));
                    }
                }
            }
            System.out.printf("xnnpack   %-38s plan %d nodes (builtin %d), cases %d, ids equal %d, max ULP %s (bound %d)%s%n",
                    file, xnnpack.executionPlanLength(), builtin.executionPlanLength(), cases, idsEqual, Ulp.describe(maxUlp), bound,
                    worst.isEmpty() ? "" : ", at " + worst);
            assertTrue(xnnpack.executionPlanLength() < builtin.executionPlanLength(),
                    file + ": the XNNPACK delegate took no ops over, so this is no second opinion");
            assertTrue(maxUlp <= bound, file + ": XNNPACK and builtin scores differ by " + Ulp.describe(maxUlp)
                    + " ULP, beyond the measured " + bound + " (" + worst + ")");
        }
    }
}

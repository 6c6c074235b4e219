package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tfl4j.models.DualEncoderBuilder;
import org.tfl4j.models.DualEncoderConfig;
import org.tfl4j.models.WeightSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models written by {@link DualEncoderBuilder}, run by tfl4j on a history and on reorderings of it: a bag of words
 * ignores the order (and where the padding sits), a recurrent encoder (LSTM, GRU) does not.
 *
 * <p>The embeddings are rounded to multiples of 1/64, so every sum of a history's embeddings is exact in float32 and
 * the BOW model's mean is the same number in any order: its outputs must then be bit-identical, no tolerance. The
 * recurrent models get the same weights, so their differing outputs come from the order alone.
 */
class BuiltModelHistoryOrderTest {

    private static final int[] HISTORY = {17, 3, 250, 91, 4, 133, 60, 0, 0, 0};

    private static String config(String encoder, String gruForm) {
        return "{\"input_config\": {\"activity_feature_groups\": [{\"features\": [{\"feature_name\": \"context_movie_id\","
                + " \"feature_type\": \"INT\", \"vocab_size\": 300, \"embedding_dim\": 8, \"feature_length\": 10}],"
                + " \"encoder_type\": \"" + encoder + "\"}],"
                + " \"label_feature\": {\"feature_name\": \"label\", \"feature_type\": \"INT\", \"vocab_size\": 300, \"embedding_dim\": 8}},"
                + " \"model_config\": {\"hidden_layer_dims\": [16], \"lstm_num_units\": 8, \"num_predictions\": 20,"
                + " \"gru_form\": \"" + gruForm + "\"}, \"seed\": 11}";
    }

    /** Seeded weights with the embeddings on a 1/64 grid (exact sums of up to 10 rows). */
    private static byte[] build(String encoder, String gruForm) {
        DualEncoderConfig c = DualEncoderConfig.parse(config(encoder, gruForm));
        WeightSource seeded = WeightSource.seeded(c.seed());
        WeightSource onGrid = w -> {
            float[] v = seeded.values(w);
            if (w.name().startsWith("embedding_")) for (int i = 0; i < v.length; i++) v[i] = Math.round(v[i] * 64f) / 64f;
            return v;
        };
        return DualEncoderBuilder.build(c, onGrid);
    }

    /** The history's valid ids reordered in several ways, padding kept at the end. */
    private static List<int[]> reorderings() {
        List<int[]> all = new ArrayList<>();
        int n = 7;
        int[] reversed = HISTORY.clone();
        for (int i = 0; i < n; i++) reversed[i] = HISTORY[n - 1 - i];
        all.add(reversed);
        int[] rotated = HISTORY.clone();
        for (int i = 0; i < n; i++) rotated[i] = HISTORY[(i + 1) % n];
        all.add(rotated);
        int[] swapped = HISTORY.clone();
        swapped[n - 1] = HISTORY[n - 2];
        swapped[n - 2] = HISTORY[n - 1];
        all.add(swapped); // only the two most recent items swapped
        Random random = new Random(5);
        for (int k = 0; k < 5; k++) {
            int[] shuffled = HISTORY.clone();
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            if (!Arrays.equals(shuffled, HISTORY)) all.add(shuffled);
        }
        return all;
    }

    private record Outputs(float[] scores, int[] ids) {
    }

    private static Outputs run(Interpreter interpreter, int[] history) {
        float[] scores = new float[20];
        int[] ids = new int[20];
        interpreter.runForMultipleInputsOutputs(new Object[] {history}, Map.of(0, scores, 1, ids));
        return new Outputs(scores, ids);
    }

    @Test
    void aBagOfWordsIgnoresTheOrderOfTheHistoryAndWhereThePaddingSits() {
        try (Interpreter bow = new Interpreter(ByteBuffer.wrap(build("BOW", "WHILE")), new Interpreter.Options())) {
            Outputs original = run(bow, HISTORY);
            List<int[]> variants = reorderings();
            variants.add(new int[] {0, 17, 3, 0, 250, 91, 0, 4, 133, 60}); // padding in front and in the middle
            for (int[] h : variants) {
                Outputs o = run(bow, h);
                assertArrayEquals(original.ids(), o.ids(), Arrays.toString(h));
                for (int i = 0; i < o.scores().length; i++) {
                    assertEquals(Float.floatToRawIntBits(original.scores()[i]), Float.floatToRawIntBits(o.scores()[i]),
                            Arrays.toString(h) + " score " + i);
                }
            }
        }
    }

    @Test
    void anLstmDependsOnTheOrder() {
        assertOrderMatters(build("LSTM", "WHILE"));
    }

    @Test
    void aGruWrittenWithWhileDependsOnTheOrder() {
        assertOrderMatters(build("GRU", "WHILE"));
    }

    @Test
    void anUnrolledGruDependsOnTheOrder() {
        assertOrderMatters(build("GRU", "UNROLLED"));
    }

    /** Every reordering changes the scores (the same weights as the BOW model's, so only the order does it). */
    private static void assertOrderMatters(byte[] model) {
        try (Interpreter recurrent = new Interpreter(ByteBuffer.wrap(model), new Interpreter.Options())) {
            Outputs original = run(recurrent, HISTORY);
            assertArrayEquals(original.scores(), run(recurrent, HISTORY).scores(), "the same history twice: the same scores");
            for (int[] h : reorderings()) {
                Outputs o = run(recurrent, h);
                assertFalse(Arrays.equals(original.scores(), o.scores()) && Arrays.equals(original.ids(), o.ids()),
                        "reordered history " + Arrays.toString(h) + " gave the same outputs as " + Arrays.toString(HISTORY));
            }
            assertTrue(reorderings().size() >= 6);
        }
    }
}

package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tfl4j.recommend.Recommendation;
import org.tfl4j.recommend.Recommender;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Java snippets of README.md, as written there (keep the two in step). */
class ReadmeExamplesTest {

    private static String models() {
        Path dir = ZeroAllocationTest.modelsDir();
        assumeTrue(dir != null && Files.isDirectory(dir), "MovieLens models not found (set -Dtfl4j.models)");
        return dir.toString();
    }

    @Test
    void interpreterSnippet() {
        String models = models();
        // --- README: Using it from Java ---
        Model model = Model.load(Path.of(models, "recommendation_cnn_i10o100.tflite")); // immutable, share it
        try (Interpreter interpreter = new Interpreter(model, new Interpreter.Options())) {  // one per thread
            int[] history = {1, 364, 0, 0, 0, 0, 0, 0, 0, 0};                   // ids, padding 0 at the end
            float[] scores = new float[100];
            int[] ids = new int[100];
            interpreter.runForMultipleInputsOutputs(new Object[] {history}, Map.of(0, scores, 1, ids));
            // --- end of snippet ---
            assertTrue(scores[0] >= scores[99] && scores[0] > 0.5f, "scores come sorted, best first");
            assertTrue(ids[0] > 0 && ids[0] < 3953);
        }
    }

    @Test
    void recommenderSnippet() throws Exception {
        String models = models();
        List<String> printed = new ArrayList<>();
        // --- README: the recommender API ---
        try (Recommender recommender = Recommender.load(Path.of(models, "config_cnn_i10i32o100.json"))) {
            for (Recommendation r : recommender.recommend(1, 364)) {      // Toy Story, The Lion King
                printed.add(r.title() + " " + r.score());
            }
        }
        // --- end of snippet ---
        assertEquals(10, printed.size());
    }
}

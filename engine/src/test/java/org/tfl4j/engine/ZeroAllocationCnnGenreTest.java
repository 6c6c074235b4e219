package org.tfl4j.engine;

import org.junit.jupiter.api.Test;

/** {@link ZeroAllocationTest} for the CNN with genres model, in a JVM of its own. */
class ZeroAllocationCnnGenreTest extends ZeroAllocationTest {

    @Test
    void inferenceAllocatesNothing() {
        assertInferenceAllocatesNothing("recommendation_cnn_i10i32o100.tflite");
    }
}

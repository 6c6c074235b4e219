package org.tfl4j.engine;

import org.junit.jupiter.api.Test;

/** {@link ZeroAllocationTest} for the bag of words model, in a JVM of its own. */
class ZeroAllocationBowTest extends ZeroAllocationTest {

    @Test
    void inferenceAllocatesNothing() {
        assertInferenceAllocatesNothing("model_history10_top100.tflite");
    }
}

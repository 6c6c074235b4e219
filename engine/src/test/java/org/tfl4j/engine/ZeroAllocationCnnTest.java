package org.tfl4j.engine;

import org.junit.jupiter.api.Test;

/** {@link ZeroAllocationTest} for the CNN model, in a JVM of its own. */
class ZeroAllocationCnnTest extends ZeroAllocationTest {

    @Test
    void inferenceAllocatesNothing() {
        assertInferenceAllocatesNothing("recommendation_cnn_i10o100.tflite");
    }
}

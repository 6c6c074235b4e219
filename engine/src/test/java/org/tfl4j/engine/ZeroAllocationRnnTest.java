package org.tfl4j.engine;

import org.junit.jupiter.api.Test;

/** {@link ZeroAllocationTest} for the LSTM model, in a JVM of its own. */
class ZeroAllocationRnnTest extends ZeroAllocationTest {

    @Test
    void inferenceAllocatesNothing() {
        assertInferenceAllocatesNothing("recommendation_rnn_i10o100.tflite");
    }
}

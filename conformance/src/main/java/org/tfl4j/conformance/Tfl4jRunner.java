package org.tfl4j.conformance;

import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.TensorInfo;

/** Runs a tfl4j interpreter on inputs in subgraph order and returns every output as a Java array. */
public final class Tfl4jRunner {

    private Tfl4jRunner() {
    }

    /** Outputs in subgraph output order: {@code float[]}, {@code int[]}, {@code long[]} or {@code boolean[]}. */
    public static Object[] run(Interpreter tfl4j, Object[] inputs) {
        for (int k = 0; k < inputs.length; k++) tfl4j.setInput(k, inputs[k]);
        tfl4j.invoke();
        Object[] outputs = new Object[tfl4j.getOutputTensorCount()];
        for (int k = 0; k < outputs.length; k++) {
            TensorInfo t = tfl4j.getOutputTensor(k);
            outputs[k] = java.lang.reflect.Array.newInstance(TfliteReference.arrayClass(t.dataType()).getComponentType(), t.numElements());
            tfl4j.getOutput(k, outputs[k]);
        }
        return outputs;
    }
}

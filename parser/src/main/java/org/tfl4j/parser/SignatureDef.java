package org.tfl4j.parser;

import java.util.Map;

/**
 * A signature: named inputs and outputs of one subgraph.
 *
 * @param key           the signature key, e.g. "serving_default"
 * @param subgraphIndex the subgraph it runs
 * @param inputs        input name to tensor index, in file order
 * @param outputs       output name to tensor index, in file order
 */
public record SignatureDef(String key, int subgraphIndex, Map<String, Integer> inputs, Map<String, Integer> outputs) {
    public SignatureDef {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    }
}

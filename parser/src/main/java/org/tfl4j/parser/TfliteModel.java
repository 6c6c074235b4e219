package org.tfl4j.parser;

import java.util.List;
import java.util.Map;

/**
 * A parsed, verified {@code .tflite} model. Immutable: safe to share between threads.
 *
 * @param version       schema version (3 for every current file)
 * @param description   model description ("" when absent)
 * @param subgraphs     subgraphs; index 0 is the main one
 * @param signatureDefs signature defs (empty when the file has none)
 * @param metadata      metadata entries by name, with their buffer bytes (e.g. "min_runtime_version")
 * @param fileSize      size of the file in bytes
 */
public record TfliteModel(int version, String description, List<Subgraph> subgraphs,
                          List<SignatureDef> signatureDefs, Map<String, byte[]> metadata, long fileSize) {

    public TfliteModel {
        subgraphs = List.copyOf(subgraphs);
        signatureDefs = List.copyOf(signatureDefs);
        // Deep copy: the byte arrays would otherwise let a caller change a shared, "immutable" model.
        Map<String, byte[]> copy = new java.util.LinkedHashMap<>();
        metadata.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        metadata = java.util.Collections.unmodifiableMap(copy);
    }

    /** Metadata entries by name, in file order; the arrays are copies. */
    @Override
    public Map<String, byte[]> metadata() {
        Map<String, byte[]> copy = new java.util.LinkedHashMap<>();
        metadata.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        return java.util.Collections.unmodifiableMap(copy);
    }

    public Subgraph mainSubgraph() {
        return subgraphs.get(0);
    }

    /** The metadata entry as a UTF-8 string without trailing NULs, or null when absent. */
    public String metadataString(String name) {
        byte[] b = metadata.get(name);
        if (b == null) return null;
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) n--;
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}

package org.tfl4j.conformance;

/**
 * One case of a per-op sweep: a single-op {@code .tflite} model (usually written with
 * {@link org.tfl4j.models.TfliteWriter}) and its inputs in subgraph input order.
 */
public record OpCase(String name, byte[] model, Object[] inputs) {
}

/**
 * One file per builtin operator, tflite-micro style: {@code prepare} reads the options and checks
 * types and shapes once per model; {@code bind} resolves one interpreter's arrays and offsets; the
 * resulting {@link org.tfl4j.engine.ops.Node} only computes, by calling a kernel of
 * {@code org.tfl4j.kernels}. {@link org.tfl4j.engine.ops.OpRegistry} maps builtin codes to them.
 *
 * <p>After every op is prepared, {@link org.tfl4j.engine.ops.GraphFusion} replaces chains of builtin ops by one
 * fused kernel that computes the chain's exact bits; each fusion (one class, such as
 * {@code EmbeddingMaskFusion}: GATHER + MUL [+ SUM] of the masked embedding lookup) documents the chain it replaces
 * and why its bits are TFLite's. Ops whose code maps to a swapped-in kernel are never fused.
 */
package org.tfl4j.engine.ops;

/**
 * One file per builtin operator, tflite-micro style: {@code prepare} reads the options and checks
 * types and shapes once per model; {@code bind} resolves one interpreter's arrays and offsets; the
 * resulting {@link org.tfl4j.engine.ops.Node} only computes, by calling a kernel of
 * {@code org.tfl4j.kernels}. {@link org.tfl4j.engine.ops.OpRegistry} maps builtin codes to them.
 *
 * <p>After every op is prepared, {@link org.tfl4j.engine.ops.GraphFusion} replaces chains of builtin ops by one
 * fused kernel that computes the chain's exact bits; each fusion (one class: {@code EmbeddingMaskFusion}, GATHER +
 * MUL [+ SUM] of the masked embedding lookup; {@code FullyConnectedTopKFusion}, the label table's FULLY_CONNECTED +
 * RESHAPE + TOPK_V2 as one scoring pass; {@code GruWhileFusion} and {@code GruCellFusion}, a Keras GRU) documents
 * the chain it replaces and why its bits are TFLite's. Ops whose code maps to a swapped-in kernel are never fused.
 * {@code Model.fusions()} and {@code tfl4j bench} list the chains a model's fusions replaced.
 *
 * <p>The nodes that stream large packed weights (the scoring pass's label table, the convolutions' filters) bind a copy
 * of them per interpreter, and a {@link org.tfl4j.engine.ops.PanelOrigin} moves its data, after the JIT has compiled
 * the kernel, to the origin in the array where the kernel times fastest: the one that starts it on a 64-byte boundary
 * ({@code org.tfl4j.kernels.simd.PanelOrigins}). Only the time depends on it, never the bits.
 */
package org.tfl4j.engine.ops;

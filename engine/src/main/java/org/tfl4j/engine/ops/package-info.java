/**
 * One file per builtin operator, tflite-micro style: {@code prepare} reads the options and checks
 * types and shapes once per model; {@code bind} resolves one interpreter's arrays and offsets; the
 * resulting {@link org.tfl4j.engine.ops.Node} only computes, by calling a kernel of
 * {@code org.tfl4j.kernels}. {@link org.tfl4j.engine.ops.OpRegistry} maps builtin codes to them.
 */
package org.tfl4j.engine.ops;

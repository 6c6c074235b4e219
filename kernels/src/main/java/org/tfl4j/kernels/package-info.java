/**
 * Float32 kernels that reproduce the arithmetic of TFLite 2.21's builtin kernels on x86-64 bit for bit
 * (SSE2 build, XNNPACK off; see the numerics spec). The classes here are the readable scalar references;
 * the hot paths (matrix products, CONV_2D, TOPK_V2, logistic, tanh, embedding pooling) run Vector API kernels
 * from {@link org.tfl4j.kernels.simd}, which compute the same bits lane by lane and are tested against these.
 *
 * <p>What this package owns: {@link org.tfl4j.kernels.TfliteMath} (flush-to-zero, C++ {@code std::min/max},
 * the dot-product orders of Eigen's matrix kernels, Eigen's logistic and tanh, glibc's {@code expf}),
 * {@link org.tfl4j.kernels.MatMul} (which order each output of a matrix product gets), and one class per
 * op: {@link org.tfl4j.kernels.FullyConnected}, {@link org.tfl4j.kernels.Conv2D},
 * {@link org.tfl4j.kernels.Lstm}, {@link org.tfl4j.kernels.Logistic}, {@link org.tfl4j.kernels.Tanh},
 * {@link org.tfl4j.kernels.Gru} (a fused Keras GRU step, the arithmetic of its lowered ops),
 * {@link org.tfl4j.kernels.Mul}, {@link org.tfl4j.kernels.Div}, {@link org.tfl4j.kernels.NotEqual},
 * {@link org.tfl4j.kernels.Less}, {@link org.tfl4j.kernels.LogicalAnd},
 * {@link org.tfl4j.kernels.Cast}, {@link org.tfl4j.kernels.Select}, {@link org.tfl4j.kernels.Sum},
 * {@link org.tfl4j.kernels.ReduceMax}, {@link org.tfl4j.kernels.Gather}, {@link org.tfl4j.kernels.Reshape},
 * {@link org.tfl4j.kernels.Concatenation}, {@link org.tfl4j.kernels.StridedSlice},
 * {@link org.tfl4j.kernels.TopKV2}.
 *
 * <p>Conventions: tensors are passed as an array plus the offset of element 0 ({@code float[] x, int xOff}),
 * dimensions as ints, activations as a clamp range. Kernels know nothing of the model parser or the engine;
 * classes that need scratch space allocate it in their constructor, and no eval method allocates. Every
 * float operation rounds to float32 in the written order: no {@code Math.fma}, no double accumulation, no
 * {@code Math.min/max} (whose treatment of -0.0 and NaN differs from C++).
 */
package org.tfl4j.kernels;

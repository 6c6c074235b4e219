/**
 * SIMD kernels on the JDK Vector API ({@code jdk.incubator.vector}), each beside its scalar twin with the same
 * signature: the twin is the readable reference and the tests' oracle, and both compute TFLite 2.21's exact
 * float32 bits (the same operations in the same order, lane by lane: vectors run across independent outputs,
 * never across one output's sum). One width for all, {@link org.tfl4j.kernels.simd.VectorWidth}.
 *
 * <p>Allocation-free whatever the JIT's profiles: every vector that enters a kernel's arithmetic from a load
 * ({@code fromArray}), a broadcast or zero, a reinterpretation, a loop (an accumulator) or a branch is cast to its
 * exact class ({@link org.tfl4j.kernels.simd.VectorWidth#FLOAT_VECTOR},
 * {@link org.tfl4j.kernels.simd.VectorWidth#INT_VECTOR}) before a Vector API call uses it. No mask is carried across
 * a loop or a branch, so masks need no such cast. Without the cast such a value's static type is the abstract
 * {@code FloatVector}, and C2 compiles the calls on it into instructions only when its type profile names one vector
 * class; a JVM without that profile, or one that ran other vector widths first, allocated 0.9 to 4.6 MB per
 * inference. The engine's allocation tests also run with
 * {@code -XX:TypeProfileWidth=0} to hold this. Kernels take and return arrays, never vectors.
 *
 * <p>Loop indices in the one form JDK 17's C2 can check once per loop: every array index inside a counted loop is
 * {@code invariant + counter * CONSTANT}, plus at most a constant ({@code p0 + k * LANES + LANES}), computed from the
 * loop's own counter. A second induction variable ({@code k++, p += LANES}) or a run-time invariant added on top
 * ({@code p + blockStride}) is not recognised by its range-check elimination: every vector load then keeps its own
 * bounds check and the loop is not unrolled. Measured on the CNN models' convolutions: 17 to 35% less time in this form
 * (ConvBenchmark, JDK 17; the code was disassembled before and after).
 *
 * <p>The kernels that stream large packed weights ({@code F32GemvTopK}, {@code F32ConvChannelLanes}) take the data's
 * origin in its array, so that the engine can move it onto a 64-byte boundary
 * ({@link org.tfl4j.kernels.simd.PanelOrigins}).
 */
package org.tfl4j.kernels.simd;

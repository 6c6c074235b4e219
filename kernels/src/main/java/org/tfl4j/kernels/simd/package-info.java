/**
 * SIMD kernels on the JDK Vector API ({@code jdk.incubator.vector}), each beside its scalar twin with the same
 * signature: the twin is the readable reference and the tests' oracle, and both compute TFLite 2.21's exact
 * float32 bits (the same operations in the same order, lane by lane: vectors run across independent outputs,
 * never across one output's sum). One width for all, {@link org.tfl4j.kernels.simd.VectorWidth}.
 */
package org.tfl4j.kernels.simd;

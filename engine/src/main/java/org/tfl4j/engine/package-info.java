/**
 * The interpreter: turns a parsed model into a planned graph and runs it.
 *
 * <p>Owns: loading ({@link org.tfl4j.engine.Model}: for the main subgraph and every subgraph a WHILE calls, decode
 * constants, prepare every op through {@link org.tfl4j.engine.ops.OpRegistry}, fuse chains of builtin ops into single kernels
 * ({@link org.tfl4j.engine.ops.GraphFusion}: the same bits, fewer passes; {@code Interpreter.Options.setFusion(false)}
 * turns it off), plan activation memory once per subgraph with a greedy lifetime-based planner) and running ({@link org.tfl4j.engine.Interpreter}: per-instance arenas, inputs copied in,
 * nodes run in order, outputs copied out; nothing allocated per inference).
 *
 * <p>Untrusted models: before anything is decoded, prepared or planned, {@code Model} refuses a model whose
 * ops read and write more tensor bytes than a limit ({@code Interpreter.Options.setMaxTensorBytes}, by
 * default 16 times the file size, at least 32 MiB), and ops that write a tensor they read; together with
 * the parser's verifier this keeps what a load allocates linear in the file size (docs/security.md).
 *
 * <p>Untrusted inputs are checked at the {@link org.tfl4j.engine.Interpreter}'s boundary (type, shape, length,
 * nulls, counts: {@link org.tfl4j.engine.InvalidInputException}) and, before every run, the ids of the inputs that
 * index a GATHER against its table ({@link org.tfl4j.engine.OutOfVocabularyPolicy}). One {@link org.tfl4j.engine.Model}
 * is shared by any number of threads, each with its own interpreter.
 *
 * <p>Data flows one way: bytes → {@code org.tfl4j.parser} → immutable model → planned graph here →
 * {@code org.tfl4j.kernels} arithmetic → outputs. Nothing here reaches back into the parser's bytes.
 */
package org.tfl4j.engine;

/**
 * Reading {@code .tflite} files: bytes in, a verified, immutable {@link org.tfl4j.parser.TfliteModel} out.
 *
 * <p>{@link org.tfl4j.parser.TfliteParser} first runs a FlatBuffer verifier over every table, vector,
 * string and union it will read (offsets, vtables, lengths, a depth and a work limit), then reads the
 * file through the generated TFLite schema classes and checks what the values mean: indices in range,
 * known types and enum codes, sane shapes, constant data of the size its shape needs, builtin options
 * of the type the op expects (schema defaults filled in), and the subgraphs that WHILE ops call (the loop values'
 * counts, types and static shapes; no subgraph reaching itself through WHILE ops). Any defect is a
 * {@link org.tfl4j.parser.ModelFormatException} saying what and where; no other exception escapes for
 * any input.
 *
 * <p>The records ({@code TfliteModel}, {@code Subgraph}, {@code Tensor}, {@code Operator},
 * {@code OpOptions}, {@code SignatureDef}) describe the file as stored. This package knows nothing
 * about execution: whether an op is supported, its tensor shapes consistent with its kernel, or its
 * options sensible for it (a stride of 0, say) is for the engine to decide when it prepares the graph.
 */
package org.tfl4j.parser;

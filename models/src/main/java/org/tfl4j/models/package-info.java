/**
 * Writes {@code .tflite} models. {@link org.tfl4j.models.TfliteWriter} is the low-level writer (tensors, constants,
 * builtin operators, subgraphs, signatures) over the TFLite schema's object API. The dual-encoder builders
 * (BOW, CNN, LSTM, GRU; ids or features) come with their issue.
 */
package org.tfl4j.models;

/**
 * Writes {@code .tflite} models. {@link org.tfl4j.models.TfliteWriter} is the low-level writer (tensors, constants,
 * builtin operators, subgraphs, signatures) over the TFLite schema's object API.
 * {@link org.tfl4j.models.DualEncoderBuilder} writes a dual-encoder recommendation model of any configuration
 * ({@link org.tfl4j.models.DualEncoderConfig}: BOW, CNN, LSTM and GRU feature groups over ids and FLOAT features)
 * with the op lowering TFLite's converter gives the published MovieLens models; its weights come from a
 * {@link org.tfl4j.models.WeightSource} (seeded, or a folder of {@code .npy} files). GRU groups are written by
 * {@link org.tfl4j.models.GruEncoderWriter}.
 */
package org.tfl4j.models;

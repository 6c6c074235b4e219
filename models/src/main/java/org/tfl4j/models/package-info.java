/**
 * Writes dual-encoder recommendation models as {@code .tflite} files (BOW, CNN, LSTM, GRU; ids or features).
 * Not written yet: the module builds empty until its issue is taken.
 */
package org.tfl4j.models;

package org.tfl4j.engine;

/**
 * What a run does with an id outside the vocabulary: an element of an int32 or int64 graph input that is the
 * index of a GATHER (directly or through RESHAPEs), below 0 or not below the size of the gathered axis (the
 * embedding table's rows). Such inputs are found when the model is loaded ({@link Model#vocabularySize(int)}); the check runs
 * at the start of {@link Interpreter#invoke()}, before any op, as a loop over the ids that allocates nothing.
 *
 * <p>TFLite fails the invocation on such an id (its GATHER returns an error). tfl4j does the same by default, with
 * a message that names the input, the position, the value and the valid range.
 */
public enum OutOfVocabularyPolicy {
    /**
     * The default: the run fails with an {@link OutOfVocabularyException} before any op runs. Nothing of the
     * interpreter changes (variable tensors included), so it takes the next request as if this one never came.
     */
    REJECT,
    /**
     * Each out-of-vocabulary id is replaced by 0, the padding id (masked in the MovieLens models), in the
     * interpreter's copy of the input; the caller's array is not touched. The results are then exactly those of
     * a run (tfl4j's or TFLite's) on the input with those ids set to 0. When the vocabulary is empty, 0 is no
     * valid id either and the run fails as with {@link #REJECT}.
     */
    MAP_TO_PADDING
}

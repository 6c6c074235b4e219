package org.tfl4j.benchmarks;

/** The four published MovieLens models, by the short names the CLI uses ({@code --model}). */
public enum MovieLensModel {
    BOW("bow", "model_history10_top100.tflite"),
    CNN("cnn", "recommendation_cnn_i10o100.tflite"),
    RNN("rnn", "recommendation_rnn_i10o100.tflite"),
    CNN_GENRE("cnn-genre", "recommendation_cnn_i10i32o100.tflite");

    private final String shortName;
    private final String fileName;

    MovieLensModel(String shortName, String fileName) {
        this.shortName = shortName;
        this.fileName = fileName;
    }

    public String shortName() {
        return shortName;
    }

    public String fileName() {
        return fileName;
    }

    public static MovieLensModel byShortName(String name) {
        for (MovieLensModel m : values()) if (m.shortName.equals(name)) return m;
        throw new IllegalArgumentException("no model '" + name + "'; one of bow, cnn, rnn, cnn-genre");
    }
}

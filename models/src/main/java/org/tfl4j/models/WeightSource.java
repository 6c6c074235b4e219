package org.tfl4j.models;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Where the dual-encoder builder gets each weight tensor: {@link #seeded(long)} draws them, {@link #npyFolder(Path)}
 * reads {@code <tensor name>.npy} files. The builder asks once per weight, in graph order, with the tensor's
 * {@link Weight} (name, TFLite shape, initializer scale) and writes the values it gets as the tensor's constant.
 */
@FunctionalInterface
public interface WeightSource {

    /**
     * One weight tensor: its name (also the {@code .npy} file name without extension), its shape as stored in the
     * {@code .tflite} file, and the seeded initializer's distribution: uniform in
     * {@code [center - limit, center + limit)}.
     */
    record Weight(String name, int[] shape, float center, float limit) {
        public Weight {
            shape = shape.clone();
        }

        /** Elements of the tensor. */
        public int elements() {
            long n = 1;
            for (int d : shape) n *= d;
            return Math.toIntExact(n);
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return name + " float32" + Arrays.toString(shape);
        }
    }

    /** The row-major values of {@code weight} (exactly {@code weight.elements()} of them). */
    float[] values(Weight weight);

    /**
     * Deterministic weights: each tensor drawn from its {@link Weight} distribution by a {@link SplittableRandom} seeded
     * with {@code seed} and the tensor's name, so the same seed gives the same bytes, and a tensor's values do not
     * depend on which other tensors the model has.
     */
    static WeightSource seeded(long seed) {
        return weight -> {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ nameHash(weight.name()));
            float[] v = new float[weight.elements()];
            double lo = (double) weight.center() - weight.limit();
            double width = 2.0 * weight.limit();
            for (int i = 0; i < v.length; i++) v[i] = (float) (lo + width * random.nextDouble());
            return v;
        };
    }

    /** Weights read from {@code folder/<tensor name>.npy} (float32, little-endian, the tensor's exact shape). */
    static WeightSource npyFolder(Path folder) {
        return weight -> NpyWeights.read(folder, weight);
    }

    /** A 64-bit FNV-1a hash of the name's UTF-16 units: stable across JVMs, unlike identity hashes. */
    private static long nameHash(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}

package org.tfl4j.models;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one weight tensor from a NumPy {@code .npy} file (format 1.0 to 3.0, C order, {@code <f4}). A small reader of
 * its own: the models module does not depend on the engine (whose {@code org.tfl4j.engine.io.Npy} reads inputs).
 * Errors name the file and say what was expected.
 */
final class NpyWeights {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyWeights() {
    }

    static float[] read(Path folder, WeightSource.Weight weight) {
        Path file = folder.resolve(weight.name() + ".npy");
        String where = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelConfigException(where, "missing: the weights folder needs " + weight.name()
                    + ".npy, float32 of shape " + Arrays.toString(weight.shape()));
        } catch (IOException e) {
            throw new ModelConfigException(where, "cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, where, weight.shape());
    }

    /** The float32 values of an {@code .npy} file of exactly {@code shape}. */
    static float[] parse(byte[] bytes, String where, int[] shape) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new ModelConfigException(where, "not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new ModelConfigException(where, "truncated .npy header");
            headerLength = b.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new ModelConfigException(where, ".npy format version " + major + " is not supported (1, 2, 3 are)");
        }
        if (headerStart + headerLength > bytes.length) throw new ModelConfigException(where, "truncated .npy header");
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, where, "descr");
        if (!descr.equals("<f4")) {
            throw new ModelConfigException(where, "dtype '" + descr + "', weights must be float32 little-endian ('<f4')");
        }
        if (group(FORTRAN, header, where, "fortran_order").equals("True")) {
            throw new ModelConfigException(where, "Fortran order; save the array in C order (numpy.ascontiguousarray)");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : group(SHAPE, header, where, "shape").split(",")) {
            String t = part.trim();
            if (t.isEmpty()) continue;
            try {
                dims.add(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw new ModelConfigException(where, "bad shape entry '" + t + "' in the .npy header");
            }
        }
        int[] fileShape = dims.stream().mapToInt(Integer::intValue).toArray();
        if (!Arrays.equals(fileShape, shape)) {
            throw new ModelConfigException(where, "shape " + Arrays.toString(fileShape) + ", expected " + Arrays.toString(shape));
        }
        long n = 1;
        for (int d : shape) n *= d;
        int dataStart = headerStart + (int) headerLength;
        if (bytes.length - dataStart != n * 4) {
            throw new ModelConfigException(where, "holds " + (bytes.length - dataStart) + " data bytes, shape "
                    + Arrays.toString(shape) + " needs " + n * 4);
        }
        float[] v = new float[(int) n];
        b.position(dataStart);
        b.asFloatBuffer().get(v);
        return v;
    }

    private static String group(Pattern p, String header, String where, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new ModelConfigException(where, "the .npy header has no '" + key + "'");
        return m.group(1);
    }
}

package org.tfl4j.engine.io;

import org.tfl4j.parser.TensorType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) of the element types
 * tfl4j runs: {@code <i4} (int32), {@code <f4} (float32), {@code <i8} (int64) and {@code |b1} (bool),
 * little-endian, C order.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, major and minor version bytes, the header length
 * (little-endian uint16 for 1.0, uint32 for 2.0 and 3.0), then the header, a Python dict literal
 * such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (1, 10), }} padded with spaces
 * and a newline, then the raw elements.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {}

    /** The dtype string of a type, e.g. {@code <f4}. */
    public static String descr(TensorType type) {
        switch (type) {
            case INT32: return "<i4";
            case FLOAT32: return "<f4";
            case INT64: return "<i8";
            case BOOL: return "|b1";
            default: throw new IllegalArgumentException(".npy files of type " + type + " are not supported");
        }
    }

    private static TensorType typeOf(String descr, String source) {
        switch (descr) {
            case "<i4": return TensorType.INT32;
            case "<f4": return TensorType.FLOAT32;
            case "<i8": return TensorType.INT64;
            case "|b1": case "<b1": case ">b1": case "=b1": case "b1": case "?": return TensorType.BOOL;
            default:
                if (descr.startsWith(">") && descr.length() > 1 && "i4 f4 i8".contains(descr.substring(1))) {
                    throw new NpyFormatException(source + ": dtype '" + descr + "' is big-endian; tfl4j reads little-endian ('<"
                            + descr.substring(1) + "')");
                }
                throw new NpyFormatException(source + ": dtype '" + descr + "' is not supported (tfl4j reads <i4, <f4, <i8, |b1)");
        }
    }

    /** Files larger than this are refused before they are read: 1 GiB, far beyond any tensor tfl4j runs. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    /**
     * Reads a {@code .npy} file: a regular file (not a device, pipe or folder, which might never end) of at most
     * {@link #MAX_FILE_BYTES}.
     *
     * @throws NpyFormatException when it is not such a file, or not a readable .npy of a supported type
     */
    public static NpyArray read(Path file) throws IOException {
        return read(file, MAX_FILE_BYTES);
    }

    /**
     * As {@link #read(Path)} for a file of at most {@code maxBytes} bytes (a caller that knows what size of
     * data it wants refuses anything far larger before reading it).
     */
    public static NpyArray read(Path file, long maxBytes) throws IOException {
        if (Files.isDirectory(file)) throw new NpyFormatException(file + ": is a directory, not a .npy file");
        if (Files.exists(file) && !Files.isRegularFile(file)) throw new NpyFormatException(file + ": not a regular file");
        long size = Files.size(file); // NoSuchFileException when absent
        if (size > maxBytes) {
            throw new NpyFormatException(file + ": " + size + " bytes, more than the " + maxBytes + " a .npy input may have here");
        }
        return read(Files.readAllBytes(file), file.toString());
    }

    /**
     * Reads {@code .npy} bytes.
     *
     * @param source a name for messages (the file name)
     * @throws NpyFormatException when the bytes are not a readable .npy of a supported type
     */
    public static NpyArray read(byte[] bytes, String source) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new NpyFormatException(source + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6] & 0xff;
        int minor = bytes[7] & 0xff;
        long headerLength;
        int dataStart;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffff;
            dataStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new NpyFormatException(source + ": truncated header");
            headerLength = b.getInt(8) & 0xffffffffL;
            dataStart = 12;
        } else {
            throw new NpyFormatException(source + ": .npy format version " + major + "." + minor + " is not supported (1.0, 2.0, 3.0 are)");
        }
        if (dataStart + headerLength > bytes.length) {
            throw new NpyFormatException(source + ": header of " + headerLength + " bytes runs past the end of the file (" + bytes.length + " bytes)");
        }
        String header = new String(bytes, dataStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        dataStart += (int) headerLength;

        Map<String, Object> dict = new HeaderParser(header, source).dict();
        for (String key : dict.keySet()) {
            if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                throw new NpyFormatException(source + ": unexpected header key '" + key + "'");
            }
        }
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shapeValue = dict.get("shape");
        if (!(descr instanceof String)) throw new NpyFormatException(source + ": header has no 'descr' string (a structured dtype is not supported)");
        if (!(fortran instanceof Boolean)) throw new NpyFormatException(source + ": header has no 'fortran_order' True/False");
        if (!(shapeValue instanceof int[])) throw new NpyFormatException(source + ": header has no 'shape' tuple");
        TensorType type = typeOf((String) descr, source);
        int[] shape = (int[]) shapeValue;
        int nonTrivial = 0;
        for (int d : shape) if (d != 1) nonTrivial++;
        if ((Boolean) fortran && nonTrivial > 1) {
            throw new NpyFormatException(source + ": Fortran-order data is not supported; save np.ascontiguousarray(a)");
        }
        long n = NpyArray.elementCount(shape);
        long size = n * type.byteSize;
        long available = bytes.length - dataStart;
        if (size != available) {
            throw new NpyFormatException(source + ": shape " + Arrays.toString(shape) + " of " + descr + " needs " + size
                    + " data bytes, the file has " + available);
        }
        NpyArray a = NpyArray.zeros(type, shape);
        int count = (int) n;
        switch (type) {
            case INT32: b.position(dataStart); b.asIntBuffer().get(a.ints(), 0, count); break;
            case FLOAT32: b.position(dataStart); b.asFloatBuffer().get(a.floats(), 0, count); break;
            case INT64: b.position(dataStart); b.asLongBuffer().get(a.longs(), 0, count); break;
            default: {
                boolean[] v = a.bools();
                for (int i = 0; i < count; i++) v[i] = bytes[dataStart + i] != 0;
            }
        }
        return a;
    }

    /** Writes an array as a version 1.0 {@code .npy} file (2.0 if the header would not fit). */
    public static void write(Path file, NpyArray a) throws IOException {
        Files.write(file, toBytes(a));
    }

    /** The {@code .npy} bytes of an array. */
    public static byte[] toBytes(NpyArray a) {
        int[] shape = a.shape();
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) dims.append(i == 0 ? "" : ", ").append(shape[i]);
        if (shape.length == 1) dims.append(',');
        dims.append(')');
        String dict = "{'descr': '" + descr(a.type()) + "', 'fortran_order': False, 'shape': " + dims + ", }";
        // Pad with spaces so that the data starts at a multiple of 64 bytes, then end with a newline.
        int version = 1;
        int prefix = 10;
        String header = padded(dict, prefix);
        if (header.length() > 0xffff) {
            version = 2;
            prefix = 12;
            header = padded(dict, prefix);
        }
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        long dataBytes = (long) a.elementCount() * a.type().byteSize;
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(prefix + h.length + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) b.putShort((short) h.length);
        else b.putInt(h.length);
        b.put(h);
        switch (a.type()) {
            case INT32: for (int v : a.ints()) b.putInt(v); break;
            case FLOAT32: for (float v : a.floats()) b.putFloat(v); break;
            case INT64: for (long v : a.longs()) b.putLong(v); break;
            default: for (boolean v : a.bools()) b.put((byte) (v ? 1 : 0));
        }
        return b.array();
    }

    private static String padded(String dict, int prefix) {
        int total = prefix + dict.length() + 1;
        return dict + " ".repeat((total + 63) / 64 * 64 - total) + "\n";
    }

    /** Parses the header dict: string keys; values are strings, True/False or tuples of ints. */
    private static final class HeaderParser {
        private final String s;
        private final String source;
        private int p;

        HeaderParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Map<String, Object> dict() {
            skipSpace();
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    p++;
                    break;
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value();
                if (m.put(key, value) != null) throw error("key '" + key + "' appears twice");
                skipSpace();
                if (peek() == ',') {
                    p++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            skipSpace();
            if (p != s.length()) throw error("text after the closing '}'");
            return m;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') return string();
            if (c == '(') return tuple();
            if (s.startsWith("True", p)) {
                p += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", p)) {
                p += 5;
                return Boolean.FALSE;
            }
            throw error("unexpected value");
        }

        private int[] tuple() {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    p++;
                    break;
                }
                int start = p;
                while (p < s.length() && Character.isDigit(s.charAt(p))) p++;
                if (p == start) throw error("expected a dimension (a non-negative integer)");
                long d;
                try {
                    d = Long.parseLong(s.substring(start, p));
                } catch (NumberFormatException e) {
                    d = Long.MAX_VALUE;
                }
                if (d > Integer.MAX_VALUE) throw error("dimension " + s.substring(start, p) + " is too large");
                if (p < s.length() && s.charAt(p) == 'L') p++; // Python 2 long suffix
                dims.add((int) d);
                skipSpace();
                if (peek() == ',') p++;
                else if (peek() != ')') throw error("expected ',' or ')' in the shape");
            }
            int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
            if (NpyArray.elementCount(shape) > Integer.MAX_VALUE) throw error("shape " + Arrays.toString(shape) + " is too large");
            return shape;
        }

        private String string() {
            char q = peek();
            if (q != '\'' && q != '"') throw error("expected a quoted string");
            int end = s.indexOf(q, p + 1);
            if (end < 0) throw error("unterminated string");
            String v = s.substring(p + 1, end);
            p = end + 1;
            return v;
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            p++;
        }

        private char peek() {
            if (p >= s.length()) throw error("header ends early");
            return s.charAt(p);
        }

        private void skipSpace() {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) p++;
        }

        private NpyFormatException error(String what) {
            return new NpyFormatException(source + ": bad header at character " + p + ": " + what);
        }
    }
}

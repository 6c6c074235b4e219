package org.tfl4j.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfl4j.parser.TensorType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

class NpyTest {
    // Written by numpy 2.4 (np.save), base64-encoded: the reader against the reference writer.
    /** np.array([[1.5, -2, 0], [3.25, 1e-45, -0.0]], dtype=np.float32) */
    private static final String NUMPY_F32_2X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAAAAAAFBAAQAAAAAAAIA=";
    /** np.array([1, -2, 2147483647], dtype=np.int32) */
    private static final String NUMPY_I32_3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAA/v///////38=";
    /** np.array([[True, False], [False, True]]) */
    private static final String NUMPY_B1_2X2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAB";
    /** np.array(-5, dtype=np.int64), a scalar */
    private static final String NUMPY_I8_SCALAR = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr7/////////w==";
    /** np.zeros((0, 3), dtype=np.float32) */
    private static final String NUMPY_F32_0X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=";

    private static NpyArray numpy(String base64) {
        return Npy.read(Base64.getDecoder().decode(base64), "numpy.npy");
    }

    @Test
    void readsFilesWrittenByNumpy() {
        NpyArray f = numpy(NUMPY_F32_2X3);
        assertEquals(TensorType.FLOAT32, f.type());
        assertArrayEquals(new int[] {2, 3}, f.shape());
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 3.25f, Float.MIN_VALUE, -0f}, f.floats());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f.floats()[5]));

        NpyArray i = numpy(NUMPY_I32_3);
        assertEquals(TensorType.INT32, i.type());
        assertArrayEquals(new int[] {3}, i.shape());
        assertArrayEquals(new int[] {1, -2, Integer.MAX_VALUE}, i.ints());

        NpyArray b = numpy(NUMPY_B1_2X2);
        assertEquals(TensorType.BOOL, b.type());
        assertArrayEquals(new boolean[] {true, false, false, true}, b.bools());

        NpyArray s = numpy(NUMPY_I8_SCALAR);
        assertEquals(TensorType.INT64, s.type());
        assertArrayEquals(new int[0], s.shape());
        assertArrayEquals(new long[] {-5}, s.longs());

        NpyArray empty = numpy(NUMPY_F32_0X3);
        assertArrayEquals(new int[] {0, 3}, empty.shape());
        assertEquals(0, empty.elementCount());
    }

    @Test
    void writesTheFormatsLayout() {
        byte[] bytes = Npy.toBytes(NpyArray.ofInts(new int[] {3}, 1, -2, Integer.MAX_VALUE));
        // magic, version 1.0, header length; data aligned to 64 bytes; header ends with a newline.
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(bytes, 8));
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"), header);
        assertTrue(header.endsWith(" \n"), header);
        assertEquals(10 + headerLength + 12, bytes.length);
        ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, 12).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, data.getInt());
        assertEquals(-2, data.getInt());
        assertEquals(Integer.MAX_VALUE, data.getInt());
    }

    @Test
    void roundTripsEveryTypeAndShape(@TempDir Path dir) throws IOException {
        NpyArray[] arrays = {
            NpyArray.ofFloats(new int[] {2, 3}, 1.5f, -2f, Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -0f),
            NpyArray.ofInts(new int[] {1, 10}, 1, 364, 0, 0, 0, 0, 0, 0, 0, Integer.MIN_VALUE),
            new NpyArray(TensorType.INT64, new int[] {2}, new long[] {Long.MIN_VALUE, 42}),
            new NpyArray(TensorType.BOOL, new int[] {3}, new boolean[] {true, false, true}),
            NpyArray.ofFloats(new int[0], 7f),
            NpyArray.ofInts(new int[] {0}),
        };
        for (int k = 0; k < arrays.length; k++) {
            Path f = dir.resolve("a" + k + ".npy");
            Npy.write(f, arrays[k]);
            assertEquals(arrays[k], Npy.read(f), arrays[k].toString());
        }
        for (NpyArray a : arrays) {
            assertEquals(a, numpyReader(Npy.toBytes(a)), a.toString());
        }
    }

    /** Re-reads our bytes the way numpy does after the header: also checks the padding rule. */
    private static NpyArray numpyReader(byte[] bytes) {
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        assertEquals(0, (10 + headerLength) % 64, "alignment");
        return Npy.read(bytes, "ours.npy");
    }

    @Test
    void readsVersion2Headers() {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        String header = dict + " ".repeat(128 - 12 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(12 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).putFloat(0.25f).putFloat(-8f);
        NpyArray a = Npy.read(b.array(), "v2.npy");
        assertArrayEquals(new float[] {0.25f, -8f}, a.floats());
    }

    private static byte[] withHeader(String dict, int dataBytes) {
        String header = dict + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static void assertBad(byte[] bytes, String expected) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(bytes, "bad.npy"));
        assertTrue(e.getMessage().startsWith("bad.npy: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected to contain: " + expected);
    }

    @Test
    void malformedFilesGetSpecificErrors() {
        assertBad(new byte[0], "not a .npy file");
        assertBad("PK\3\4 a zip file, not npy".getBytes(StandardCharsets.ISO_8859_1), "not a .npy file");
        byte[] good = Base64.getDecoder().decode(NUMPY_I32_3);
        byte[] version9 = good.clone();
        version9[6] = 9;
        assertBad(version9, "format version 9.0 is not supported");
        assertBad(Arrays.copyOf(good, 40), "runs past the end of the file");
        assertBad(Arrays.copyOf(good, good.length - 1), "needs 12 data bytes, the file has 11");
        assertBad(Arrays.copyOf(good, good.length + 4), "needs 12 data bytes, the file has 16");
        assertBad(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 8), "dtype '<f8' is not supported");
        assertBad(withHeader("{'descr': '>i4', 'fortran_order': False, 'shape': (1,), }", 4), "big-endian");
        assertBad(withHeader("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", 24), "Fortran-order");
        assertBad(withHeader("{'descr': '<i4', 'fortran_order': False}", 4), "no 'shape'");
        assertBad(withHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), 'x': True}", 4), "unexpected header key 'x'");
        assertBad(withHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (-1,), }", 4), "expected a dimension");
        assertBad(withHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (1,) ", 4), "header ends early");
        assertBad(withHeader("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }", 4), "unexpected value");
        assertBad(withHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (99999999999,), }", 4), "too large");
        assertBad(withHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (65536, 65536), }", 4), "too large");
    }

    @Test
    void fortranOrderOfAVectorIsTheSameLayout() {
        NpyArray a = Npy.read(withHeader("{'descr': '<i4', 'fortran_order': True, 'shape': (1, 2), }", 8), "f.npy");
        assertArrayEquals(new int[] {0, 0}, a.ints());
    }
}

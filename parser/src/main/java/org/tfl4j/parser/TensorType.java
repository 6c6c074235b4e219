package org.tfl4j.parser;

/** Element types of TFLite tensors, with the schema's codes (schema.fbs {@code TensorType}). */
public enum TensorType {
    FLOAT32(0, 4), FLOAT16(1, 2), INT32(2, 4), UINT8(3, 1), INT64(4, 8), STRING(5, 0), BOOL(6, 1),
    INT16(7, 2), COMPLEX64(8, 8), INT8(9, 1), FLOAT64(10, 8), COMPLEX128(11, 16), UINT64(12, 8),
    RESOURCE(13, 0), VARIANT(14, 0), UINT32(15, 4), UINT16(16, 2), INT4(17, 0);

    /** The schema's numeric code. */
    public final int code;
    /** Bytes per element; 0 where elements have no fixed size (STRING, RESOURCE, VARIANT, INT4). */
    public final int byteSize;

    TensorType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    private static final TensorType[] BY_CODE = values();

    /** The type with this schema code, or null when the code is unknown. */
    public static TensorType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}

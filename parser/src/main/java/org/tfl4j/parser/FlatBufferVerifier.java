package org.tfl4j.parser;

import java.nio.ByteBuffer;

/**
 * Checks that the bytes of a {@code .tflite} file are a well-formed TFLite FlatBuffer before anything
 * reads them, in the spirit of FlatBuffers' own {@code Verifier} that TFLite runs on every model.
 *
 * <p>The generated schema accessors ({@code org.tensorflow.lite.schema}) follow offsets blindly: a
 * corrupt offset makes them throw {@code IndexOutOfBoundsException} deep inside the parser, or read
 * the wrong bytes without noticing. This verifier walks every table, vector, string and union that
 * {@link TfliteParser} reads and checks, with {@code long} arithmetic so nothing can wrap:
 * <ul>
 *   <li>the file identifier {@code "TFL3"} at bytes 4..8 and the root offset;</li>
 *   <li>every offset is non-zero, below 2^31 and lands inside the buffer;</li>
 *   <li>every table's vtable lies inside the buffer with a sane size, and each field the parser reads
 *       lies inside its table (and so inside the buffer), aligned to its size;</li>
 *   <li>every vector's length times its element size fits between its start and the end of the
 *       buffer (a vector claiming 2^31 elements fails here, before anyone allocates for it), and
 *       every string is followed by its NUL terminator;</li>
 *   <li>a nesting-depth limit and a total-work limit. Work counts what the parser will build: {@link
 *       #TABLE_WORK} units per table (the parser makes objects for it) and one per vector element and
 *       string byte. A file that shares nothing needs about one unit per byte (a few for a file of nothing but
 *       tiny tables; the published models need under 1% of their limit), so the limit
 *       ({@link #BASE_WORK} plus {@link #WORK_PER_BYTE} per byte) only trips on files that point many
 *       offsets at the same structure to make the parser repeat work; it keeps what parsing allocates
 *       linear in the file size (docs/security.md).</li>
 * </ul>
 * It knows which fields exist but not what their values mean: indices, enum codes and shapes are
 * {@link TfliteParser}'s semantic checks. A failure throws {@link ModelFormatException} naming the
 * byte offset and the path to the bad item, e.g. {@code subgraphs[0].tensors[12].shape}.
 */
final class FlatBufferVerifier {

    /** Nesting limit; the TFLite schema needs 5 levels, FlatBuffers' verifier defaults to 64. */
    static final int DEFAULT_MAX_DEPTH = 64;
    /** Work allowed on top of {@link #WORK_PER_BYTE} units per byte of the file. */
    static final long BASE_WORK = 512 * 1024;
    /**
     * Work allowed per byte of the file: generous, since a model of many tiny tables (empty buffers, empty
     * options) honestly needs several units per byte, while the per-table charge already keeps the objects
     * the parser builds within a few dozen bytes per byte of file.
     */
    static final long WORK_PER_BYTE = 4;
    /**
     * Work charged per table: the parser allocates a few hundred bytes of objects per table it reads, and
     * a table is at least 4 bytes of file, so tables shared by many offsets cost more than their bytes.
     */
    static final int TABLE_WORK = 32;

    /** Largest vtable or table size the Java accessors read correctly (they read them as signed shorts). */
    private static final int MAX_INLINE_SIZE = 0x7FFF;

    // Field ids (declaration order in schema.fbs) of the tables the parser reads.
    static final int MODEL_VERSION = 0, MODEL_OPERATOR_CODES = 1, MODEL_SUBGRAPHS = 2, MODEL_DESCRIPTION = 3,
            MODEL_BUFFERS = 4, MODEL_METADATA = 6, MODEL_SIGNATURE_DEFS = 7;
    static final int OPCODE_DEPRECATED_BUILTIN_CODE = 0, OPCODE_CUSTOM_CODE = 1, OPCODE_VERSION = 2,
            OPCODE_BUILTIN_CODE = 3;
    static final int SUBGRAPH_TENSORS = 0, SUBGRAPH_INPUTS = 1, SUBGRAPH_OUTPUTS = 2, SUBGRAPH_OPERATORS = 3,
            SUBGRAPH_NAME = 4;
    static final int TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_NAME = 3, TENSOR_QUANTIZATION = 4,
            TENSOR_IS_VARIABLE = 5, TENSOR_SPARSITY = 6, TENSOR_SHAPE_SIGNATURE = 7;
    static final int QUANT_MIN = 0, QUANT_MAX = 1, QUANT_SCALE = 2, QUANT_ZERO_POINT = 3, QUANT_DETAILS_TYPE = 4,
            QUANT_DETAILS = 5, QUANT_QUANTIZED_DIMENSION = 6;
    static final int OP_OPCODE_INDEX = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_BUILTIN_OPTIONS_TYPE = 3,
            OP_BUILTIN_OPTIONS = 4, OP_CUSTOM_OPTIONS = 5, OP_CUSTOM_OPTIONS_FORMAT = 6, OP_INTERMEDIATES = 8;
    /** Buffer.offset and Buffer.size (external data of models over 2 GB) are newer than the generated classes. */
    static final int BUFFER_DATA = 0, BUFFER_OFFSET = 1, BUFFER_SIZE = 2;
    static final int METADATA_NAME = 0, METADATA_BUFFER = 1;
    static final int SIGNATURE_INPUTS = 0, SIGNATURE_OUTPUTS = 1, SIGNATURE_KEY = 2, SIGNATURE_SUBGRAPH_INDEX = 4;
    static final int TENSOR_MAP_NAME = 0, TENSOR_MAP_TENSOR_INDEX = 1;

    /** Marks a field holding an offset to a vector of 4-byte scalars in {@link #OPTION_FIELD_SIZES}. */
    private static final int INT_VECTOR = -4;

    /**
     * The fields of the builtin options tables the parser decodes, by BuiltinOptions code: field {@code k}
     * is named {@code OPTION_FIELD_NAMES[type][k]} and has {@code OPTION_FIELD_SIZES[type][k]} bytes, or
     * is an {@link #INT_VECTOR}. Other option types are checked as tables only: the parser reads nothing
     * from them.
     */
    private static final String[][] OPTION_FIELD_NAMES = new String[256][];
    private static final int[][] OPTION_FIELD_SIZES = new int[256][];

    static {
        options(org.tensorflow.lite.schema.BuiltinOptions.Conv2DOptions, "padding:1", "stride_w:4", "stride_h:4",
                "fused_activation_function:1", "dilation_w_factor:4", "dilation_h_factor:4");
        options(org.tensorflow.lite.schema.BuiltinOptions.FullyConnectedOptions, "fused_activation_function:1",
                "weights_format:1", "keep_num_dims:1", "asymmetric_quantize_inputs:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.ReshapeOptions, "new_shape:[4]");
        options(org.tensorflow.lite.schema.BuiltinOptions.AddOptions, "fused_activation_function:1",
                "pot_scale_int16:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.SubOptions, "fused_activation_function:1",
                "pot_scale_int16:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.MulOptions, "fused_activation_function:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.DivOptions, "fused_activation_function:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.ReducerOptions, "keep_dims:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.ConcatenationOptions, "axis:4", "fused_activation_function:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.UnidirectionalSequenceLSTMOptions,
                "fused_activation_function:1", "cell_clip:4", "proj_clip:4", "time_major:1",
                "asymmetric_quantize_inputs:1", "diagonal_recurrent_tensors:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.StridedSliceOptions, "begin_mask:4", "end_mask:4",
                "ellipsis_mask:4", "new_axis_mask:4", "shrink_axis_mask:4", "offset:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.GatherOptions, "axis:4", "batch_dims:4");
        options(org.tensorflow.lite.schema.BuiltinOptions.CastOptions, "in_data_type:1", "out_data_type:1");
        options(org.tensorflow.lite.schema.BuiltinOptions.SplitOptions, "num_splits:4");
        options(org.tensorflow.lite.schema.BuiltinOptions.SoftmaxOptions, "beta:4");
        options(org.tensorflow.lite.schema.BuiltinOptions.WhileOptions, "cond_subgraph_index:4",
                "body_subgraph_index:4");
    }

    /** Declares an options table's fields in schema order, each "name:bytes" or "name:[4]" for an int vector. */
    private static void options(int type, String... fields) {
        OPTION_FIELD_NAMES[type] = new String[fields.length];
        OPTION_FIELD_SIZES[type] = new int[fields.length];
        for (int id = 0; id < fields.length; id++) {
            String[] nameAndSize = fields[id].split(":");
            OPTION_FIELD_NAMES[type][id] = nameAndSize[0];
            OPTION_FIELD_SIZES[type][id] =
                    nameAndSize[1].equals("[4]") ? INT_VECTOR : Integer.parseInt(nameAndSize[1]);
        }
    }

    private final ByteBuffer bb;
    private final int size;
    private final int maxDepth;
    private final long maxWork;
    private long work;

    // The path to the item being checked, for messages: names[i] plus "[indices[i]]" when indices[i] >= 0.
    private final String[] names;
    private final int[] indices;
    private int depth;

    /**
     * @param bb       the whole file, little-endian, the FlatBuffer starting at index 0 and ending at the limit
     * @param maxDepth nesting limit
     * @param maxWork  work limit (tables + vector elements + string bytes)
     */
    FlatBufferVerifier(ByteBuffer bb, int maxDepth, long maxWork) {
        this.bb = bb;
        this.size = bb.limit();
        this.maxDepth = maxDepth;
        this.maxWork = maxWork;
        this.names = new String[maxDepth + 1];
        this.indices = new int[maxDepth + 1];
    }

    /** Verifies a whole model with the default limits; {@code bb} as in the constructor. */
    static void verify(ByteBuffer bb) {
        new FlatBufferVerifier(bb, DEFAULT_MAX_DEPTH, BASE_WORK + WORK_PER_BYTE * bb.limit()).verifyModel();
    }

    // ------------------------------------------------------------------ the TFLite schema, top down

    void verifyModel() {
        if (size < 8) {
            throw new ModelFormatException("file of " + size
                    + " bytes is too short for a TFLite FlatBuffer (root offset and identifier need 8)", 0);
        }
        if (bb.get(4) != 'T' || bb.get(5) != 'F' || bb.get(6) != 'L' || bb.get(7) != '3') {
            throw new ModelFormatException("file identifier is " + quoteBytes(4, 4)
                    + ", not \"TFL3\": not a TensorFlow Lite model", 4);
        }
        int model = offsetTarget(0, "root offset");
        table(model);
        scalar(model, MODEL_VERSION, 4, "version");
        tableVector(model, MODEL_OPERATOR_CODES, "operator_codes", this::verifyOperatorCode);
        tableVector(model, MODEL_SUBGRAPHS, "subgraphs", this::verifySubgraph);
        string(model, MODEL_DESCRIPTION, "description");
        tableVector(model, MODEL_BUFFERS, "buffers", this::verifyBuffer);
        tableVector(model, MODEL_METADATA, "metadata", this::verifyMetadata);
        tableVector(model, MODEL_SIGNATURE_DEFS, "signature_defs", this::verifySignatureDef);
    }

    private void verifyOperatorCode(int t) {
        scalar(t, OPCODE_DEPRECATED_BUILTIN_CODE, 1, "deprecated_builtin_code");
        string(t, OPCODE_CUSTOM_CODE, "custom_code");
        scalar(t, OPCODE_VERSION, 4, "version");
        scalar(t, OPCODE_BUILTIN_CODE, 4, "builtin_code");
    }

    private void verifySubgraph(int t) {
        tableVector(t, SUBGRAPH_TENSORS, "tensors", this::verifyTensor);
        scalarVector(t, SUBGRAPH_INPUTS, 4, "inputs", true);
        scalarVector(t, SUBGRAPH_OUTPUTS, 4, "outputs", true);
        tableVector(t, SUBGRAPH_OPERATORS, "operators", this::verifyOperator);
        string(t, SUBGRAPH_NAME, "name");
    }

    private void verifyTensor(int t) {
        scalarVector(t, TENSOR_SHAPE, 4, "shape", true);
        scalar(t, TENSOR_TYPE, 1, "type");
        scalar(t, TENSOR_BUFFER, 4, "buffer");
        string(t, TENSOR_NAME, "name");
        childTable(t, TENSOR_QUANTIZATION, "quantization", this::verifyQuantization);
        scalar(t, TENSOR_IS_VARIABLE, 1, "is_variable");
        // The parser only asks whether sparsity parameters are present (it rejects sparse tensors).
        childTable(t, TENSOR_SPARSITY, "sparsity", q -> { });
        scalarVector(t, TENSOR_SHAPE_SIGNATURE, 4, "shape_signature", true);
    }

    private void verifyQuantization(int t) {
        scalarVector(t, QUANT_MIN, 4, "min", false);
        scalarVector(t, QUANT_MAX, 4, "max", false);
        scalarVector(t, QUANT_SCALE, 4, "scale", false);
        scalarVector(t, QUANT_ZERO_POINT, 8, "zero_point", false);
        union(t, QUANT_DETAILS_TYPE, QUANT_DETAILS, "details", (type, table) -> { });
        scalar(t, QUANT_QUANTIZED_DIMENSION, 4, "quantized_dimension");
    }

    private void verifyOperator(int t) {
        scalar(t, OP_OPCODE_INDEX, 4, "opcode_index");
        scalarVector(t, OP_INPUTS, 4, "inputs", true);
        scalarVector(t, OP_OUTPUTS, 4, "outputs", true);
        union(t, OP_BUILTIN_OPTIONS_TYPE, OP_BUILTIN_OPTIONS, "builtin_options", this::verifyBuiltinOptions);
        scalarVector(t, OP_CUSTOM_OPTIONS, 1, "custom_options", false);
        scalar(t, OP_CUSTOM_OPTIONS_FORMAT, 1, "custom_options_format");
        scalarVector(t, OP_INTERMEDIATES, 4, "intermediates", true);
    }

    private void verifyBuiltinOptions(int type, int t) {
        int[] sizes = OPTION_FIELD_SIZES[type];
        if (sizes == null) return;
        String[] names = OPTION_FIELD_NAMES[type];
        for (int id = 0; id < sizes.length; id++) {
            if (sizes[id] == INT_VECTOR) {
                scalarVector(t, id, 4, names[id], true);
            } else {
                scalar(t, id, sizes[id], names[id]);
            }
        }
    }

    private void verifyBuffer(int t) {
        // Buffer data is sliced, never walked element by element: no work per byte.
        scalarVector(t, BUFFER_DATA, 1, "data", false);
        scalar(t, BUFFER_OFFSET, 8, "offset");
        scalar(t, BUFFER_SIZE, 8, "size");
    }

    private void verifyMetadata(int t) {
        string(t, METADATA_NAME, "name");
        scalar(t, METADATA_BUFFER, 4, "buffer");
    }

    private void verifySignatureDef(int t) {
        tableVector(t, SIGNATURE_INPUTS, "inputs", this::verifyTensorMap);
        tableVector(t, SIGNATURE_OUTPUTS, "outputs", this::verifyTensorMap);
        string(t, SIGNATURE_KEY, "signature_key");
        scalar(t, SIGNATURE_SUBGRAPH_INDEX, 4, "subgraph_index");
    }

    private void verifyTensorMap(int t) {
        string(t, TENSOR_MAP_NAME, "name");
        scalar(t, TENSOR_MAP_TENSOR_INDEX, 4, "tensor_index");
    }

    // ------------------------------------------------------------------ FlatBuffers building blocks

    private interface TableCheck {
        void verify(int tablePosition);
    }

    private interface UnionCheck {
        void verify(int type, int tablePosition);
    }

    /** Checks a table's header and vtable; its fields are checked as they are asked for. */
    private void table(int t) {
        charge(TABLE_WORK);
        if ((t & 3) != 0) fail("table is not 4-byte aligned", t);
        if (t + 4L > size) fail("table header runs past the end of the " + size + "-byte buffer", t);
        long vtable = (long) t - bb.getInt(t);
        if (vtable < 0 || vtable + 4 > size) {
            fail("vtable at " + vtable + " lies outside the " + size + "-byte buffer", t);
        }
        if ((vtable & 1) != 0) fail("vtable at " + vtable + " is not 2-byte aligned", t);
        int vtableSize = u16(vtable);
        int tableSize = u16(vtable + 2);
        if (vtableSize < 4 || (vtableSize & 1) != 0 || vtableSize > MAX_INLINE_SIZE) {
            fail("vtable at " + vtable + " has an invalid size of " + vtableSize + " bytes", t);
        }
        if (vtable + vtableSize > size) {
            fail("vtable at " + vtable + " of " + vtableSize + " bytes runs past the end of the buffer", t);
        }
        if (tableSize < 4 || tableSize > MAX_INLINE_SIZE) {
            fail("table has an invalid size of " + tableSize + " bytes", t);
        }
        if (t + (long) tableSize > size) {
            fail("table of " + tableSize + " bytes runs past the end of the " + size + "-byte buffer", t);
        }
    }

    /**
     * The position of field {@code id} of the (checked) table at {@code t}, or -1 when the field is absent;
     * checks that its {@code fieldSize} bytes lie inside the table and are aligned.
     */
    private int field(int t, int id, int fieldSize, String name) {
        int vtable = t - bb.getInt(t);
        int entry = 4 + 2 * id;
        if (entry >= u16(vtable)) return -1;
        int fieldOffset = u16(vtable + entry);
        if (fieldOffset == 0) return -1;
        int tableSize = u16(vtable + 2);
        if (fieldOffset < 4 || fieldOffset + fieldSize > tableSize) {
            enter(name);
            fail("field of " + fieldSize + " bytes at offset " + fieldOffset + " lies outside its "
                    + tableSize + "-byte table", t);
        }
        int p = t + fieldOffset;
        if (p % fieldSize != 0) {
            enter(name);
            fail("field of " + fieldSize + " bytes is not aligned", p);
        }
        return p;
    }

    private void scalar(int t, int id, int fieldSize, String name) {
        field(t, id, fieldSize, name);
    }

    /** Follows the offset stored at {@code at} (already in bounds) and returns its target. */
    private int offsetTarget(int at, String name) {
        long offset = bb.getInt(at) & 0xFFFFFFFFL;
        if (offset == 0 || offset > Integer.MAX_VALUE) {
            fail("invalid offset " + offset + " (" + name + ")", at);
        }
        long target = at + offset;
        if (target >= size) {
            fail("offset " + offset + " (" + name + ") points to byte " + target + ", past the end of the "
                    + size + "-byte buffer", at);
        }
        return (int) target;
    }

    /**
     * Checks the vector that field {@code id} points to; returns its position (the length prefix),
     * or -1 when the field is absent. {@code walked}: the parser reads it element by element.
     */
    private int vector(int t, int id, int elementSize, String name, boolean walked) {
        int p = field(t, id, 4, name);
        if (p < 0) return -1;
        enter(name);
        int v = offsetTarget(p, "vector");
        if ((v & 3) != 0) fail("vector is not 4-byte aligned", v);
        if (v + 4L > size) fail("vector length runs past the end of the " + size + "-byte buffer", v);
        long length = bb.getInt(v) & 0xFFFFFFFFL;
        long end = v + 4L + length * elementSize;
        if (end > size) {
            fail("vector of " + length + " elements of " + elementSize + " bytes ends at byte " + end
                    + ", past the end of the " + size + "-byte buffer", v);
        }
        if (walked) charge(length);
        exit();
        return v;
    }

    private void scalarVector(int t, int id, int elementSize, String name, boolean walked) {
        vector(t, id, elementSize, name, walked);
    }

    private void string(int t, int id, String name) {
        int v = vector(t, id, 1, name, true);
        if (v < 0) return;
        long end = v + 4L + (bb.getInt(v) & 0xFFFFFFFFL);
        if (end >= size || bb.get((int) end) != 0) {
            enter(name);
            fail("string is not NUL-terminated", v);
        }
    }

    private void tableVector(int t, int id, String name, TableCheck check) {
        int v = vector(t, id, 4, name, true);
        if (v < 0) return;
        int length = bb.getInt(v);
        enter(name);
        for (int i = 0; i < length; i++) {
            indices[depth - 1] = i;
            int element = offsetTarget(v + 4 + 4 * i, "vector element");
            table(element);
            check.verify(element);
        }
        exit();
    }

    private void childTable(int t, int id, String name, TableCheck check) {
        int p = field(t, id, 4, name);
        if (p < 0) return;
        enter(name);
        int child = offsetTarget(p, "table");
        table(child);
        check.verify(child);
        exit();
    }

    /** A union: a ubyte type field and a table field; the table is checked when both are present. */
    private void union(int t, int typeId, int valueId, String name, UnionCheck check) {
        int typePosition = field(t, typeId, 1, name + "_type");
        int p = field(t, valueId, 4, name);
        if (typePosition < 0 || p < 0) return;
        int type = bb.get(typePosition) & 0xFF;
        if (type == 0) return;
        enter(name);
        int child = offsetTarget(p, "table");
        table(child);
        check.verify(type, child);
        exit();
    }

    // ------------------------------------------------------------------ limits, paths, messages

    /** Units of work charged so far. */
    long work() {
        return work;
    }

    private void charge(long units) {
        work += units;
        if (work > maxWork) {
            fail("verification needs more than " + maxWork + " units of work (tables, vector elements, string "
                    + "bytes) for a " + size + "-byte file: offsets share structures to multiply the work", -1);
        }
    }

    private void enter(String name) {
        if (depth >= maxDepth) fail("nesting deeper than " + maxDepth + " levels", -1);
        names[depth] = name;
        indices[depth] = -1;
        depth++;
    }

    private void exit() {
        depth--;
    }

    private int u16(long position) {
        return bb.getShort((int) position) & 0xFFFF;
    }

    private String quoteBytes(int from, int count) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < count; i++) {
            int b = bb.get(from + i) & 0xFF;
            s.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return s.append('"').toString();
    }

    /** The path to the item being checked, e.g. "subgraphs[0].tensors[12].shape". */
    String path() {
        if (depth == 0) return "the root table";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) s.append('.');
            s.append(names[i]);
            if (indices[i] >= 0) s.append('[').append(indices[i]).append(']');
        }
        return s.toString();
    }

    private void fail(String problem, long offset) {
        throw new ModelFormatException(problem + " at " + path(), offset);
    }
}

package org.tfl4j.engine.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where the structure of a valid {@code .tflite} FlatBuffer lives: every offset, vtable, vector length,
 * shape dimension, index and enum field, found by walking the TFLite schema from the root table. The
 * fuzzer corrupts these places on purpose (structure-aware mutations) instead of hoping a random flip
 * lands on one.
 *
 * <p>Only for files that parse: the walk trusts the bytes. Field ids follow schema.fbs.
 */
public final class FlatBufferMap {

    /** What a recorded place holds. */
    enum Kind {
        /** A uoffset (4 bytes) to a table, vector or string. */
        UOFFSET,
        /** The soffset at the start of a table that locates its vtable. */
        VTABLE_SOFFSET,
        /** A vtable's own size or its table's size (u16). */
        VTABLE_HEADER,
        /** A vtable entry: a field's offset inside its table (u16). */
        VTABLE_ENTRY,
        /** The 4-byte length of a vector or string. */
        VECTOR_LENGTH,
        /** One dimension of a tensor's shape (or shape_signature). */
        SHAPE_DIM,
        /** The length of a constant buffer's data vector. */
        BUFFER_DATA_LENGTH,
        /** Operator.opcode_index. */
        OPCODE_INDEX,
        /** A tensor index: op inputs/outputs/intermediates, subgraph inputs/outputs, signature tensor_index. */
        TENSOR_INDEX,
        /** Tensor.buffer or Metadata.buffer. */
        BUFFER_INDEX,
        /** Tensor.type (a byte). */
        TENSOR_TYPE,
        /** OperatorCode.builtin_code or deprecated_builtin_code. */
        BUILTIN_CODE,
        /** Operator.builtin_options_type (the union's type byte). */
        OPTIONS_TYPE,
        /** A scalar field of a builtin options table (stride, axis, activation, subgraph index ...). */
        OPTIONS_FIELD,
        /** SignatureDef.subgraph_index. */
        SUBGRAPH_INDEX,
        /** Tensor.is_variable. */
        FLAG
    }

    /** One place: its kind, byte position and size, and (for offsets) where it points and what contains it. */
    record Site(Kind kind, int position, int size, int target, int container) {}

    private final ByteBuffer bb;
    private final Map<Kind, List<Site>> sites = new EnumMap<>(Kind.class);
    /** Start of every table and vector seen, for offsets that should land on another structure. */
    private final List<Integer> structures = new ArrayList<>();
    /** Byte ranges [start, end) of constant data, where flips change numbers rather than structure. */
    private final List<int[]> dataRanges = new ArrayList<>();

    private FlatBufferMap(byte[] file) {
        this.bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (Kind k : Kind.values()) sites.put(k, new ArrayList<>());
    }

    /** Maps a file that parses. */
    static FlatBufferMap of(byte[] file) {
        FlatBufferMap m = new FlatBufferMap(file);
        m.model(m.uoffset(0, -1));
        return m;
    }

    List<Site> sites(Kind kind) {
        return sites.get(kind);
    }

    List<Integer> structures() {
        return structures;
    }

    List<int[]> dataRanges() {
        return dataRanges;
    }

    // ------------------------------------------------------------------ the schema

    private void model(int t) {
        table(t);
        tables(t, 1, this::operatorCode);
        tables(t, 2, this::subgraph);
        string(t, 3);
        tables(t, 4, this::buffer);
        tables(t, 6, this::metadata);
        tables(t, 7, this::signatureDef);
    }

    private void operatorCode(int t) {
        scalar(t, 0, 1, Kind.BUILTIN_CODE);
        string(t, 1);
        scalar(t, 3, 4, Kind.BUILTIN_CODE);
    }

    private void subgraph(int t) {
        tables(t, 0, this::tensor);
        ints(t, 1, Kind.TENSOR_INDEX);
        ints(t, 2, Kind.TENSOR_INDEX);
        tables(t, 3, this::operator);
        string(t, 4);
    }

    private void tensor(int t) {
        ints(t, 0, Kind.SHAPE_DIM);
        scalar(t, 1, 1, Kind.TENSOR_TYPE);
        scalar(t, 2, 4, Kind.BUFFER_INDEX);
        string(t, 3);
        int q = child(t, 4);
        if (q >= 0) {
            for (int id = 0; id < 4; id++) vector(q, id);
        }
        scalar(t, 5, 1, Kind.FLAG);
        ints(t, 7, Kind.SHAPE_DIM);
    }

    private void operator(int t) {
        scalar(t, 0, 4, Kind.OPCODE_INDEX);
        ints(t, 1, Kind.TENSOR_INDEX);
        ints(t, 2, Kind.TENSOR_INDEX);
        scalar(t, 3, 1, Kind.OPTIONS_TYPE);
        int options = child(t, 4);
        if (options >= 0) optionsFields(options);
        vector(t, 5);
        ints(t, 8, Kind.TENSOR_INDEX);
    }

    private void buffer(int t) {
        int v = vector(t, 0);
        if (v >= 0) {
            int length = bb.getInt(v);
            sites.get(Kind.BUFFER_DATA_LENGTH).add(new Site(Kind.BUFFER_DATA_LENGTH, v, 4, v + 4, t));
            if (length > 0) dataRanges.add(new int[] {v + 4, v + 4 + length});
        }
    }

    private void metadata(int t) {
        string(t, 0);
        scalar(t, 1, 4, Kind.BUFFER_INDEX);
    }

    private void signatureDef(int t) {
        tables(t, 0, this::tensorMap);
        tables(t, 1, this::tensorMap);
        string(t, 2);
        scalar(t, 4, 4, Kind.SUBGRAPH_INDEX);
    }

    private void tensorMap(int t) {
        string(t, 0);
        scalar(t, 1, 4, Kind.TENSOR_INDEX);
    }

    /** Every field of an options table, sized by the gap to the next field (at most 4 bytes). */
    private void optionsFields(int t) {
        int vtable = t - bb.getInt(t);
        int vtableSize = u16(vtable);
        int tableSize = u16(vtable + 2);
        List<Integer> offsets = new ArrayList<>();
        for (int e = 4; e < vtableSize; e += 2) {
            int o = u16(vtable + e);
            if (o != 0) offsets.add(o);
        }
        offsets.sort(null);
        for (int i = 0; i < offsets.size(); i++) {
            int o = offsets.get(i);
            int end = i + 1 < offsets.size() ? offsets.get(i + 1) : tableSize;
            int size = Math.min(4, end - o);
            if (size == 3) size = 2;
            if (size > 0) sites.get(Kind.OPTIONS_FIELD).add(new Site(Kind.OPTIONS_FIELD, t + o, size, -1, t));
        }
    }

    // ------------------------------------------------------------------ FlatBuffers building blocks

    private int u16(int position) {
        return bb.getShort(position) & 0xFFFF;
    }

    private void table(int t) {
        structures.add(t);
        int vtable = t - bb.getInt(t);
        sites.get(Kind.VTABLE_SOFFSET).add(new Site(Kind.VTABLE_SOFFSET, t, 4, vtable, t));
        sites.get(Kind.VTABLE_HEADER).add(new Site(Kind.VTABLE_HEADER, vtable, 2, -1, t));
        sites.get(Kind.VTABLE_HEADER).add(new Site(Kind.VTABLE_HEADER, vtable + 2, 2, -1, t));
        int vtableSize = u16(vtable);
        for (int e = 4; e < vtableSize; e += 2) {
            if (u16(vtable + e) != 0) sites.get(Kind.VTABLE_ENTRY).add(new Site(Kind.VTABLE_ENTRY, vtable + e, 2, -1, t));
        }
    }

    /** Position of field {@code id} of table {@code t}, or -1 when absent. */
    private int field(int t, int id) {
        int vtable = t - bb.getInt(t);
        int entry = 4 + 2 * id;
        if (entry >= u16(vtable)) return -1;
        int o = u16(vtable + entry);
        return o == 0 ? -1 : t + o;
    }

    private int uoffset(int at, int container) {
        int target = at + bb.getInt(at);
        sites.get(Kind.UOFFSET).add(new Site(Kind.UOFFSET, at, 4, target, container));
        return target;
    }

    private void scalar(int t, int id, int size, Kind kind) {
        int p = field(t, id);
        if (p >= 0) sites.get(kind).add(new Site(kind, p, size, -1, t));
    }

    /** The vector in field {@code id} (its length's position), or -1. */
    private int vector(int t, int id) {
        int p = field(t, id);
        if (p < 0) return -1;
        int v = uoffset(p, t);
        structures.add(v);
        sites.get(Kind.VECTOR_LENGTH).add(new Site(Kind.VECTOR_LENGTH, v, 4, v + 4, t));
        return v;
    }

    private void string(int t, int id) {
        vector(t, id);
    }

    private void ints(int t, int id, Kind elementKind) {
        int v = vector(t, id);
        if (v < 0) return;
        int n = bb.getInt(v);
        for (int i = 0; i < n; i++) sites.get(elementKind).add(new Site(elementKind, v + 4 + 4 * i, 4, -1, t));
    }

    private int child(int t, int id) {
        int p = field(t, id);
        if (p < 0) return -1;
        int c = uoffset(p, t);
        table(c);
        return c;
    }

    private void tables(int t, int id, java.util.function.IntConsumer each) {
        int v = vector(t, id);
        if (v < 0) return;
        int n = bb.getInt(v);
        for (int i = 0; i < n; i++) {
            int element = uoffset(v + 4 + 4 * i, v);
            table(element);
            each.accept(element);
        }
    }
}

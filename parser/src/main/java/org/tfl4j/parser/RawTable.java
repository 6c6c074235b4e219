package org.tfl4j.parser;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;

/**
 * Access to what the generated schema classes of tensorflow-lite-metadata 0.4.4 cannot give: fields
 * added to schema.fbs after they were generated ({@code Buffer.offset}, {@code Buffer.size}) and
 * whether a field is present at all (a stored default and an absent field read the same through the
 * generated accessors). Only used on tables {@link FlatBufferVerifier} has checked.
 */
final class RawTable extends Table {

    /** Points this view at the table at {@code position} of {@code bb}. */
    RawTable at(int position, ByteBuffer bb) {
        __reset(position, bb);
        return this;
    }

    /** The root table of a FlatBuffer that starts at index 0. */
    static RawTable root(ByteBuffer bb) {
        return new RawTable().at(bb.getInt(0), bb);
    }

    /** Whether field {@code id} (declaration index in the schema) is stored. */
    boolean has(int id) {
        return __offset(4 + 2 * id) != 0;
    }

    /** A ulong field as a Java long (the same 64 bits), or 0 when absent. */
    long uint64(int id) {
        int o = __offset(4 + 2 * id);
        return o != 0 ? bb.getLong(bb_pos + o) : 0L;
    }

    /** Element {@code index} of the vector of tables in field {@code id}, into {@code into}. */
    RawTable tableInVector(int id, int index, RawTable into) {
        int o = __offset(4 + 2 * id);
        return into.at(__indirect(__vector(o) + 4 * index), bb);
    }

    /** Position of this table in the buffer (for messages). */
    int position() {
        return bb_pos;
    }
}

package org.tfl4j.engine.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.tfl4j.engine.fuzz.FlatBufferMap.Kind;
import org.tfl4j.engine.fuzz.FlatBufferMap.Site;

/**
 * Seeded mutations of a valid {@code .tflite} file: blind ones (byte flips, truncations, splices of two
 * files) and structure-aware ones that corrupt a real offset, length, vtable, shape, index or enum found
 * by {@link FlatBufferMap}. Every mutation says what it did and at which byte, so a failing case can be
 * read and replayed.
 */
public final class Mutator {

    /** The mutation kinds, with their relative weights. */
    public enum Mutation {
        BYTE_FLIPS(14),
        TRUNCATION(6),
        SPLICE(6),
        VECTOR_LENGTH(8),
        UOFFSET_PAST_END(4),
        UOFFSET_BACKWARD(4),
        UOFFSET_CYCLE(5),
        UOFFSET_OVERLAP(8),
        VTABLE(8),
        SHAPE(10),
        BUFFER_SIZE(5),
        OPCODE_INDEX(4),
        TENSOR_INDEX(10),
        BUFFER_INDEX(4),
        TENSOR_TYPE(4),
        BUILTIN_CODE(4),
        OPTIONS(8),
        SUBGRAPH_INDEX(2),
        VARIABLE_FLAG(2),
        /** An int32 of constant data (a gather index, slice bound, axis, k, new shape) set to a nasty value. */
        CONSTANT_VALUE(6),
        /** Two to four structure-aware mutations on top of each other. */
        STACKED(6);

        final int weight;

        Mutation(int weight) {
            this.weight = weight;
        }

        private static final int TOTAL = Arrays.stream(values()).mapToInt(m -> m.weight).sum();

        static Mutation pick(Random random) {
            int r = random.nextInt(TOTAL);
            for (Mutation m : values()) {
                r -= m.weight;
                if (r < 0) return m;
            }
            throw new AssertionError();
        }
    }

    /** The mutated bytes and what was done: the kind, the first byte changed, and a description. */
    public record Mutant(byte[] bytes, Mutation kind, int offset, String detail) {}

    /** Values that break size arithmetic and range checks. */
    private static final int[] NASTY_INTS = {
        0, 1, -1, 2, -2, 3, 7, 8, 16, 127, 128, 255, 256, 4096, 32767, 32768, 65535, 65536, 46341, 1 << 20,
        1 << 24, 1 << 30, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MAX_VALUE - 7, Integer.MIN_VALUE,
        Integer.MIN_VALUE + 1, 0x40000000, 0x7FFFFFF0, -65536};

    private Mutator() {}

    /**
     * One mutation of {@code seed} (not modified). {@code other} is a second file for splices;
     * falls back to byte flips when the chosen structure does not exist in the seed.
     */
    public static Mutant mutate(byte[] seed, FlatBufferMap map, byte[] other, Random random) {
        Mutation kind = Mutation.pick(random);
        if (kind == Mutation.STACKED) {
            // The seed's map still locates structure in a file whose other places were already changed.
            int n = 2 + random.nextInt(3);
            byte[] b = seed;
            int first = -1;
            StringBuilder detail = new StringBuilder();
            for (int i = 0; i < n; i++) {
                Mutation k;
                do {
                    k = Mutation.pick(random);
                } while (k == Mutation.STACKED || k == Mutation.TRUNCATION || k == Mutation.SPLICE || k == Mutation.BYTE_FLIPS);
                Mutant m = structural(k, b, map, random);
                if (m == null) continue;
                b = m.bytes();
                if (first < 0) first = m.offset();
                detail.append(detail.length() == 0 ? "" : "; ").append(k).append(" at byte ").append(m.offset()).append(": ")
                        .append(m.detail());
            }
            if (first >= 0) return new Mutant(b, kind, first, detail.toString());
            return flips(seed, map, random);
        }
        Mutant m = structural(kind, seed, map, random);
        if (m != null) return m;
        switch (kind) {
            case TRUNCATION: {
                int length = random.nextInt(4) == 0 ? random.nextInt(Math.min(seed.length, 64)) : random.nextInt(seed.length);
                return new Mutant(Arrays.copyOf(seed, length), kind, length, "truncated to " + length + " of " + seed.length + " bytes");
            }
            case SPLICE:
                return splice(seed, other, random);
            default:
                return flips(seed, map, random);
        }
    }

    private static Mutant flips(byte[] seed, FlatBufferMap map, Random random) {
        byte[] b = seed.clone();
        int n = 1 + random.nextInt(8);
        int first = -1;
        StringBuilder detail = new StringBuilder("flipped bytes");
        for (int i = 0; i < n; i++) {
            int at = structureByte(b.length, map, random);
            b[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : b[at] ^ (1 << random.nextInt(8)));
            if (first < 0) first = at;
            detail.append(' ').append(at);
        }
        return new Mutant(b, Mutation.BYTE_FLIPS, first, detail.toString());
    }

    /** A random byte, 9 times in 10 outside constant data (where structure lives). */
    private static int structureByte(int length, FlatBufferMap map, Random random) {
        for (int attempt = 0; attempt < 16; attempt++) {
            int at = random.nextInt(length);
            if (random.nextInt(10) == 0 || !inData(map.dataRanges(), at)) return at;
        }
        return random.nextInt(length);
    }

    private static boolean inData(List<int[]> ranges, int at) {
        for (int[] r : ranges) if (at >= r[0] && at < r[1]) return true;
        return false;
    }

    /** Prefix of one file, rest of the other (or a block of the other pasted in), at random points. */
    private static Mutant splice(byte[] a, byte[] b, Random random) {
        if (random.nextBoolean()) {
            int cutA = random.nextInt(a.length + 1);
            int cutB = random.nextInt(b.length + 1);
            byte[] out = new byte[cutA + b.length - cutB];
            System.arraycopy(a, 0, out, 0, cutA);
            System.arraycopy(b, cutB, out, cutA, b.length - cutB);
            return new Mutant(out, Mutation.SPLICE, cutA, "first " + cutA + " bytes, then the other file from byte " + cutB);
        }
        byte[] out = a.clone();
        int length = 1 + random.nextInt(Math.min(256, Math.min(a.length, b.length)));
        int from = random.nextInt(b.length - length + 1);
        int to = random.nextInt(a.length - length + 1);
        System.arraycopy(b, from, out, to, length);
        return new Mutant(out, Mutation.SPLICE, to, length + " bytes of the other file (from byte " + from + ") pasted over");
    }

    /** A structure-aware mutation, or null when the seed has no place of the needed kind. */
    private static Mutant structural(Mutation kind, byte[] seed, FlatBufferMap map, Random random) {
        switch (kind) {
            case VECTOR_LENGTH: {
                Site s = pick(map.sites(Kind.VECTOR_LENGTH), random);
                if (s == null) return null;
                int old = getInt(seed, s.position());
                int[] choices = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, old + 1, old * 2 + 1, 0, old - 1, 1 << 29,
                    (seed.length - s.position()) / 4, (seed.length - s.position()) / 4 + 1};
                return putInt(seed, kind, s, choices[random.nextInt(choices.length)], "vector length");
            }
            case UOFFSET_PAST_END: {
                Site s = pick(map.sites(Kind.UOFFSET), random);
                if (s == null) return null;
                int[] choices = {seed.length - s.position(), seed.length - s.position() - 1, seed.length - s.position() - 4,
                    seed.length, Integer.MAX_VALUE, 1 << 30};
                return putInt(seed, kind, s, choices[random.nextInt(choices.length)], "uoffset past the end");
            }
            case UOFFSET_BACKWARD: {
                Site s = pick(map.sites(Kind.UOFFSET), random);
                if (s == null) return null;
                int back = random.nextBoolean() ? -s.position() : -random.nextInt(s.position() + 1);
                return putInt(seed, kind, s, back == 0 ? -4 : back, "uoffset pointing backwards");
            }
            case UOFFSET_CYCLE: {
                // Into itself (offset 0), onto the table holding it, or onto the root: cycles through the tree.
                Site s = pick(map.sites(Kind.UOFFSET), random);
                if (s == null) return null;
                int root = getInt(seed, 0);
                int[] targets = {s.position(), s.container(), root, s.position() + 4};
                int target = targets[random.nextInt(targets.length)];
                return putInt(seed, kind, s, target - s.position(), "uoffset onto byte " + target + " (itself, its table or the root)");
            }
            case UOFFSET_OVERLAP: {
                // Onto another table or vector: two parents share, or a table is read as another type.
                Site s = pick(map.sites(Kind.UOFFSET), random);
                if (s == null || map.structures().isEmpty()) return null;
                int target = map.structures().get(random.nextInt(map.structures().size()));
                if (random.nextInt(4) == 0) target += 4 * (random.nextInt(5) - 2);
                return putInt(seed, kind, s, target - s.position(), "uoffset onto byte " + target);
            }
            case VTABLE: {
                int which = random.nextInt(3);
                Kind k = which == 0 ? Kind.VTABLE_SOFFSET : which == 1 ? Kind.VTABLE_HEADER : Kind.VTABLE_ENTRY;
                Site s = pick(map.sites(k), random);
                if (s == null) return null;
                if (k == Kind.VTABLE_SOFFSET) {
                    int old = getInt(seed, s.position());
                    int[] choices = {0, 4, -4, old + 2, old - 4, old + 4, s.position() + 8, -seed.length, Integer.MIN_VALUE,
                        s.position() - (s.target() & ~3) + 2};
                    return putInt(seed, kind, s, choices[random.nextInt(choices.length)], "table's vtable soffset");
                }
                int old = getU16(seed, s.position());
                int[] choices = {0, 1, 2, 3, 4, 0xFFFF, 0x8000, 0x7FFF, old + 1, old + 2, old + 4, old - 2, old * 2, 255};
                return putU16(seed, kind, s, choices[random.nextInt(choices.length)], k == Kind.VTABLE_HEADER ? "vtable header" : "vtable entry");
            }
            case SHAPE: {
                Site s = pick(map.sites(Kind.SHAPE_DIM), random);
                if (s == null) return null;
                if (random.nextInt(4) == 0) {
                    // Every dimension of the shape large: int and long products overflow.
                    int big = random.nextBoolean() ? Integer.MAX_VALUE : random.nextBoolean() ? 65536 : 46341;
                    byte[] b = seed.clone();
                    int count = 0;
                    for (Site d : map.sites(Kind.SHAPE_DIM)) {
                        if (d.container() == s.container()) {
                            putInt(b, d.position(), big);
                            count++;
                        }
                    }
                    return new Mutant(b, kind, s.position(), count + " dimensions set to " + big);
                }
                int old = getInt(seed, s.position());
                int[] choices = {-1, -2, Integer.MIN_VALUE, Integer.MAX_VALUE, 65536, 46341, 0, old + 1, old * 2, old - 1,
                    1 << 20, 1 << 26, old * 1000};
                return putInt(seed, kind, s, choices[random.nextInt(choices.length)], "shape dimension");
            }
            case BUFFER_SIZE: {
                Site s = pick(map.sites(Kind.BUFFER_DATA_LENGTH), random);
                if (s == null) return null;
                int old = getInt(seed, s.position());
                int[] choices = {old - 1, old / 2, old - 4, 0, 1, old + 4, old + 1, 3};
                return putInt(seed, kind, s, choices[random.nextInt(choices.length)], "buffer data length (was " + old + ")");
            }
            case OPCODE_INDEX:
                return index(seed, map, Kind.OPCODE_INDEX, kind, random);
            case TENSOR_INDEX:
                return index(seed, map, Kind.TENSOR_INDEX, kind, random);
            case BUFFER_INDEX:
                return index(seed, map, Kind.BUFFER_INDEX, kind, random);
            case SUBGRAPH_INDEX: {
                Mutant m = index(seed, map, Kind.SUBGRAPH_INDEX, kind, random);
                return m != null ? m : bytesAt(seed, map, Kind.OPTIONS_FIELD, kind, random);
            }
            case TENSOR_TYPE:
                return bytesAt(seed, map, Kind.TENSOR_TYPE, kind, random);
            case BUILTIN_CODE:
                return bytesAt(seed, map, Kind.BUILTIN_CODE, kind, random);
            case OPTIONS:
                return random.nextInt(3) == 0 ? bytesAt(seed, map, Kind.OPTIONS_TYPE, kind, random)
                        : bytesAt(seed, map, Kind.OPTIONS_FIELD, kind, random);
            case VARIABLE_FLAG:
                return bytesAt(seed, map, Kind.FLAG, kind, random);
            case CONSTANT_VALUE: {
                // Small buffers hold what ops read at prepare (indices, bounds, axes, k, shapes); weights are large.
                List<int[]> small = new java.util.ArrayList<>();
                for (int[] r : map.dataRanges()) if (r[1] - r[0] >= 4 && r[1] - r[0] <= 64 && (r[0] & 3) == 0) small.add(r);
                if (small.isEmpty()) return null;
                int[] r = small.get(random.nextInt(small.size()));
                int at = r[0] + 4 * random.nextInt((r[1] - r[0]) / 4);
                int value = random.nextBoolean() ? NASTY_INTS[random.nextInt(NASTY_INTS.length)] : random.nextInt(41) - 20;
                byte[] b = seed.clone();
                int old = getInt(seed, at);
                putInt(b, at, value);
                return new Mutant(b, kind, at, "constant int32 " + old + " -> " + value);
            }
            default:
                return null;
        }
    }

    /** An index set out of range, to -1, or to another (valid-looking) small value. */
    private static Mutant index(byte[] seed, FlatBufferMap map, Kind k, Mutation kind, Random random) {
        Site s = pick(map.sites(k), random);
        if (s == null) return null;
        int old = getInt(seed, s.position());
        int value = random.nextInt(3) == 0 ? NASTY_INTS[random.nextInt(NASTY_INTS.length)]
                : random.nextBoolean() ? random.nextInt(Math.max(1, old * 2 + 2)) : old + random.nextInt(5) - 2;
        return putInt(seed, kind, s, value, k.name().toLowerCase() + " (was " + old + ")");
    }

    /** A scalar field (1, 2 or 4 bytes) set to a nasty or random value. */
    private static Mutant bytesAt(byte[] seed, FlatBufferMap map, Kind k, Mutation kind, Random random) {
        Site s = pick(map.sites(k), random);
        if (s == null) return null;
        int value = random.nextBoolean() ? NASTY_INTS[random.nextInt(NASTY_INTS.length)] : random.nextInt(256) - 8;
        byte[] b = seed.clone();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (s.size()) {
            case 1: bb.put(s.position(), (byte) value); break;
            case 2: bb.putShort(s.position(), (short) value); break;
            default: bb.putInt(s.position(), value); break;
        }
        return new Mutant(b, kind, s.position(), k.name().toLowerCase() + " set to " + value + " (" + s.size() + " bytes)");
    }

    private static Site pick(List<Site> sites, Random random) {
        return sites.isEmpty() ? null : sites.get(random.nextInt(sites.size()));
    }

    private static Mutant putInt(byte[] seed, Mutation kind, Site s, int value, String what) {
        byte[] b = seed.clone();
        int old = getInt(seed, s.position());
        putInt(b, s.position(), value);
        return new Mutant(b, kind, s.position(), what + " " + old + " -> " + value);
    }

    private static Mutant putU16(byte[] seed, Mutation kind, Site s, int value, String what) {
        byte[] b = seed.clone();
        int old = getU16(seed, s.position());
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(s.position(), (short) value);
        return new Mutant(b, kind, s.position(), what + " " + old + " -> " + (value & 0xFFFF));
    }

    static int getInt(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    static void putInt(byte[] b, int at, int value) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    private static int getU16(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(at) & 0xFFFF;
    }
}

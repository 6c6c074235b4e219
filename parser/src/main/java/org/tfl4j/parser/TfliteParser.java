package org.tfl4j.parser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.TensorMap;

/**
 * Reads a {@code .tflite} file into a verified, immutable {@link TfliteModel}.
 *
 * <p>Two passes: {@link FlatBufferVerifier} first proves every offset, table, vector and string the
 * parser will touch lies inside the bytes; then this class reads them through the generated schema
 * classes ({@code org.tensorflow.lite.schema}) and checks what the values mean: schema version,
 * operator code and tensor, buffer and subgraph indices in range, known tensor types and enum codes,
 * non-negative shapes whose size fits in an int, constant data of exactly the size the shape needs,
 * options of the type the op expects, and the subgraphs WHILE ops call ({@link ControlFlowChecks}: counts, types and
 * static shapes of the loop values, no subgraph reaching itself). Anything wrong throws {@link ModelFormatException} saying
 * what and where; no other exception escapes for any input bytes.
 *
 * <p>Constant tensor data is not copied: {@link Tensor#data()} is a read-only view of the bytes given
 * to {@link #parse(ByteBuffer)}, which must therefore not be modified while the model is in use.
 */
public final class TfliteParser {

    /** Schema version of every current TFLite file. */
    public static final int SCHEMA_VERSION = 3;

    private final ByteBuffer bb;
    private final Model model;
    private final int bufferCount;
    private final int subgraphCount;
    /** Constant data of each buffer (null = none), resolved once. */
    private final ByteBuffer[] bufferData;

    private TfliteParser(ByteBuffer bb) {
        this.bb = bb;
        this.model = Model.getRootAsModel(bb);
        this.bufferCount = model.buffersLength();
        this.subgraphCount = model.subgraphsLength();
        this.bufferData = new ByteBuffer[bufferCount];
    }

    /**
     * Parses a model from the bytes between the buffer's position and limit. The buffer's position,
     * limit and byte order are left unchanged; tensor data are views of it (see the class comment).
     */
    public static TfliteModel parse(ByteBuffer bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer bb = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        FlatBufferVerifier.verify(bb);
        return new TfliteParser(bb).read();
    }

    /** Parses a model held in an array (not copied: do not modify it while the model is in use). */
    public static TfliteModel parse(byte[] bytes) {
        return parse(ByteBuffer.wrap(Objects.requireNonNull(bytes, "bytes")));
    }

    /**
     * Reads and parses a model file.
     *
     * @throws ModelFormatException when the file is 2 GiB or larger or not a valid model
     * @throws IOException          when the file cannot be read
     */
    public static TfliteModel parse(Path file) throws IOException {
        long size = Files.size(file);
        // A Java array (and so a heap ByteBuffer) cannot hold 2 GiB; TFLite files that large keep their
        // weights outside the FlatBuffer anyway, which needs a 64-bit reader.
        if (size >= (1L << 31) - 8) {
            throw new ModelFormatException("model file " + file + " has " + size
                    + " bytes; files of 2 GiB or more are not supported");
        }
        byte[] bytes = Files.readAllBytes(file);
        return parse(bytes);
    }

    // ------------------------------------------------------------------ model

    private TfliteModel read() {
        long version = model.version();
        if (version != SCHEMA_VERSION) {
            throw new ModelFormatException("model schema version is " + version + ", expected " + SCHEMA_VERSION);
        }
        if (subgraphCount == 0) throw new ModelFormatException("model has no subgraphs");
        RawTable root = RawTable.root(bb);
        RawTable buffer = new RawTable();
        for (int b = 0; b < bufferCount; b++) {
            bufferData[b] = readBufferData(b, root.tableInVector(FlatBufferVerifier.MODEL_BUFFERS, b, buffer));
        }
        if (bufferCount > 0 && bufferData[0] != null) {
            throw new ModelFormatException("buffer 0 holds " + bufferData[0].remaining()
                    + " bytes, but it is the schema's empty sentinel (tensors without data point to it)");
        }
        ResolvedOpcode[] opcodes = readOperatorCodes();
        List<Subgraph> subgraphs = new ArrayList<>(subgraphCount);
        for (int s = 0; s < subgraphCount; s++) subgraphs.add(readSubgraph(s, opcodes));
        ControlFlowChecks.check(subgraphs);
        List<SignatureDef> signatureDefs = readSignatureDefs(subgraphs);
        Map<String, byte[]> metadata = readMetadata();
        return new TfliteModel((int) version, utf8(model.descriptionAsByteBuffer()), subgraphs, signatureDefs,
                metadata, bb.limit());
    }

    /**
     * The data of buffer {@code b}: inline ({@code Buffer.data}) or, for models over 2 GB, outside the
     * FlatBuffer at {@code Buffer.offset} (from the start of the file, values 0 and 1 meaning "inline")
     * for {@code Buffer.size} bytes. Null when empty.
     */
    private ByteBuffer readBufferData(int b, RawTable raw) {
        long offset = raw.uint64(FlatBufferVerifier.BUFFER_OFFSET);
        long size = raw.uint64(FlatBufferVerifier.BUFFER_SIZE);
        if (Long.compareUnsigned(offset, 1) > 0) {
            long fileSize = bb.limit();
            if (Long.compareUnsigned(size, fileSize) > 0 || Long.compareUnsigned(offset, fileSize - size) > 0) {
                throw new ModelFormatException("buffer " + b + ": external data of " + Long.toUnsignedString(size)
                        + " bytes at offset " + Long.toUnsignedString(offset) + " lies outside the "
                        + fileSize + "-byte file", raw.position());
            }
            return size == 0 ? null : bb.slice((int) offset, (int) size);
        }
        ByteBuffer inline = model.buffers(b).dataAsByteBuffer();
        return inline == null || !inline.hasRemaining() ? null : inline.slice();
    }

    /** An operator code table entry, resolved. */
    private record ResolvedOpcode(int builtin, int version, String customCode) {}

    private ResolvedOpcode[] readOperatorCodes() {
        ResolvedOpcode[] codes = new ResolvedOpcode[model.operatorCodesLength()];
        OperatorCode oc = new OperatorCode();
        for (int i = 0; i < codes.length; i++) {
            model.operatorCodes(oc, i);
            int deprecated = oc.deprecatedBuiltinCode();
            int builtin = oc.builtinCode();
            if (deprecated < 0 || builtin < 0) {
                throw new ModelFormatException("operator code " + i + ": negative builtin code (deprecated_builtin_code "
                        + deprecated + ", builtin_code " + builtin + ")");
            }
            // Files before schema 2.4 only set the int8 field; newer ones set both (the int8 one saturated
            // at 127 for larger codes). TFLite takes the larger.
            int code = Math.max(deprecated, builtin);
            String custom = code == BuiltinOp.CUSTOM ? utf8OrNull(oc.customCodeAsByteBuffer()) : null;
            codes[i] = new ResolvedOpcode(code, oc.version(), custom);
        }
        return codes;
    }

    // ------------------------------------------------------------------ subgraphs

    private Subgraph readSubgraph(int s, ResolvedOpcode[] opcodes) {
        SubGraph sg = model.subgraphs(s);
        int tensorCount = sg.tensorsLength();
        List<Tensor> tensors = new ArrayList<>(tensorCount);
        org.tensorflow.lite.schema.Tensor t = new org.tensorflow.lite.schema.Tensor();
        for (int i = 0; i < tensorCount; i++) tensors.add(readTensor(s, i, sg.tensors(t, i)));

        List<Operator> operators = new ArrayList<>(sg.operatorsLength());
        org.tensorflow.lite.schema.Operator op = new org.tensorflow.lite.schema.Operator();
        for (int j = 0; j < sg.operatorsLength(); j++) {
            operators.add(readOperator(s, j, sg.operators(op, j), opcodes, tensorCount));
        }
        int[] inputs = new int[sg.inputsLength()];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = tensorIndex(sg.inputs(k), false, tensorCount, () -> "subgraph " + s + " input", k);
        }
        int[] outputs = new int[sg.outputsLength()];
        for (int k = 0; k < outputs.length; k++) {
            outputs[k] = tensorIndex(sg.outputs(k), false, tensorCount, () -> "subgraph " + s + " output", k);
        }
        return new Subgraph(s, utf8(sg.nameAsByteBuffer()), tensors, operators, inputs, outputs);
    }

    private Tensor readTensor(int s, int i, org.tensorflow.lite.schema.Tensor t) {
        String name = utf8(t.nameAsByteBuffer());
        String where = "subgraph " + s + " tensor " + i + " '" + name + "'";
        TensorType type = TensorType.ofCode(t.type());
        if (type == null) throw new ModelFormatException(where + ": unknown tensor type code " + t.type());

        int[] shape = new int[t.shapeLength()];
        for (int d = 0; d < shape.length; d++) shape[d] = t.shape(d);
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new ModelFormatException(where + ": negative dimension " + shape[d] + " (axis " + d
                        + ") in shape " + describe(shape));
            }
        }
        long elements = elementCount(shape, where);
        long bytes = elements * type.byteSize;
        if (bytes > Integer.MAX_VALUE) {
            throw new ModelFormatException(where + ": shape " + describe(shape) + " of " + type + " needs "
                    + bytes + " bytes, more than the 2^31-1 an int can address");
        }

        int[] shapeSignature = null;
        if (t.shapeSignatureVector() != null) {
            shapeSignature = new int[t.shapeSignatureLength()];
            for (int d = 0; d < shapeSignature.length; d++) {
                shapeSignature[d] = t.shapeSignature(d);
                if (shapeSignature[d] < -1) {
                    throw new ModelFormatException(where + ": dimension " + shapeSignature[d]
                            + " in shape_signature (only -1 marks a dynamic dimension)");
                }
            }
        }

        long buffer = t.buffer();
        if (buffer >= bufferCount) {
            throw new ModelFormatException(where + ": buffer index " + buffer + " out of range (model has "
                    + bufferCount + " buffers)");
        }
        if (t.sparsity() != null) {
            throw new ModelFormatException(where + ": sparse tensors are not supported");
        }
        ByteBuffer data = bufferData[(int) buffer];
        if (data != null && type.byteSize > 0 && data.remaining() != bytes) {
            throw new ModelFormatException(where + ": buffer " + buffer + " holds " + data.remaining()
                    + " bytes, but shape " + describe(shape) + " of " + type + " needs " + bytes);
        }
        QuantizationParameters q = t.quantization();
        boolean quantized = q != null && (q.scaleLength() > 0 || q.zeroPointLength() > 0);
        return new Tensor(i, name, type, shape, shapeSignature, (int) buffer, data, t.isVariable(), quantized);
    }

    /** A shape for messages; a corrupt file can claim a rank in the millions. */
    private static String describe(int[] shape) {
        if (shape.length <= 8) return Arrays.toString(shape);
        return Arrays.toString(Arrays.copyOf(shape, 8)).replace("]", ", ... (rank " + shape.length + ")]");
    }

    /** Product of the dimensions (all ≥ 0), failing once it passes Integer.MAX_VALUE. */
    private static long elementCount(int[] shape, String where) {
        for (int d : shape) if (d == 0) return 0;
        long n = 1;
        for (int d : shape) {
            n *= d; // n ≤ 2^31 - 1 and d < 2^31 before the product: no long overflow
            if (n > Integer.MAX_VALUE) {
                throw new ModelFormatException(where + ": shape " + describe(shape)
                        + " has more than 2^31-1 elements");
            }
        }
        return n;
    }

    private Operator readOperator(int s, int j, org.tensorflow.lite.schema.Operator op, ResolvedOpcode[] opcodes,
                                  int tensorCount) {
        long opcodeIndex = op.opcodeIndex();
        if (opcodeIndex >= opcodes.length) {
            throw new ModelFormatException("subgraph " + s + " op " + j + ": opcode_index " + opcodeIndex
                    + " out of range (model has " + opcodes.length + " operator codes)");
        }
        ResolvedOpcode code = opcodes[(int) opcodeIndex];
        String opName = code.builtin == BuiltinOp.CUSTOM && code.customCode != null
                ? "CUSTOM(" + code.customCode + ")" : BuiltinOp.name(code.builtin);
        String where = "subgraph " + s + " op " + j + " (" + opName + ")";

        int[] inputs = new int[op.inputsLength()];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = tensorIndex(op.inputs(k), true, tensorCount, () -> where + " input", k);
        }
        int[] outputs = new int[op.outputsLength()];
        for (int k = 0; k < outputs.length; k++) {
            outputs[k] = tensorIndex(op.outputs(k), false, tensorCount, () -> where + " output", k);
        }
        int[] intermediates = new int[op.intermediatesLength()];
        for (int k = 0; k < intermediates.length; k++) {
            intermediates[k] = tensorIndex(op.intermediates(k), false, tensorCount, () -> where + " intermediate", k);
        }
        OpOptions options = OptionsDecoder.decode(op, code.builtin, where, subgraphCount);
        return new Operator(j, code.builtin, code.version, code.customCode, inputs, outputs, intermediates, options);
    }

    /** Checks a tensor index of a subgraph or op list; -1 (absent optional input) only where allowed. */
    private static int tensorIndex(int index, boolean optional, int tensorCount,
                                   java.util.function.Supplier<String> list, int position) {
        if ((index < 0 || index >= tensorCount) && !(optional && index == -1)) {
            throw new ModelFormatException(list.get() + " " + position + " is tensor " + index
                    + ", out of range (subgraph has " + tensorCount + " tensors)");
        }
        return index;
    }

    // ------------------------------------------------------------------ signatures and metadata

    private List<SignatureDef> readSignatureDefs(List<Subgraph> subgraphs) {
        List<SignatureDef> defs = new ArrayList<>(model.signatureDefsLength());
        Map<String, Integer> keys = new HashMap<>();
        TensorMap map = new TensorMap();
        for (int i = 0; i < model.signatureDefsLength(); i++) {
            org.tensorflow.lite.schema.SignatureDef def = model.signatureDefs(i);
            String key = utf8(def.signatureKeyAsByteBuffer());
            String where = "signature def " + i + " '" + key + "'";
            Integer previous = keys.putIfAbsent(key, i);
            if (previous != null) {
                throw new ModelFormatException(where + ": the key is already used by signature def " + previous);
            }
            long subgraph = def.subgraphIndex();
            if (subgraph >= subgraphs.size()) {
                throw new ModelFormatException(where + ": subgraph_index " + subgraph + " out of range (model has "
                        + subgraphs.size() + " subgraphs)");
            }
            int tensorCount = subgraphs.get((int) subgraph).tensors().size();
            Map<String, Integer> inputs = new LinkedHashMap<>();
            for (int k = 0; k < def.inputsLength(); k++) {
                addTensorMap(inputs, def.inputs(map, k), where + " input " + k, tensorCount);
            }
            Map<String, Integer> outputs = new LinkedHashMap<>();
            for (int k = 0; k < def.outputsLength(); k++) {
                addTensorMap(outputs, def.outputs(map, k), where + " output " + k, tensorCount);
            }
            defs.add(new SignatureDef(key, (int) subgraph, inputs, outputs));
        }
        return defs;
    }

    private static void addTensorMap(Map<String, Integer> into, TensorMap map, String where, int tensorCount) {
        String name = utf8(map.nameAsByteBuffer());
        long index = map.tensorIndex();
        if (index >= tensorCount) {
            throw new ModelFormatException(where + " '" + name + "': tensor_index " + index
                    + " out of range (subgraph has " + tensorCount + " tensors)");
        }
        if (into.putIfAbsent(name, (int) index) != null) {
            throw new ModelFormatException(where + ": name '" + name + "' appears twice");
        }
    }

    private Map<String, byte[]> readMetadata() {
        Map<String, byte[]> metadata = new LinkedHashMap<>();
        // Entries naming the same buffer share one copy, so repeated entries cannot multiply the work.
        Map<Integer, byte[]> copies = new HashMap<>();
        org.tensorflow.lite.schema.Metadata m = new org.tensorflow.lite.schema.Metadata();
        for (int i = 0; i < model.metadataLength(); i++) {
            model.metadata(m, i);
            String name = utf8OrNull(m.nameAsByteBuffer());
            long buffer = m.buffer();
            if (name == null) throw new ModelFormatException("metadata " + i + " has no name");
            if (buffer >= bufferCount) {
                throw new ModelFormatException("metadata " + i + " '" + name + "': buffer index " + buffer
                        + " out of range (model has " + bufferCount + " buffers)");
            }
            byte[] bytes = copies.computeIfAbsent((int) buffer, b -> {
                ByteBuffer data = bufferData[b];
                byte[] copy = new byte[data == null ? 0 : data.remaining()];
                if (data != null) data.get(0, copy);
                return copy;
            });
            if (metadata.putIfAbsent(name, bytes) != null) {
                throw new ModelFormatException("metadata " + i + ": name '" + name + "' appears twice");
            }
        }
        return metadata;
    }

    // ------------------------------------------------------------------ strings

    /** Decodes a (verified) string; malformed UTF-8 becomes U+FFFD rather than an exception. */
    private static String utf8OrNull(ByteBuffer bytes) {
        if (bytes == null) return null;
        byte[] b = new byte[bytes.remaining()];
        bytes.get(bytes.position(), b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String utf8(ByteBuffer bytes) {
        String s = utf8OrNull(bytes);
        return s == null ? "" : s;
    }
}

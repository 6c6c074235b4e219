package org.tfl4j.parser;

import com.google.flatbuffers.FlatBufferBuilder;
import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.CastOptions;
import org.tensorflow.lite.schema.ConcatenationOptions;
import org.tensorflow.lite.schema.Conv2DOptions;
import org.tensorflow.lite.schema.FullyConnectedOptions;
import org.tensorflow.lite.schema.GatherOptions;
import org.tensorflow.lite.schema.ReducerOptions;
import org.tensorflow.lite.schema.ReshapeOptions;
import org.tensorflow.lite.schema.SoftmaxOptions;
import org.tensorflow.lite.schema.SplitOptions;
import org.tensorflow.lite.schema.StridedSliceOptions;
import org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptions;
import org.tensorflow.lite.schema.UnpackOptions;
import org.tensorflow.lite.schema.WhileOptions;

/**
 * Decodes an operator's builtin options union into {@link OpOptions}, checking that the options type
 * fits the op and that enum fields hold known codes.
 *
 * <p>Defaults: when the file carries no options table for an op that has one, the generated accessors
 * are pointed at an empty table, so every field reads as its schema.fbs default (CONV_2D: padding SAME,
 * strides 0, dilations 1, activation NONE). The defaults live in the generated code only.
 */
final class OptionsDecoder {

    private static final int SUM = 74, MEAN = 40, REDUCE_PROD = 81, REDUCE_MIN = 89, REDUCE_ANY = 91, SOFTMAX = 25;

    /** The options type each decoded op carries. */
    private static final Map<Integer, Integer> DECODED = Map.ofEntries(
            Map.entry(BuiltinOp.CONV_2D, (int) BuiltinOptions.Conv2DOptions),
            Map.entry(BuiltinOp.FULLY_CONNECTED, (int) BuiltinOptions.FullyConnectedOptions),
            Map.entry(BuiltinOp.RESHAPE, (int) BuiltinOptions.ReshapeOptions),
            Map.entry(BuiltinOp.ADD, (int) BuiltinOptions.AddOptions),
            Map.entry(BuiltinOp.SUB, (int) BuiltinOptions.SubOptions),
            Map.entry(BuiltinOp.MUL, (int) BuiltinOptions.MulOptions),
            Map.entry(BuiltinOp.DIV, (int) BuiltinOptions.DivOptions),
            Map.entry(SUM, (int) BuiltinOptions.ReducerOptions),
            Map.entry(MEAN, (int) BuiltinOptions.ReducerOptions),
            Map.entry(BuiltinOp.REDUCE_MAX, (int) BuiltinOptions.ReducerOptions),
            Map.entry(REDUCE_MIN, (int) BuiltinOptions.ReducerOptions),
            Map.entry(REDUCE_PROD, (int) BuiltinOptions.ReducerOptions),
            Map.entry(REDUCE_ANY, (int) BuiltinOptions.ReducerOptions),
            Map.entry(BuiltinOp.CONCATENATION, (int) BuiltinOptions.ConcatenationOptions),
            Map.entry(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, (int) BuiltinOptions.UnidirectionalSequenceLSTMOptions),
            Map.entry(BuiltinOp.STRIDED_SLICE, (int) BuiltinOptions.StridedSliceOptions),
            Map.entry(BuiltinOp.GATHER, (int) BuiltinOptions.GatherOptions),
            Map.entry(BuiltinOp.CAST, (int) BuiltinOptions.CastOptions),
            Map.entry(BuiltinOp.SPLIT, (int) BuiltinOptions.SplitOptions),
            Map.entry(BuiltinOp.UNPACK, (int) BuiltinOptions.UnpackOptions),
            Map.entry(SOFTMAX, (int) BuiltinOptions.SoftmaxOptions),
            Map.entry(BuiltinOp.WHILE, (int) BuiltinOptions.WhileOptions));

    /**
     * Ops without parameters, with the (empty) options type the schema gives them, or NONE when the
     * schema has none. They decode to {@link OpOptions.None}.
     */
    private static final Map<Integer, Integer> WITHOUT_OPTIONS = Map.ofEntries(
            Map.entry(BuiltinOp.LOGISTIC, (int) BuiltinOptions.NONE),
            Map.entry(BuiltinOp.TANH, (int) BuiltinOptions.NONE),
            Map.entry(19 /* RELU */, (int) BuiltinOptions.NONE),
            Map.entry(20 /* RELU_N1_TO_1 */, (int) BuiltinOptions.NONE),
            Map.entry(21 /* RELU6 */, (int) BuiltinOptions.NONE),
            Map.entry(BuiltinOp.NOT_EQUAL, (int) BuiltinOptions.NotEqualOptions),
            Map.entry(71 /* EQUAL */, (int) BuiltinOptions.EqualOptions),
            Map.entry(BuiltinOp.LESS, (int) BuiltinOptions.LessOptions),
            Map.entry(BuiltinOp.LOGICAL_AND, (int) BuiltinOptions.LogicalAndOptions),
            Map.entry(61 /* GREATER */, (int) BuiltinOptions.GreaterOptions),
            Map.entry(BuiltinOp.SELECT, (int) BuiltinOptions.SelectOptions),
            Map.entry(123 /* SELECT_V2 */, (int) BuiltinOptions.SelectV2Options),
            Map.entry(BuiltinOp.TOPK_V2, (int) BuiltinOptions.TopKV2Options),
            Map.entry(47 /* EXP */, (int) BuiltinOptions.ExpOptions),
            Map.entry(59 /* NEG */, (int) BuiltinOptions.NegOptions),
            Map.entry(101 /* ABS */, (int) BuiltinOptions.AbsOptions),
            Map.entry(92 /* SQUARE */, (int) BuiltinOptions.SquareOptions));

    /** An Operator whose builtin_options is an empty table: reading options through it yields the defaults. */
    private static final org.tensorflow.lite.schema.Operator DEFAULTS = operatorWithEmptyOptions();

    private OptionsDecoder() {}

    /**
     * @param op            the (verified) operator
     * @param opcode        its builtin code
     * @param where         the op's place for messages, e.g. "subgraph 0 op 3 (CONV_2D)"
     * @param subgraphCount number of subgraphs, for WHILE's subgraph indices
     */
    static OpOptions decode(org.tensorflow.lite.schema.Operator op, int opcode, String where, int subgraphCount) {
        int type = op.builtinOptionsType() & 0xFF;
        Integer withoutOptions = WITHOUT_OPTIONS.get(opcode);
        if (withoutOptions != null) {
            if (type != BuiltinOptions.NONE && type != withoutOptions) throw wrongType(where, type, withoutOptions);
            return new OpOptions.None();
        }
        Integer expected = DECODED.get(opcode);
        if (expected == null) {
            return type == BuiltinOptions.NONE ? new OpOptions.None() : new OpOptions.Undecoded(type);
        }
        if (type != BuiltinOptions.NONE && type != expected) throw wrongType(where, type, expected);
        boolean present = type == expected;
        switch (opcode) {
            case BuiltinOp.CONV_2D: {
                Conv2DOptions o = read(op, present, new Conv2DOptions());
                return new OpOptions.Conv2D(padding(o.padding(), where), o.strideW(), o.strideH(),
                        activation(o.fusedActivationFunction(), where), o.dilationWFactor(), o.dilationHFactor());
            }
            case BuiltinOp.FULLY_CONNECTED: {
                FullyConnectedOptions o = read(op, present, new FullyConnectedOptions());
                int weightsFormat = o.weightsFormat();
                if (weightsFormat < 0 || weightsFormat > 1) { // DEFAULT, SHUFFLED4x16INT8
                    throw new ModelFormatException(where + ": unknown weights_format code " + weightsFormat);
                }
                return new OpOptions.FullyConnected(activation(o.fusedActivationFunction(), where), weightsFormat,
                        o.keepNumDims(), o.asymmetricQuantizeInputs());
            }
            case BuiltinOp.RESHAPE: {
                ReshapeOptions o = read(op, present, new ReshapeOptions());
                if (o.newShapeVector() == null) return new OpOptions.Reshape(null);
                int[] newShape = new int[o.newShapeLength()];
                for (int i = 0; i < newShape.length; i++) newShape[i] = o.newShape(i);
                return new OpOptions.Reshape(newShape);
            }
            case BuiltinOp.ADD:
                return new OpOptions.Arithmetic(
                        activation(read(op, present, new org.tensorflow.lite.schema.AddOptions())
                                .fusedActivationFunction(), where));
            case BuiltinOp.SUB:
                return new OpOptions.Arithmetic(
                        activation(read(op, present, new org.tensorflow.lite.schema.SubOptions())
                                .fusedActivationFunction(), where));
            case BuiltinOp.MUL:
                return new OpOptions.Arithmetic(
                        activation(read(op, present, new org.tensorflow.lite.schema.MulOptions())
                                .fusedActivationFunction(), where));
            case BuiltinOp.DIV:
                return new OpOptions.Arithmetic(
                        activation(read(op, present, new org.tensorflow.lite.schema.DivOptions())
                                .fusedActivationFunction(), where));
            case SUM:
            case MEAN:
            case BuiltinOp.REDUCE_MAX:
            case REDUCE_MIN:
            case REDUCE_PROD:
            case REDUCE_ANY:
                return new OpOptions.Reducer(read(op, present, new ReducerOptions()).keepDims());
            case BuiltinOp.CONCATENATION: {
                ConcatenationOptions o = read(op, present, new ConcatenationOptions());
                return new OpOptions.Concatenation(o.axis(), activation(o.fusedActivationFunction(), where));
            }
            case BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM: {
                UnidirectionalSequenceLSTMOptions o = read(op, present, new UnidirectionalSequenceLSTMOptions());
                return new OpOptions.UnidirectionalSequenceLstm(activation(o.fusedActivationFunction(), where),
                        o.cellClip(), o.projClip(), o.timeMajor(), o.asymmetricQuantizeInputs(),
                        o.diagonalRecurrentTensors());
            }
            case BuiltinOp.STRIDED_SLICE: {
                StridedSliceOptions o = read(op, present, new StridedSliceOptions());
                return new OpOptions.StridedSlice(o.beginMask(), o.endMask(), o.ellipsisMask(), o.newAxisMask(),
                        o.shrinkAxisMask(), o.offset());
            }
            case BuiltinOp.GATHER: {
                GatherOptions o = read(op, present, new GatherOptions());
                return new OpOptions.Gather(o.axis(), o.batchDims());
            }
            case BuiltinOp.CAST: {
                // A type the file does not state stays null: the tensors' types decide.
                RawTable raw = present ? (RawTable) op.builtinOptions(new RawTable()) : null;
                CastOptions o = read(op, present, new CastOptions());
                TensorType in = raw != null && raw.has(0) ? castType(o.inDataType(), "in_data_type", where) : null;
                TensorType out = raw != null && raw.has(1) ? castType(o.outDataType(), "out_data_type", where) : null;
                return new OpOptions.Cast(in, out);
            }
            case BuiltinOp.SPLIT:
                return new OpOptions.Split(read(op, present, new SplitOptions()).numSplits());
            case BuiltinOp.UNPACK: {
                UnpackOptions o = read(op, present, new UnpackOptions());
                return new OpOptions.Unpack(o.num(), o.axis());
            }
            case SOFTMAX:
                return new OpOptions.Softmax(read(op, present, new SoftmaxOptions()).beta());
            case BuiltinOp.WHILE: {
                WhileOptions o = read(op, present, new WhileOptions());
                int cond = o.condSubgraphIndex();
                int body = o.bodySubgraphIndex();
                if (cond < 0 || cond >= subgraphCount || body < 0 || body >= subgraphCount) {
                    throw new ModelFormatException(where + ": cond_subgraph_index " + cond + " / body_subgraph_index "
                            + body + " out of range (model has " + subgraphCount + " subgraphs)");
                }
                return new OpOptions.While(cond, body);
            }
            default:
                throw new AssertionError("decoded op without a decoder: " + opcode);
        }
    }

    /** The op's options table, or the empty table (all defaults) when the file carries none. */
    private static <T extends Table> T read(org.tensorflow.lite.schema.Operator op, boolean present, T into) {
        if (present && op.builtinOptions(into) != null) return into;
        DEFAULTS.builtinOptions(into);
        return into;
    }

    private static ModelFormatException wrongType(String where, int type, int expected) {
        return new ModelFormatException(where + " carries builtin options of type " + optionsName(type)
                + ", expected " + optionsName(expected));
    }

    static String optionsName(int type) {
        try {
            return BuiltinOptions.name(type) + " (" + type + ")";
        } catch (RuntimeException e) {
            return "unknown (" + type + ")";
        }
    }

    private static Padding padding(byte code, String where) {
        Padding p = Padding.ofCode(code);
        if (p == null) throw new ModelFormatException(where + ": unknown padding code " + code);
        return p;
    }

    private static Activation activation(byte code, String where) {
        Activation a = Activation.ofCode(code);
        if (a == null) throw new ModelFormatException(where + ": unknown fused activation code " + code);
        return a;
    }

    private static TensorType castType(byte code, String field, String where) {
        TensorType t = TensorType.ofCode(code);
        if (t == null) throw new ModelFormatException(where + ": unknown tensor type code " + code + " in " + field);
        return t;
    }

    private static org.tensorflow.lite.schema.Operator operatorWithEmptyOptions() {
        FlatBufferBuilder b = new FlatBufferBuilder(64);
        b.startTable(0);
        int empty = b.endTable();
        org.tensorflow.lite.schema.Operator.startOperator(b);
        org.tensorflow.lite.schema.Operator.addBuiltinOptions(b, empty);
        int op = b.endTable();
        b.finish(op);
        ByteBuffer bb = ByteBuffer.wrap(b.sizedByteArray()).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
        return org.tensorflow.lite.schema.Operator.getRootAsOperator(bb.order(ByteOrder.LITTLE_ENDIAN));
    }
}

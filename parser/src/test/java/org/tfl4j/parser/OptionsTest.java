package org.tfl4j.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BatchMatMulOptionsT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.CastOptionsT;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.NotEqualOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SplitOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;
import org.tensorflow.lite.schema.TopKV2OptionsT;
import org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptionsT;

/**
 * Builtin options: decoding, schema defaults for absent tables and fields (expected values are the
 * defaults written in schema.fbs), options types that do not fit the op, unknown enum codes.
 */
class OptionsTest {

    private static final int MEAN = org.tensorflow.lite.schema.BuiltinOperator.MEAN,
            REDUCE_MIN = org.tensorflow.lite.schema.BuiltinOperator.REDUCE_MIN,
            REDUCE_PROD = org.tensorflow.lite.schema.BuiltinOperator.REDUCE_PROD,
            SOFTMAX = org.tensorflow.lite.schema.BuiltinOperator.SOFTMAX,
            BATCH_MATMUL = org.tensorflow.lite.schema.BuiltinOperator.BATCH_MATMUL;

    private static OpOptions decode(int builtin, byte type, Object options) {
        return TestModels.parse(TestModels.singleOp(builtin, type, options)).mainSubgraph().operators().get(0).options();
    }

    /** The options the op gets when the file has no options table at all. */
    private static OpOptions absent(int builtin) {
        return decode(builtin, BuiltinOptions.NONE, null);
    }

    private static ModelFormatException rejects(int builtin, byte type, Object options, String... fragments) {
        var m = TestModels.singleOp(builtin, type, options);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TestModels.parse(m));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    @Test
    void absentTablesGetTheSchemaDefaults() {
        // schema.fbs: padding SAME (0), stride_w/stride_h 0, fused activation NONE, dilation factors 1.
        assertEquals(new OpOptions.Conv2D(Padding.SAME, 0, 0, Activation.NONE, 1, 1), absent(BuiltinOp.CONV_2D));
        assertEquals(new OpOptions.FullyConnected(Activation.NONE, 0, false, false), absent(BuiltinOp.FULLY_CONNECTED));
        assertNull(((OpOptions.Reshape) absent(BuiltinOp.RESHAPE)).newShape());
        for (int op : new int[] {BuiltinOp.ADD, BuiltinOp.SUB, BuiltinOp.MUL, BuiltinOp.DIV}) {
            assertEquals(new OpOptions.Arithmetic(Activation.NONE), absent(op), "op " + op);
        }
        for (int op : new int[] {BuiltinOp.SUM, MEAN, BuiltinOp.REDUCE_MAX, REDUCE_MIN, REDUCE_PROD}) {
            assertEquals(new OpOptions.Reducer(false), absent(op), "op " + op);
        }
        assertEquals(new OpOptions.Concatenation(0, Activation.NONE), absent(BuiltinOp.CONCATENATION));
        assertEquals(new OpOptions.UnidirectionalSequenceLstm(Activation.NONE, 0f, 0f, false, false, false),
                absent(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM));
        assertEquals(new OpOptions.StridedSlice(0, 0, 0, 0, 0, false), absent(BuiltinOp.STRIDED_SLICE));
        assertEquals(new OpOptions.Gather(0, 0), absent(BuiltinOp.GATHER));
        assertEquals(new OpOptions.Cast(null, null), absent(BuiltinOp.CAST));
        assertEquals(new OpOptions.Split(0), absent(BuiltinOp.SPLIT));
        assertEquals(new OpOptions.Unpack(0, 0), absent(BuiltinOp.UNPACK));
        assertEquals(new OpOptions.Softmax(0f), absent(SOFTMAX));
        // WHILE's defaults (both indices 0) name the main subgraph, which a WHILE cannot call.
        rejects(BuiltinOp.WHILE, BuiltinOptions.NONE, null, "cond_subgraph_index is 0, the main subgraph");
        for (int op : new int[] {BuiltinOp.LOGISTIC, BuiltinOp.TANH, BuiltinOp.NOT_EQUAL, BuiltinOp.SELECT,
            BuiltinOp.TOPK_V2}) {
            assertEquals(new OpOptions.None(), absent(op), "op " + op);
        }
        assertEquals(new OpOptions.None(), absent(BATCH_MATMUL), "undecoded op without options");
    }

    @Test
    void emptyTablesGetTheSchemaDefaultsToo() {
        assertEquals(new OpOptions.Conv2D(Padding.SAME, 0, 0, Activation.NONE, 1, 1),
                decode(BuiltinOp.CONV_2D, BuiltinOptions.Conv2DOptions, new Conv2DOptionsT()));
        assertEquals(new OpOptions.Cast(null, null), decode(BuiltinOp.CAST, BuiltinOptions.CastOptions, new CastOptionsT()));
    }

    @Test
    void storedFieldsAreDecoded() {
        Conv2DOptionsT conv = new Conv2DOptionsT();
        conv.setPadding(org.tensorflow.lite.schema.Padding.VALID);
        conv.setStrideW(4);
        conv.setStrideH(2);
        conv.setDilationWFactor(3);
        conv.setDilationHFactor(5);
        conv.setFusedActivationFunction(ActivationFunctionType.RELU6);
        assertEquals(new OpOptions.Conv2D(Padding.VALID, 4, 2, Activation.RELU6, 3, 5),
                decode(BuiltinOp.CONV_2D, BuiltinOptions.Conv2DOptions, conv));

        FullyConnectedOptionsT fc = new FullyConnectedOptionsT();
        fc.setFusedActivationFunction(ActivationFunctionType.TANH);
        fc.setKeepNumDims(true);
        fc.setAsymmetricQuantizeInputs(true);
        fc.setWeightsFormat((byte) 1);
        assertEquals(new OpOptions.FullyConnected(Activation.TANH, 1, true, true),
                decode(BuiltinOp.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, fc));

        ReshapeOptionsT reshape = new ReshapeOptionsT();
        reshape.setNewShape(new int[] {2, -1});
        assertArrayEquals(new int[] {2, -1},
                ((OpOptions.Reshape) decode(BuiltinOp.RESHAPE, BuiltinOptions.ReshapeOptions, reshape)).newShape());

        AddOptionsT add = new AddOptionsT();
        add.setFusedActivationFunction(ActivationFunctionType.RELU_N1_TO_1);
        assertEquals(new OpOptions.Arithmetic(Activation.RELU_N1_TO_1),
                decode(BuiltinOp.ADD, BuiltinOptions.AddOptions, add));

        ReducerOptionsT reducer = new ReducerOptionsT();
        reducer.setKeepDims(true);
        assertEquals(new OpOptions.Reducer(true), decode(MEAN, BuiltinOptions.ReducerOptions, reducer));

        ConcatenationOptionsT concat = new ConcatenationOptionsT();
        concat.setAxis(-1);
        assertEquals(new OpOptions.Concatenation(-1, Activation.NONE),
                decode(BuiltinOp.CONCATENATION, BuiltinOptions.ConcatenationOptions, concat));

        UnidirectionalSequenceLSTMOptionsT lstm = new UnidirectionalSequenceLSTMOptionsT();
        lstm.setFusedActivationFunction(ActivationFunctionType.TANH);
        lstm.setCellClip(10f);
        lstm.setProjClip(3f);
        lstm.setTimeMajor(true);
        assertEquals(new OpOptions.UnidirectionalSequenceLstm(Activation.TANH, 10f, 3f, true, false, false),
                decode(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, BuiltinOptions.UnidirectionalSequenceLSTMOptions, lstm));

        StridedSliceOptionsT slice = new StridedSliceOptionsT();
        slice.setBeginMask(5);
        slice.setEndMask(6);
        slice.setEllipsisMask(1);
        slice.setNewAxisMask(8);
        slice.setShrinkAxisMask(2);
        slice.setOffset(true);
        assertEquals(new OpOptions.StridedSlice(5, 6, 1, 8, 2, true),
                decode(BuiltinOp.STRIDED_SLICE, BuiltinOptions.StridedSliceOptions, slice));

        GatherOptionsT gather = new GatherOptionsT();
        gather.setAxis(1);
        gather.setBatchDims(1);
        assertEquals(new OpOptions.Gather(1, 1), decode(BuiltinOp.GATHER, BuiltinOptions.GatherOptions, gather));

        CastOptionsT cast = new CastOptionsT();
        cast.setInDataType((byte) TensorType.INT32.code);
        cast.setOutDataType((byte) TensorType.BOOL.code);
        assertEquals(new OpOptions.Cast(TensorType.INT32, TensorType.BOOL),
                decode(BuiltinOp.CAST, BuiltinOptions.CastOptions, cast));

        SplitOptionsT split = new SplitOptionsT();
        split.setNumSplits(3);
        assertEquals(new OpOptions.Split(3), decode(BuiltinOp.SPLIT, BuiltinOptions.SplitOptions, split));

        org.tensorflow.lite.schema.UnpackOptionsT unpack = new org.tensorflow.lite.schema.UnpackOptionsT();
        unpack.setNum(5);
        unpack.setAxis(-2);
        assertEquals(new OpOptions.Unpack(5, -2), decode(BuiltinOp.UNPACK, BuiltinOptions.UnpackOptions, unpack));

        SoftmaxOptionsT softmax = new SoftmaxOptionsT();
        softmax.setBeta(1f);
        assertEquals(new OpOptions.Softmax(1f), decode(SOFTMAX, BuiltinOptions.SoftmaxOptions, softmax));

        assertEquals(new OpOptions.None(), decode(BuiltinOp.NOT_EQUAL, BuiltinOptions.NotEqualOptions,
                new NotEqualOptionsT()));
        assertEquals(new OpOptions.None(), decode(BuiltinOp.TOPK_V2, BuiltinOptions.TopKV2Options,
                new TopKV2OptionsT()));
        assertEquals(new OpOptions.Undecoded(BuiltinOptions.BatchMatMulOptions),
                decode(BATCH_MATMUL, BuiltinOptions.BatchMatMulOptions, new BatchMatMulOptionsT()));
    }

    @Test
    void optionsOfAnotherOpAreRejected() {
        rejects(BuiltinOp.CONV_2D, BuiltinOptions.FullyConnectedOptions, new FullyConnectedOptionsT(),
                "subgraph 0 op 0 (CONV_2D)", "FullyConnectedOptions", "expected Conv2DOptions");
        rejects(MEAN, BuiltinOptions.Conv2DOptions, new Conv2DOptionsT(), "op 0 (MEAN)", "expected ReducerOptions");
        rejects(BuiltinOp.LOGISTIC, BuiltinOptions.Conv2DOptions, new Conv2DOptionsT(), "op 0 (LOGISTIC)",
                "Conv2DOptions");
        rejects(BuiltinOp.TOPK_V2, BuiltinOptions.NotEqualOptions, new NotEqualOptionsT(), "op 0 (TOPK_V2)",
                "expected TopKV2Options");
    }

    @Test
    void unknownEnumCodesAreRejected() {
        Conv2DOptionsT conv = new Conv2DOptionsT();
        conv.setPadding((byte) 5);
        rejects(BuiltinOp.CONV_2D, BuiltinOptions.Conv2DOptions, conv, "op 0 (CONV_2D)", "unknown padding code 5");
        Conv2DOptionsT conv2 = new Conv2DOptionsT();
        conv2.setFusedActivationFunction((byte) 9);
        rejects(BuiltinOp.CONV_2D, BuiltinOptions.Conv2DOptions, conv2, "unknown fused activation code 9");
        AddOptionsT add = new AddOptionsT();
        add.setFusedActivationFunction((byte) -1);
        rejects(BuiltinOp.ADD, BuiltinOptions.AddOptions, add, "op 0 (ADD)", "activation code -1");
        FullyConnectedOptionsT fc = new FullyConnectedOptionsT();
        fc.setWeightsFormat((byte) 7);
        rejects(BuiltinOp.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, fc, "weights_format code 7");
        CastOptionsT cast = new CastOptionsT();
        cast.setOutDataType((byte) 99);
        rejects(BuiltinOp.CAST, BuiltinOptions.CastOptions, cast, "op 0 (CAST)", "tensor type code 99");
    }
}

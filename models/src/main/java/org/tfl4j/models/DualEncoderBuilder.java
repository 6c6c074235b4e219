package org.tfl4j.models;

import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DivOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;
import org.tensorflow.lite.schema.TopKV2OptionsT;
import org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptionsT;
import org.tfl4j.models.DualEncoderConfig.EncoderType;
import org.tfl4j.models.DualEncoderConfig.Feature;
import org.tfl4j.models.DualEncoderConfig.FeatureGroup;
import org.tfl4j.models.DualEncoderConfig.FeatureType;
import org.tfl4j.models.DualEncoderConfig.ModelConfig;
import org.tfl4j.models.WeightSource.Weight;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a dual-encoder recommendation model ({@link DualEncoderConfig}) as a {@code .tflite} file with the op
 * lowering TFLite's converter gives the published MovieLens models (spec {@code recommendation-models.md} §1-2):
 *
 * <ul>
 *   <li>inputs: one 1-D tensor per feature, {@code serving_default_<feature_name>:0}, int32 [L] (INT) or float32 [L]
 *       (FLOAT), sorted by feature name;</li>
 *   <li>per INT feature: RESHAPE [1, L]; NOT_EQUAL 0; CAST to float32 (the feature's mask); GATHER from its
 *       embedding table [V, E]; per FLOAT feature: RESHAPE [1, L, 1] (one extra channel);</li>
 *   <li>per group: the masks multiplied (MUL), RESHAPE [1, L, 1]; the INT embeddings in sorted name order, then the
 *       FLOAT channels in config order, CONCATENATION on the last axis (when more than one); MUL by the mask; then the
 *       encoder: BOW = masked mean (SUM, SUM, MUL by ones, NOT_EQUAL 0, DIV, SELECT), CNN = RESHAPE [1, 1, L, C],
 *       CONV_2D per filter ratio (kernel = stride = conv_kernel_size, SAME, fused RELU), RESHAPE [1, L', O],
 *       REDUCE_MAX over time; LSTM = UNIDIRECTIONAL_SEQUENCE_LSTM (TANH, cell clip 10, batch-major, state in variable
 *       tensors) and STRIDED_SLICE of the last step; GRU = {@link GruEncoderWriter};</li>
 *   <li>the group vectors CONCATENATION (config order, when more than one); FULLY_CONNECTED + RELU per
 *       {@code hidden_layer_dims}; {@code proj_layer} FULLY_CONNECTED (label embedding_dim) + RELU; the label table as
 *       a FULLY_CONNECTED without bias; RESHAPE [V]; TOPK_V2 (k = num_predictions); LOGISTIC;</li>
 *   <li>outputs as in the published v2 model: subgraph outputs 0 = scores {@code StatefulPartitionedCall:1}
 *       float32 [K], 1 = ids {@code StatefulPartitionedCall:0} int32 [K]; a {@code serving_default} signature with the
 *       feature names as inputs and {@code top_prediction_ids}, {@code top_prediction_scores} as outputs.</li>
 * </ul>
 *
 * Weight tensors ({@link #weights(DualEncoderConfig)} lists them) are named so that a folder of
 * {@code <name>.npy} files can supply them: {@code embedding_<feature>} [V, E], {@code group<g>_conv<j>_kernel}
 * [O, 1, K, C] and {@code _bias} [O], {@code group<g>_lstm_<gate>_kernel} [U, C],
 * {@code group<g>_lstm_<gate>_recurrent_kernel} [U, U], {@code group<g>_lstm_<gate>_bias} [U] (gates input, forget,
 * cell, output), {@code group<g>_gru_kernel} [C, 3U], {@code group<g>_gru_recurrent_kernel} [U, 3U],
 * {@code group<g>_gru_bias} [2, 3U] (Keras layout, gates z, r, h), {@code hidden_layer<i>_kernel} [out, in] and
 * {@code _bias}, {@code proj_layer_kernel} [D, in] and {@code _bias} [D], {@code label_embedding} [V, D]. Dense
 * kernels are stored [out, in] as TFLite's FULLY_CONNECTED takes them (a Keras kernel transposed).
 */
public final class DualEncoderBuilder {

    /** The LSTM's cell clip, as in the published LSTM model. */
    static final float LSTM_CELL_CLIP = 10f;
    private static final String[] LSTM_GATES = {"input", "forget", "cell", "output"};

    private final DualEncoderConfig config;
    private final WeightSource source;
    private final TfliteWriter writer = new TfliteWriter();
    private final TfliteWriter.Graph g;
    /** RESHAPE shapes and int32 scalars, one tensor per value, shared as the converter shares equal constants. */
    private final Map<String, Integer> sharedConstants = new HashMap<>();

    private DualEncoderBuilder(DualEncoderConfig config, WeightSource source) {
        this.config = config;
        this.source = source;
        this.g = writer.graph("main");
    }

    /** The model with weights from the seeded initializer ({@link WeightSource#seeded}, the config's seed). */
    public static byte[] build(DualEncoderConfig config) {
        return build(config, WeightSource.seeded(config.seed()));
    }

    /** The model with weights from {@code weights}. Throws {@link ModelConfigException} for a bad config or weight. */
    public static byte[] build(DualEncoderConfig config, WeightSource weights) {
        config.validate();
        DualEncoderBuilder b = new DualEncoderBuilder(config, weights);
        b.write();
        return b.writer.toBytes();
    }

    /** The weight tensors a model of {@code config} holds, in the order the builder asks for them. */
    public static List<Weight> weights(DualEncoderConfig config) {
        List<Weight> seen = new ArrayList<>();
        config.validate();
        DualEncoderBuilder b = new DualEncoderBuilder(config, w -> {
            seen.add(w);
            return new float[w.elements()];
        });
        try {
            b.write();
        } catch (UnsupportedOperationException gruWriterMissing) {
            // Weights are asked for before the GRU is written: the list is complete up to that group.
        }
        return seen;
    }

    private void write() {
        ModelConfig mc = config.modelConfig();
        writer.description(description());

        // Inputs first, sorted by feature name (the converter's order of the serving signature's arguments).
        Map<String, Integer> inputByName = new TreeMap<>();
        List<Feature> sorted = config.featuresByName();
        int[] inputs = new int[sorted.size()];
        for (int i = 0; i < inputs.length; i++) {
            Feature f = sorted.get(i);
            TensorType type = f.featureType() == FeatureType.INT ? TensorType.INT32 : TensorType.FLOAT32;
            inputs[i] = g.tensor("serving_default_" + f.featureName() + ":0", type, f.featureLength());
            inputByName.put(f.featureName(), inputs[i]);
        }

        List<FeatureGroup> groups = config.inputConfig().activityFeatureGroups();
        int[] groupOutputs = new int[groups.size()];
        int concatWidth = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            groupOutputs[gi] = group(gi, groups.get(gi), inputByName);
            concatWidth += width(groups.get(gi));
        }
        int context = groupOutputs[0];
        if (groupOutputs.length > 1) {
            context = g.tensor("context_encoder/concat", TensorType.FLOAT32, 1, concatWidth);
            g.op(BuiltinOp.CONCATENATION, concat(-1), groupOutputs, new int[] {context});
        }

        int in = concatWidth;
        for (int i = 0; i < mc.hiddenLayerDims().size(); i++) {
            int units = mc.hiddenLayerDims().get(i);
            context = dense("hidden_layer" + i, context, in, units);
            in = units;
        }
        int d = config.inputConfig().labelFeature().embeddingDim();
        context = dense("proj_layer", context, in, d);

        int v = config.inputConfig().labelFeature().vocabSize();
        int labelTable = weight("label_embedding", 0f, uniformLimit(d), v, d);
        int logits = g.tensor("dot_product_similarity/logits", TensorType.FLOAT32, 1, v);
        g.op(BuiltinOp.FULLY_CONNECTED, fullyConnected(ActivationFunctionType.NONE), new int[] {context, labelTable, -1},
                new int[] {logits});
        int flat = reshape(logits, "dot_product_similarity/logits_flat", TensorType.FLOAT32, v);
        int k = mc.numPredictions();
        int kConst = g.constant("top_k/k", new int[0], new int[] {k});
        int topValues = g.tensor("top_k/values", TensorType.FLOAT32, k);
        int ids = g.tensor("StatefulPartitionedCall:0", TensorType.INT32, k);
        g.op(BuiltinOp.TOPK_V2, new TopKV2OptionsT(), new int[] {flat, kConst}, new int[] {topValues, ids});
        int scores = g.tensor("StatefulPartitionedCall:1", TensorType.FLOAT32, k);
        g.op(BuiltinOp.LOGISTIC, null, new int[] {topValues}, new int[] {scores});

        g.inputs(inputs).outputs(scores, ids);
        Map<String, Integer> outputs = new TreeMap<>();
        outputs.put("top_prediction_ids", ids);
        outputs.put("top_prediction_scores", scores);
        writer.signature("serving_default", g, inputByName, outputs);
    }

    /** The feature group's encoder; returns its output tensor [1, width]. */
    private int group(int gi, FeatureGroup group, Map<String, Integer> inputByName) {
        String p = "group" + gi;
        int length = group.length();
        List<Feature> ints = new ArrayList<>();
        List<Feature> floats = new ArrayList<>();
        for (Feature f : group.features()) (f.featureType() == FeatureType.INT ? ints : floats).add(f);
        ints.sort(Comparator.comparing(Feature::featureName));

        // Per INT feature its mask and embedding; per FLOAT feature its values as one channel.
        List<Integer> pieces = new ArrayList<>();
        int mask = -1;
        for (Feature f : ints) {
            String fp = p + "/" + f.featureName();
            int idsTensor = reshape(inputByName.get(f.featureName()), fp + "/ids", TensorType.INT32, 1, length);
            int notPadding = g.tensor(fp + "/not_padding", TensorType.BOOL, 1, length);
            g.op(BuiltinOp.NOT_EQUAL, null, new int[] {idsTensor, scalar("padding_id", 0)},
                    new int[] {notPadding});
            int featureMask = g.tensor(fp + "/mask", TensorType.FLOAT32, 1, length);
            g.op(BuiltinOp.CAST, null, new int[] {notPadding}, new int[] {featureMask});
            if (mask < 0) {
                mask = featureMask;
            } else {
                int product = g.tensor(p + "/mask_product_" + f.featureName(), TensorType.FLOAT32, 1, length);
                g.op(BuiltinOp.MUL, mul(), new int[] {mask, featureMask}, new int[] {product});
                mask = product;
            }
            int table = weight("embedding_" + f.featureName(), 0f, uniformLimit(f.embeddingDim()), f.vocabSize(), f.embeddingDim());
            int embedded = g.tensor(fp + "/embedding", TensorType.FLOAT32, 1, length, f.embeddingDim());
            GatherOptionsT gather = new GatherOptionsT();
            gather.setAxis(0);
            g.op(BuiltinOp.GATHER, gather, new int[] {table, idsTensor}, new int[] {embedded});
            pieces.add(embedded);
        }
        for (Feature f : floats) {
            pieces.add(reshape(inputByName.get(f.featureName()), p + "/" + f.featureName() + "/values", TensorType.FLOAT32,
                    1, length, 1));
        }
        int mask3 = reshape(mask, p + "/mask_expanded", TensorType.FLOAT32, 1, length, 1);
        int channels = group.channels();
        int sequence = pieces.get(0);
        if (pieces.size() > 1) {
            sequence = g.tensor(p + "/concat_features", TensorType.FLOAT32, 1, length, channels);
            g.op(BuiltinOp.CONCATENATION, concat(-1), pieces.stream().mapToInt(Integer::intValue).toArray(), new int[] {sequence});
        }
        int masked = g.tensor(p + "/masked", TensorType.FLOAT32, 1, length, channels);
        g.op(BuiltinOp.MUL, mul(), new int[] {sequence, mask3}, new int[] {masked});

        switch (group.encoderType()) {
            case BOW: return bow(p, masked, mask3, length, channels);
            case CNN: return cnn(p, masked, length, channels);
            case LSTM: return lstm(p, masked, length, channels);
            case GRU: return gru(p, masked, length, channels);
            default: throw new AssertionError(group.encoderType());
        }
    }

    /** Masked mean over time, safe against an all-padding history (then 0): {@code where(n != 0, sum / n, 0)}. */
    private int bow(String p, int masked, int mask3, int length, int channels) {
        int count = g.tensor(p + "/bow/count", TensorType.FLOAT32, 1, 1);
        g.op(BuiltinOp.SUM, reducer(), new int[] {mask3, scalar("axis_1", 1)}, new int[] {count});
        int sum = g.tensor(p + "/bow/sum", TensorType.FLOAT32, 1, channels);
        g.op(BuiltinOp.SUM, reducer(), new int[] {masked, scalar("axis_1", 1)}, new int[] {sum});
        int counts = g.tensor(p + "/bow/counts", TensorType.FLOAT32, 1, channels);
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        g.op(BuiltinOp.MUL, mul(), new int[] {count, g.constant(p + "/bow/ones", new int[] {1, channels}, ones)},
                new int[] {counts});
        int nonZero = g.tensor(p + "/bow/nonzero", TensorType.BOOL, 1, channels);
        g.op(BuiltinOp.NOT_EQUAL, null, new int[] {counts, g.constant(p + "/bow/zero", new int[0], new float[] {0f})},
                new int[] {nonZero});
        int quotient = g.tensor(p + "/bow/quotient", TensorType.FLOAT32, 1, channels);
        g.op(BuiltinOp.DIV, new DivOptionsT(), new int[] {sum, counts}, new int[] {quotient});
        int mean = g.tensor(p + "/bow/mean", TensorType.FLOAT32, 1, channels);
        g.op(BuiltinOp.SELECT, null, new int[] {nonZero, quotient,
                g.constant(p + "/bow/zeros", new int[] {1, channels}, new float[channels])}, new int[] {mean});
        return mean;
    }

    /** Conv1D stack as CONV_2D over [1, 1, L, C] (kernel = stride, SAME, RELU), then max over time. */
    private int cnn(String p, int masked, int length, int channels) {
        ModelConfig mc = config.modelConfig();
        int k = mc.convKernelSize();
        int x = reshape(masked, p + "/cnn/input", TensorType.FLOAT32, 1, 1, length, channels);
        int in = channels;
        int steps = length;
        int d = config.inputConfig().labelFeature().embeddingDim();
        for (int j = 0; j < mc.convNumFilterRatios().size(); j++) {
            int filters = d * mc.convNumFilterRatios().get(j);
            int outSteps = (steps + k - 1) / k;
            String cp = p + "_conv" + j;
            int kernel = weight(cp + "_kernel", 0f, glorot(k * in, k * filters), filters, 1, k, in);
            int bias = weight(cp + "_bias", 0.05f, 0.05f, filters);
            int y = g.tensor(p + "/cnn/conv" + j, TensorType.FLOAT32, 1, 1, outSteps, filters);
            Conv2DOptionsT o = new Conv2DOptionsT();
            o.setPadding(Padding.SAME);
            o.setStrideH(1);
            o.setStrideW(k);
            o.setDilationHFactor(1);
            o.setDilationWFactor(1);
            o.setFusedActivationFunction(ActivationFunctionType.RELU);
            g.op(BuiltinOp.CONV_2D, o, new int[] {x, kernel, bias}, new int[] {y});
            x = y;
            in = filters;
            steps = outSteps;
        }
        int sequence = reshape(x, p + "/cnn/output", TensorType.FLOAT32, 1, steps, in);
        int max = g.tensor(p + "/cnn/max", TensorType.FLOAT32, 1, in);
        g.op(BuiltinOp.REDUCE_MAX, reducer(), new int[] {sequence, scalar("axis_1", 1)}, new int[] {max});
        return max;
    }

    /** A Keras LSTM (last output) as TFLite's fused UNIDIRECTIONAL_SEQUENCE_LSTM plus a slice of the last step. */
    private int lstm(String p, int masked, int length, int channels) {
        int units = config.modelConfig().lstmNumUnits();
        int[] in = new int[24];
        Arrays.fill(in, -1);
        in[0] = masked;
        float inputLimit = glorot(channels, 4 * units);
        float recurrentLimit = uniformLimit(units);
        for (int gate = 0; gate < 4; gate++) {
            in[1 + gate] = weight(p + "_lstm_" + LSTM_GATES[gate] + "_kernel", 0f, inputLimit, units, channels);
        }
        for (int gate = 0; gate < 4; gate++) {
            in[5 + gate] = weight(p + "_lstm_" + LSTM_GATES[gate] + "_recurrent_kernel", 0f, recurrentLimit, units, units);
        }
        for (int gate = 0; gate < 4; gate++) {
            // Keras' unit_forget_bias: the forget gate starts open.
            in[12 + gate] = weight(p + "_lstm_" + LSTM_GATES[gate] + "_bias", gate == 1 ? 1f : 0f, 0.1f, units);
        }
        in[18] = g.variable(p + "/lstm/output_state", TensorType.FLOAT32, 1, units);
        in[19] = g.variable(p + "/lstm/cell_state", TensorType.FLOAT32, 1, units);
        int out = g.tensor(p + "/lstm/sequence", TensorType.FLOAT32, 1, length, units);
        UnidirectionalSequenceLSTMOptionsT o = new UnidirectionalSequenceLSTMOptionsT();
        o.setFusedActivationFunction(ActivationFunctionType.TANH);
        o.setCellClip(LSTM_CELL_CLIP);
        o.setProjClip(0f);
        o.setTimeMajor(false);
        g.op(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, o, in, new int[] {out});
        int last = g.tensor(p + "/lstm/last", TensorType.FLOAT32, 1, units);
        StridedSliceOptionsT s = new StridedSliceOptionsT();
        s.setBeginMask(5);
        s.setEndMask(5);
        s.setShrinkAxisMask(2);
        g.op(BuiltinOp.STRIDED_SLICE, s, new int[] {out, g.constant(p + "/lstm/slice_begin", new int[] {3}, new int[] {0, -1, 0}),
                g.constant(p + "/lstm/slice_end", new int[] {3}, new int[] {0, 0, 0}),
                g.constant(p + "/lstm/slice_strides", new int[] {3}, new int[] {1, 1, 1})}, new int[] {last});
        return last;
    }

    /** A Keras GRU (reset_after, last output), written by {@link GruEncoderWriter}. */
    private int gru(String p, int masked, int length, int channels) {
        int units = config.modelConfig().lstmNumUnits();
        float[] kernel = source(p + "_gru_kernel", 0f, glorot(channels, 3 * units), channels, 3 * units);
        float[] recurrent = source(p + "_gru_recurrent_kernel", 0f, uniformLimit(units), units, 3 * units);
        float[] bias = source(p + "_gru_bias", 0f, 0.1f, 2, 3 * units);
        return GruEncoderWriter.write(writer, g, p + "/gru", masked, length, channels, units, kernel, recurrent, bias,
                config.modelConfig().gruForm());
    }

    private int dense(String name, int x, int in, int out) {
        int kernel = weight(name + "_kernel", 0f, glorot(in, out), out, in);
        int bias = weight(name + "_bias", 0.05f, 0.05f, out);
        int y = g.tensor(name + "/output", TensorType.FLOAT32, 1, out);
        g.op(BuiltinOp.FULLY_CONNECTED, fullyConnected(ActivationFunctionType.RELU), new int[] {x, kernel, bias}, new int[] {y});
        return y;
    }

    private int width(FeatureGroup group) {
        ModelConfig mc = config.modelConfig();
        switch (group.encoderType()) {
            case BOW: return group.channels();
            case CNN: return config.inputConfig().labelFeature().embeddingDim() * mc.convNumFilterRatios().get(mc.convNumFilterRatios().size() - 1);
            default: return mc.lstmNumUnits();
        }
    }

    private int reshape(int x, String name, TensorType type, int... shape) {
        int out = g.tensor(name, type, shape);
        String key = Arrays.toString(shape);
        Integer shapeConst = sharedConstants.get(key);
        if (shapeConst == null) {
            shapeConst = g.constant("shape" + key.replace(" ", ""), new int[] {shape.length}, shape);
            sharedConstants.put(key, shapeConst);
        }
        g.op(BuiltinOp.RESHAPE, null, new int[] {x, shapeConst}, new int[] {out});
        return out;
    }

    /** An int32 scalar constant, one tensor per value (the converter shares equal constants too). */
    private int scalar(String name, int value) {
        return sharedConstants.computeIfAbsent("scalar " + value, key -> g.constant(name, new int[0], new int[] {value}));
    }

    private int weight(String name, float center, float limit, int... shape) {
        return g.constant(name, shape, source(name, center, limit, shape));
    }

    private float[] source(String name, float center, float limit, int... shape) {
        Weight w = new Weight(name, shape, center, limit);
        float[] values = source.values(w);
        if (values == null || values.length != w.elements()) {
            throw new ModelConfigException(name, "the weight source gave " + (values == null ? "no" : values.length)
                    + " values for shape " + Arrays.toString(shape) + " (" + w.elements() + " elements)");
        }
        return values;
    }

    /** Glorot (Xavier) uniform: keeps the variance of activations through a layer. */
    private static float glorot(int fanIn, int fanOut) {
        return (float) Math.sqrt(6.0 / (fanIn + fanOut));
    }

    /** Uniform with standard deviation 1/sqrt(dim) (the example's embedding initializer's scale). */
    private static float uniformLimit(int dim) {
        return (float) Math.sqrt(3.0 / dim);
    }

    private static ConcatenationOptionsT concat(int axis) {
        ConcatenationOptionsT o = new ConcatenationOptionsT();
        o.setAxis(axis);
        o.setFusedActivationFunction(ActivationFunctionType.NONE);
        return o;
    }

    private static MulOptionsT mul() {
        MulOptionsT o = new MulOptionsT();
        o.setFusedActivationFunction(ActivationFunctionType.NONE);
        return o;
    }

    private static ReducerOptionsT reducer() {
        ReducerOptionsT o = new ReducerOptionsT();
        o.setKeepDims(false);
        return o;
    }

    private static FullyConnectedOptionsT fullyConnected(byte activation) {
        FullyConnectedOptionsT o = new FullyConnectedOptionsT();
        o.setFusedActivationFunction(activation);
        o.setKeepNumDims(false);
        return o;
    }

    /** One line a user recognises the config in ({@code tfl4j inspect} shows it). */
    private String description() {
        StringBuilder s = new StringBuilder("tfl4j dual encoder: ");
        List<FeatureGroup> groups = config.inputConfig().activityFeatureGroups();
        for (int gi = 0; gi < groups.size(); gi++) {
            FeatureGroup group = groups.get(gi);
            if (gi > 0) s.append(", ");
            s.append(group.encoderType()).append('(');
            for (int fi = 0; fi < group.features().size(); fi++) {
                Feature f = group.features().get(fi);
                if (fi > 0) s.append(' ');
                s.append(f.featureName()).append('[').append(f.featureLength()).append(']');
                s.append(f.featureType() == FeatureType.INT ? ":" + f.vocabSize() + "x" + f.embeddingDim() : ":float");
            }
            s.append(')');
            if (group.encoderType() == EncoderType.GRU) s.append(" gru_form ").append(config.modelConfig().gruForm());
        }
        ModelConfig mc = config.modelConfig();
        s.append("; hidden ").append(mc.hiddenLayerDims()).append("; label ")
                .append(config.inputConfig().labelFeature().featureName()).append(' ')
                .append(config.inputConfig().labelFeature().vocabSize()).append('x')
                .append(config.inputConfig().labelFeature().embeddingDim()).append("; top ").append(mc.numPredictions());
        return s.toString();
    }
}

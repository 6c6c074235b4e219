package org.tfl4j.engine.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;
import org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptionsT;
import org.tensorflow.lite.schema.WhileOptionsT;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

/**
 * The fuzzer's seed files: the four published MovieLens models (when their folder is found) and small
 * models written with {@link TfliteWriter} that together use every op tfl4j runs, several subgraphs,
 * signatures, variables, and a WHILE whose body calls itself.
 */
public final class FuzzCorpus {

    /** A seed: its name, bytes and structure map. */
    public record Seed(String name, byte[] bytes, FlatBufferMap map, boolean published) {}

    static final List<String> PUBLISHED = List.of("model_history10_top100.tflite", "recommendation_cnn_i10o100.tflite",
            "recommendation_rnn_i10o100.tflite", "recommendation_cnn_i10i32o100.tflite");

    private FuzzCorpus() {}

    /** The published models folder: system property tfl4j.models, then $TFL4J_MODELS; null when absent. */
    public static Path modelsDir() {
        for (String dir : new String[] {System.getProperty("tfl4j.models"), System.getenv("TFL4J_MODELS")}) {
            if (dir != null && Files.isDirectory(Path.of(dir))) return Path.of(dir);
        }
        return null;
    }

    /** The published models that are present (possibly none). */
    public static List<Seed> published() {
        List<Seed> seeds = new ArrayList<>();
        Path dir = modelsDir();
        if (dir == null) return seeds;
        for (String name : PUBLISHED) {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) continue;
            try {
                byte[] b = Files.readAllBytes(p);
                seeds.add(new Seed(name, b, FlatBufferMap.of(b), true));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return seeds;
    }

    /** The written seeds. */
    public static List<Seed> written() {
        List<Seed> seeds = new ArrayList<>();
        add(seeds, "dense", dense());
        add(seeds, "conv", conv());
        add(seeds, "embedding", embedding());
        add(seeds, "slice-topk", sliceTopK());
        add(seeds, "lstm", lstm());
        add(seeds, "while-self", whileSelf());
        add(seeds, "while-counter", whileCounter());
        return seeds;
    }

    private static void add(List<Seed> seeds, String name, byte[] bytes) {
        seeds.add(new Seed(name, bytes, FlatBufferMap.of(bytes), false));
    }

    private static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 2 - 1;
        return v;
    }

    /** x[1,4] → FULLY_CONNECTED(w[3,4], b[3], RELU) → LOGISTIC → MUL(c) → y[1,3], with a signature. */
    static byte[] dense() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 1, 4);
        int wt = g.constant("w", new int[] {3, 4}, values(12, 1));
        int b = g.constant("b", new int[] {3}, values(3, 2));
        int h = g.tensor("h", TensorType.FLOAT32, 1, 3);
        int s = g.tensor("s", TensorType.FLOAT32, 1, 3);
        int c = g.constant("c", new int[] {3}, values(3, 3));
        int y = g.tensor("y", TensorType.FLOAT32, 1, 3);
        FullyConnectedOptionsT fc = new FullyConnectedOptionsT();
        fc.setFusedActivationFunction((byte) 1);
        g.op(BuiltinOp.FULLY_CONNECTED, fc, new int[] {x, wt, b}, new int[] {h});
        g.op(BuiltinOp.LOGISTIC, null, new int[] {h}, new int[] {s});
        g.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {s, c}, new int[] {y});
        g.inputs(x).outputs(y);
        w.signature("serving_default", g, Map.of("x", x), Map.of("y", y));
        return w.toBytes();
    }

    /** x[1,1,10,4] → CONV_2D(f[3,1,3,4], SAME) → REDUCE_MAX(axis 2) → CONCATENATION with itself → y. */
    static byte[] conv() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 1, 1, 10, 4);
        int f = g.constant("filter", new int[] {3, 1, 3, 4}, values(36, 4));
        int b = g.constant("bias", new int[] {3}, values(3, 5));
        int c = g.tensor("conv", TensorType.FLOAT32, 1, 1, 10, 3);
        Conv2DOptionsT o = new Conv2DOptionsT();
        o.setStrideH(1);
        o.setStrideW(1);
        o.setPadding((byte) 0);
        g.op(BuiltinOp.CONV_2D, o, new int[] {x, f, b}, new int[] {c});
        int axis = g.constant("axis", new int[] {1}, new int[] {2});
        int m = g.tensor("max", TensorType.FLOAT32, 1, 1, 3);
        g.op(BuiltinOp.REDUCE_MAX, new ReducerOptionsT(), new int[] {c, axis}, new int[] {m});
        int y = g.tensor("y", TensorType.FLOAT32, 1, 1, 6);
        ConcatenationOptionsT cat = new ConcatenationOptionsT();
        cat.setAxis(2);
        g.op(BuiltinOp.CONCATENATION, cat, new int[] {m, m}, new int[] {y});
        g.inputs(x).outputs(y);
        return w.toBytes();
    }

    /**
     * ids int32[1,10] → GATHER(table[20,8]) → masked by NOT_EQUAL(ids, 0) → CAST → MUL → SUM / SUM → DIV:
     * the bag-of-words encoder's pattern, then RESHAPE.
     */
    static byte[] embedding() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int ids = g.tensor("ids", TensorType.INT32, 1, 10);
        int table = g.constant("table", new int[] {20, 8}, values(160, 6));
        int e = g.tensor("embedded", TensorType.FLOAT32, 1, 10, 8);
        g.op(BuiltinOp.GATHER, new GatherOptionsT(), new int[] {table, ids}, new int[] {e});
        int zero = g.constant("zero", new int[] {}, new int[] {0});
        int mask = g.tensor("mask", TensorType.BOOL, 1, 10);
        g.op(BuiltinOp.NOT_EQUAL, null, new int[] {ids, zero}, new int[] {mask});
        int maskF = g.tensor("maskf", TensorType.FLOAT32, 1, 10);
        g.op(BuiltinOp.CAST, null, new int[] {mask}, new int[] {maskF});
        int shape3 = g.constant("shape3", new int[] {3}, new int[] {1, 10, 1});
        int mask3 = g.tensor("mask3", TensorType.FLOAT32, 1, 10, 1);
        g.op(BuiltinOp.RESHAPE, new ReshapeOptionsT(), new int[] {maskF, shape3}, new int[] {mask3});
        int masked = g.tensor("masked", TensorType.FLOAT32, 1, 10, 8);
        g.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {e, mask3}, new int[] {masked});
        int axis = g.constant("axis", new int[] {1}, new int[] {1});
        int sum = g.tensor("sum", TensorType.FLOAT32, 1, 8);
        g.op(BuiltinOp.SUM, new ReducerOptionsT(), new int[] {masked, axis}, new int[] {sum});
        int count = g.tensor("count", TensorType.FLOAT32, 1, 1);
        g.op(BuiltinOp.SUM, new ReducerOptionsT(), new int[] {mask3, axis}, new int[] {count});
        int mean = g.tensor("mean", TensorType.FLOAT32, 1, 8);
        g.op(BuiltinOp.DIV, null, new int[] {sum, count}, new int[] {mean});
        int cond = g.tensor("positive", TensorType.BOOL, 1, 8);
        int zeros = g.constant("zeros", new int[] {1, 8}, new float[8]);
        g.op(BuiltinOp.NOT_EQUAL, null, new int[] {mean, zeros}, new int[] {cond});
        int y = g.tensor("y", TensorType.FLOAT32, 1, 8);
        g.op(BuiltinOp.SELECT, null, new int[] {cond, mean, zeros}, new int[] {y});
        g.inputs(ids).outputs(y);
        return w.toBytes();
    }

    /** x[2,12] → STRIDED_SLICE(rows 0..1, every 2nd column) → TOPK_V2(k=3) → values, indices. */
    static byte[] sliceTopK() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 2, 12);
        int begin = g.constant("begin", new int[] {2}, new int[] {0, 0});
        int end = g.constant("end", new int[] {2}, new int[] {1, 12});
        int strides = g.constant("strides", new int[] {2}, new int[] {1, 2});
        int sliced = g.tensor("sliced", TensorType.FLOAT32, 1, 6);
        g.op(BuiltinOp.STRIDED_SLICE, new StridedSliceOptionsT(), new int[] {x, begin, end, strides}, new int[] {sliced});
        int k = g.constant("k", new int[] {}, new int[] {3});
        int values = g.tensor("values", TensorType.FLOAT32, 1, 3);
        int indices = g.tensor("indices", TensorType.INT32, 1, 3);
        g.op(BuiltinOp.TOPK_V2, null, new int[] {sliced, k}, new int[] {values, indices});
        g.inputs(x).outputs(values, indices);
        return w.toBytes();
    }

    /** x[1,3,2] → UNIDIRECTIONAL_SEQUENCE_LSTM (4 cells, variables for h and c) → y[1,3,4]. */
    static byte[] lstm() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int[] in = new int[24];
        Arrays.fill(in, -1);
        in[0] = g.tensor("input", TensorType.FLOAT32, 1, 3, 2);
        for (int gate = 0; gate < 4; gate++) {
            in[1 + gate] = g.constant("w" + gate, new int[] {4, 2}, values(8, 10 + gate));
            in[5 + gate] = g.constant("r" + gate, new int[] {4, 4}, values(16, 20 + gate));
            in[12 + gate] = g.constant("b" + gate, new int[] {4}, values(4, 30 + gate));
        }
        in[18] = g.variable("output_state", TensorType.FLOAT32, 1, 4);
        in[19] = g.variable("cell_state", TensorType.FLOAT32, 1, 4);
        int out = g.tensor("output", TensorType.FLOAT32, 1, 3, 4);
        UnidirectionalSequenceLSTMOptionsT o = new UnidirectionalSequenceLSTMOptionsT();
        o.setFusedActivationFunction((byte) 4); // TANH
        g.op(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, o, in, new int[] {out});
        g.inputs(in[0]).outputs(out);
        return w.toBytes();
    }

    /**
     * A valid loop: main runs WHILE(cond: x < 5, body: x + 1). Mutations of its constants, types and indices reach
     * WHILE's run-time paths: a cond that never turns false ends at the harness's iteration limit.
     */
    static byte[] whileCounter() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph main = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        TfliteWriter.Graph body = w.graph("body");
        WhileOptionsT o = new WhileOptionsT();
        o.setCondSubgraphIndex(cond.index());
        o.setBodySubgraphIndex(body.index());

        int x = main.tensor("x", TensorType.FLOAT32, 1);
        int y = main.tensor("y", TensorType.FLOAT32, 1);
        main.op(BuiltinOp.WHILE, o, new int[] {x}, new int[] {y});
        main.inputs(x).outputs(y);

        int cx = cond.tensor("x", TensorType.FLOAT32, 1);
        int limit = cond.constant("limit", new int[] {1}, new float[] {5});
        int more = cond.tensor("more", TensorType.BOOL, 1);
        cond.op(BuiltinOp.LESS, null, new int[] {cx, limit}, new int[] {more});
        cond.inputs(cx).outputs(more);

        int bx = body.tensor("x", TensorType.FLOAT32, 1);
        int one = body.constant("one", new int[] {1}, new float[] {1});
        int next = body.tensor("next", TensorType.FLOAT32, 1);
        body.op(BuiltinOp.ADD, new org.tensorflow.lite.schema.AddOptionsT(), new int[] {bx, one}, new int[] {next});
        body.inputs(bx).outputs(next);
        return w.toBytes();
    }

    /**
     * Three subgraphs: main runs WHILE(cond 1, body 2) on a counter; the body runs the same WHILE again,
     * so it calls itself. A runtime must refuse it (or bound the recursion), never recurse forever.
     */
    static byte[] whileSelf() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph main = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        TfliteWriter.Graph body = w.graph("body");
        WhileOptionsT o = new WhileOptionsT();
        o.setCondSubgraphIndex(cond.index());
        o.setBodySubgraphIndex(body.index());

        int x = main.tensor("x", TensorType.FLOAT32, 1);
        int y = main.tensor("y", TensorType.FLOAT32, 1);
        main.op(BuiltinOp.WHILE, o, new int[] {x}, new int[] {y});
        main.inputs(x).outputs(y);

        int cx = cond.tensor("x", TensorType.FLOAT32, 1);
        int limit = cond.constant("limit", new int[] {1}, new float[] {3});
        int more = cond.tensor("more", TensorType.BOOL, 1);
        cond.op(BuiltinOp.NOT_EQUAL, null, new int[] {cx, limit}, new int[] {more});
        cond.inputs(cx).outputs(more);

        int bx = body.tensor("x", TensorType.FLOAT32, 1);
        int inner = body.tensor("inner", TensorType.FLOAT32, 1);
        body.op(BuiltinOp.WHILE, o, new int[] {bx}, new int[] {inner});
        int one = body.constant("one", new int[] {1}, new float[] {1});
        int next = body.tensor("next", TensorType.FLOAT32, 1);
        body.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {inner, one}, new int[] {next});
        body.inputs(bx).outputs(next);
        return w.toBytes();
    }
}

package org.tfl4j.engine.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.InvalidModelException;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TOPK_V2 through prepare and bind: rows, k from a constant, both outputs, refusals. */
class TopKV2OpTest {
    @Test
    void topTwoOfEachRow() {
        OpHarness h = new OpHarness();
        int x = h.input(TensorType.FLOAT32, new int[] {2, 4}, new float[] {1f, 9f, -0f, 9f, 0f, -1f, -0f, 2f});
        int k = h.constant(TensorType.INT32, new int[] {}, new int[] {3});
        int values = h.output(TensorType.FLOAT32, 2, 3);
        int indices = h.output(TensorType.INT32, 2, 3);
        h.node(BuiltinOp.TOPK_V2, new OpOptions.None(), new int[] {x, k}, values, indices).run();
        assertArrayEquals(new int[] {1, 3, 0, 3, 0, 2}, h.ints(indices));
        float[] v = h.floats(values);
        assertArrayEquals(new float[] {9f, 9f, 1f, 2f, 0f, -0f}, v);
        assertTrue(Float.floatToRawIntBits(v[5]) < 0, "-0.0 is copied as -0.0");
        assertTrue(h.paddingIntact());
    }

    @Test
    void int32AndKZero() {
        OpHarness h = new OpHarness();
        int x = h.input(TensorType.INT32, new int[] {5}, new int[] {3, 7, 7, -1, 8});
        int k = h.constant(TensorType.INT32, new int[] {1}, new int[] {5});
        int values = h.output(TensorType.INT32, 5);
        int indices = h.output(TensorType.INT32, 5);
        h.node(BuiltinOp.TOPK_V2, new OpOptions.None(), new int[] {x, k}, values, indices).run();
        assertArrayEquals(new int[] {8, 7, 7, 3, -1}, h.ints(values));
        assertArrayEquals(new int[] {4, 1, 2, 0, 3}, h.ints(indices));

        int zero = h.constant(TensorType.INT32, new int[] {}, new int[] {0});
        int noValues = h.output(TensorType.INT32, 0);
        int noIndices = h.output(TensorType.INT32, 0);
        h.node(BuiltinOp.TOPK_V2, new OpOptions.None(), new int[] {x, zero}, noValues, noIndices).run();
        assertTrue(h.paddingIntact());
    }

    @Test
    void refusals() {
        OpHarness h = new OpHarness();
        int x = h.input(TensorType.FLOAT32, new int[] {4}, new float[4]);
        int big = h.constant(TensorType.INT32, new int[] {}, new int[] {5});
        int dynamic = h.input(TensorType.INT32, new int[] {}, new int[] {2});
        int v = h.output(TensorType.FLOAT32, 5), i = h.output(TensorType.INT32, 5);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.TOPK_V2, new OpOptions.None(), new int[] {x, big}, v, i));
        assertTrue(e.getMessage().contains("k = 5"), e.getMessage());
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.TOPK_V2, new OpOptions.None(), new int[] {x, dynamic}, v, i));
        int k2 = h.constant(TensorType.INT32, new int[] {}, new int[] {2});
        int wrongType = h.output(TensorType.INT32, 2), idx = h.output(TensorType.INT32, 2);
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.TOPK_V2, new OpOptions.None(), new int[] {x, k2}, wrongType, idx));
    }
}

package org.tfl4j.engine.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.InvalidModelException;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPLIT and UNPACK through prepare and bind: pieces by hand, negative axes, and what prepare refuses. */
class SplitUnpackOpsTest {

    @Test
    void splitsTheGruProjectionIntoGates() {
        OpHarness h = new OpHarness();
        int axis = h.constant(TensorType.INT32, new int[0], new int[] {-1});
        int in = h.input(TensorType.FLOAT32, new int[] {1, 6}, new float[] {1, 2, -0f, 4, 5, 6});
        int z = h.output(TensorType.FLOAT32, 1, 2), r = h.output(TensorType.FLOAT32, 1, 2), c = h.output(TensorType.FLOAT32, 1, 2);
        h.node(BuiltinOp.SPLIT, new OpOptions.Split(3), new int[] {axis, in}, z, r, c).run();
        assertArrayEquals(new float[] {1, 2}, java.util.Arrays.copyOfRange(h.floats(z), 0, 2));
        assertArrayEquals(new float[] {-0f, 4}, java.util.Arrays.copyOfRange(h.floats(r), 0, 2));
        assertArrayEquals(new float[] {5, 6}, java.util.Arrays.copyOfRange(h.floats(c), 0, 2));
        assertTrue(h.paddingIntact());
    }

    @Test
    void unpacksTimeSteps() {
        OpHarness h = new OpHarness();
        int in = h.input(TensorType.INT32, new int[] {3, 1, 2}, new int[] {1, 2, 3, 4, 5, 6});
        int[] steps = {h.output(TensorType.INT32, 1, 2), h.output(TensorType.INT32, 1, 2), h.output(TensorType.INT32, 1, 2)};
        h.node(BuiltinOp.UNPACK, new OpOptions.Unpack(3, -3), new int[] {in}, steps).run();
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(new int[] {2 * t + 1, 2 * t + 2}, java.util.Arrays.copyOfRange(h.ints(steps[t]), 0, 2));
        }
        assertTrue(h.paddingIntact());
    }

    @Test
    void refusesWhatTfliteRefuses() {
        OpHarness h = new OpHarness();
        int axis = h.constant(TensorType.INT32, new int[0], new int[] {1});
        int in = h.input(TensorType.FLOAT32, new int[] {2, 5}, new float[10]);
        int a = h.output(TensorType.FLOAT32, 2, 2), b = h.output(TensorType.FLOAT32, 2, 3);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.SPLIT, new OpOptions.Split(2), new int[] {axis, in}, a, b));
        assertTrue(e.getMessage().contains("equal pieces"), e.getMessage());
        int runtimeAxis = h.input(TensorType.INT32, new int[0], new int[] {1});
        assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.SPLIT, new OpOptions.Split(1), new int[] {runtimeAxis, in}, in));
        int[] outs = {h.output(TensorType.FLOAT32, 5), h.output(TensorType.FLOAT32, 5)};
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.UNPACK, new OpOptions.Unpack(3, 0), new int[] {in},
                outs[0], outs[1], outs[1]), "num 3 on an axis of 2");
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.UNPACK, new OpOptions.Unpack(2, 2), new int[] {in},
                outs), "axis out of range");
    }
}

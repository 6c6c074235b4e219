package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * LOGICAL_AND against TFLite: bool tensors of the same shape (rank 0 to 5) and numpy broadcasting up to rank 4 on
 * either side, scalars included (a WHILE cond joining two tests), and the four truth-table rows.
 */
class LogicalAndSweepTest {

    static List<OpCase> cases() {
        Random random = new Random(86);
        List<OpCase> cases = new ArrayList<>();
        int[][][] pairs = {
                {{}, {}}, {{1}, {1}}, {{7}, {7}}, {{2, 3}, {2, 3}}, {{2, 3, 4}, {2, 3, 4}}, {{2, 1, 3, 2}, {2, 1, 3, 2}},
                {{2, 2, 1, 2, 3}, {2, 2, 1, 2, 3}},
                {{5}, {}}, {{}, {5}}, {{5}, {1}}, {{1}, {6}}, {{2, 3}, {3}}, {{3}, {2, 3}}, {{2, 3}, {2, 1}},
                {{1, 3}, {2, 1}}, {{2, 1, 4}, {3, 1}}, {{4, 1, 3, 1}, {2, 1, 5}}, {{1, 2, 1, 3}, {2, 2, 4, 1}},
                {{2, 3, 4, 5}, {5}}, {{1}, {2, 2, 2, 2}},
        };
        for (int[][] pair : pairs) {
            int na = SweepValues.count(pair[0]);
            int nb = SweepValues.count(pair[1]);
            cases.add(andOf("bool " + Arrays.toString(pair[0]) + " and " + Arrays.toString(pair[1]), pair[0], pair[1],
                    SweepValues.bools(random, na), SweepValues.bools(random, nb)));
        }
        cases.add(andOf("truth table", new int[] {4}, new int[] {4},
                new boolean[] {false, false, true, true}, new boolean[] {false, true, false, true}));
        for (boolean v : new boolean[] {false, true}) {
            cases.add(andOf("scalar " + v + " and a row", new int[] {}, new int[] {6},
                    new boolean[] {v}, new boolean[] {true, false, true, true, false, false}));
        }
        return cases;
    }

    static OpCase andOf(String name, int[] sa, int[] sb, boolean[] a, boolean[] b) {
        return PredicateCases.of(BuiltinOp.LOGICAL_AND, name, TensorType.BOOL, sa, sb, a, b);
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("LOGICAL_AND", cases());
    }
}

package org.tfl4j.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfl4j.parser.TestModels.ints;
import static org.tfl4j.parser.TestModels.op;
import static org.tfl4j.parser.TestModels.opcode;
import static org.tfl4j.parser.TestModels.tensor;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.WhileOptionsT;

/**
 * The subgraphs a WHILE calls ({@link ControlFlowChecks}): a valid loop parses with its three subgraphs; each
 * defect ends in a {@link ModelFormatException} naming the WHILE (subgraph and op) and what is wrong, cycles
 * included, without recursion however long the chain of subgraphs.
 */
class WhileChecksTest {

    private static final int LESS = org.tensorflow.lite.schema.BuiltinOperator.LESS;

    /**
     * main: x int32[] -> WHILE(cond 1, body 2) -> y. cond: i < 100 (LESS with a constant). body: i * 2 (MUL).
     * Opcodes: 0 WHILE, 1 LESS, 2 MUL. Buffers: 1 the limit 100, 2 the factor 2.
     */
    static ModelT loop() {
        ModelT m = new ModelT();
        m.setVersion(3);
        m.setOperatorCodes(new OperatorCodeT[] {opcode(BuiltinOp.WHILE), opcode(LESS), opcode(BuiltinOp.MUL)});
        m.setBuffers(new BufferT[] {new BufferT(), ints(100), ints(2)});
        SubGraphT main = graph("main", new TensorT[] {
            tensor("x", TensorType.INT32, new int[0], 0), tensor("y", TensorType.INT32, new int[0], 0)},
            new OperatorT[] {whileOp(new int[] {0}, new int[] {1}, 1, 2)}, new int[] {0}, new int[] {1});
        SubGraphT cond = graph("cond", new TensorT[] {
            tensor("i", TensorType.INT32, new int[0], 0), tensor("limit", TensorType.INT32, new int[0], 1),
            tensor("flag", TensorType.BOOL, new int[0], 0)},
            new OperatorT[] {op(1, new int[] {0, 1}, new int[] {2}, BuiltinOptions.NONE, null)},
            new int[] {0}, new int[] {2});
        SubGraphT body = graph("body", new TensorT[] {
            tensor("i", TensorType.INT32, new int[0], 0), tensor("two", TensorType.INT32, new int[0], 2),
            tensor("next", TensorType.INT32, new int[0], 0)},
            new OperatorT[] {op(2, new int[] {0, 1}, new int[] {2}, BuiltinOptions.NONE, null)},
            new int[] {0}, new int[] {2});
        m.setSubgraphs(new SubGraphT[] {main, cond, body});
        return m;
    }

    static OperatorT whileOp(int[] in, int[] out, int cond, int body) {
        WhileOptionsT w = new WhileOptionsT();
        w.setCondSubgraphIndex(cond);
        w.setBodySubgraphIndex(body);
        return op(0, in, out, BuiltinOptions.WhileOptions, w);
    }

    static SubGraphT graph(String name, TensorT[] tensors, OperatorT[] ops, int[] in, int[] out) {
        SubGraphT g = new SubGraphT();
        g.setName(name);
        g.setTensors(tensors);
        g.setOperators(ops);
        g.setInputs(in);
        g.setOutputs(out);
        return g;
    }

    private static WhileOptionsT options(ModelT m) {
        return (WhileOptionsT) m.getSubgraphs()[0].getOperators()[0].getBuiltinOptions().getValue();
    }

    private static ModelFormatException rejects(Consumer<ModelT> edit, String... fragments) {
        ModelT m = loop();
        edit.accept(m);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TestModels.parse(m));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    @Test
    void aValidLoopParsesWithItsSubgraphs() {
        TfliteModel m = TestModels.parse(loop());
        ModelInvariants.check(m);
        assertEquals(3, m.subgraphs().size());
        assertEquals(new OpOptions.While(1, 2), m.mainSubgraph().operators().get(0).options());
        assertEquals("body", m.subgraphs().get(2).name());
        assertArrayEquals(new int[] {2}, m.subgraphs().get(1).outputs());
    }

    @Test
    void calledSubgraphIndices() {
        rejects(m -> options(m).setCondSubgraphIndex(0), "subgraph 0 op 0 (WHILE)", "cond_subgraph_index is 0, the main subgraph");
        rejects(m -> options(m).setBodySubgraphIndex(0), "body_subgraph_index is 0, the main subgraph");
        rejects(m -> options(m).setBodySubgraphIndex(1), "cond_subgraph_index and body_subgraph_index are both 1");
        rejects(m -> options(m).setBodySubgraphIndex(3), "body_subgraph_index 3", "out of range");
    }

    @Test
    void whileArity() {
        rejects(m -> m.getSubgraphs()[0].getOperators()[0].setOutputs(new int[0]), "has 1 inputs but 0 outputs");
        rejects(m -> m.getSubgraphs()[0].getOperators()[0].setInputs(new int[] {-1}), "input 0 is absent");
    }

    @Test
    void condMustGiveOneBool() {
        rejects(m -> m.getSubgraphs()[1].setOutputs(new int[] {2, 2}), "cond subgraph 1 has 2 outputs, expected 1");
        rejects(m -> m.getSubgraphs()[1].getTensors()[2].setType((byte) TensorType.INT32.code),
                "cond subgraph 1 output", "must be a BOOL of shape [] or [1]");
        rejects(m -> m.getSubgraphs()[1].getTensors()[2].setShape(new int[] {2}), "must be a BOOL of shape [] or [1]");
        rejects(m -> m.getSubgraphs()[1].setInputs(new int[] {0, 1}), "cond subgraph 1 has 2 inputs, expected 1");
        ModelT one = loop();
        one.getSubgraphs()[1].getTensors()[2].setShape(new int[] {1});
        TestModels.parse(one); // [1] is TFLite's other accepted form
    }

    @Test
    void bodyMustCarryEveryValue() {
        rejects(m -> m.getSubgraphs()[2].setOutputs(new int[] {2, 0}), "body subgraph 2 has 2 outputs, expected 1");
        rejects(m -> m.getSubgraphs()[2].setInputs(new int[0]), "body subgraph 2 has 0 inputs, expected 1");
    }

    @Test
    void loopValuesKeepTypeAndShape() {
        rejects(m -> m.getSubgraphs()[0].getTensors()[1].setType((byte) TensorType.FLOAT32.code),
                "loop value 0", "the WHILE's output 0", "has type FLOAT32, expected INT32");
        rejects(m -> m.getSubgraphs()[1].getTensors()[0].setShape(new int[] {1}),
                "cond subgraph 1 input 0", "has shape [1], expected []", "does not resize");
        rejects(m -> {
            m.getSubgraphs()[2].getTensors()[0].setShape(new int[] {1});
            m.getSubgraphs()[2].getTensors()[2].setShape(new int[] {1});
        }, "body subgraph 2 input 0", "has shape [1], expected []");
        rejects(m -> m.getSubgraphs()[2].getTensors()[2].setShape(new int[] {1}),
                "body subgraph 2 output 0", "from iteration to iteration: unsupported");
        rejects(m -> m.getSubgraphs()[2].getTensors()[2].setType((byte) TensorType.FLOAT32.code),
                "body subgraph 2 output 0", "another type");
    }

    @Test
    void aBodyCallingItselfIsACycle() {
        ModelFormatException e = rejects(m -> {
            SubGraphT body = m.getSubgraphs()[2];
            body.setOperators(new OperatorT[] {body.getOperators()[0], whileOp(new int[] {2}, new int[] {0}, 1, 2)});
        }, "subgraph 2 op 1 (WHILE): body_subgraph_index 2 calls back into subgraph 2", "WHILE cycle 2 -> 2");
        assertTrue(e.getMessage().contains("may not reach itself"), e.getMessage());
        rejects(m -> {
            SubGraphT cond = m.getSubgraphs()[1];
            cond.setOperators(new OperatorT[] {cond.getOperators()[0], whileOp(new int[] {0}, new int[] {0}, 1, 2)});
        }, "subgraph 1 op 1 (WHILE): cond_subgraph_index 1 calls back", "WHILE cycle 1 -> 1");
    }

    @Test
    void anIndirectCycleIsNamed() {
        rejects(m -> {
            SubGraphT[] g = m.getSubgraphs();
            SubGraphT other = graph("other", g[2].getTensors(), new OperatorT[] {whileOp(new int[] {0}, new int[] {2}, 1, 2)},
                    new int[] {0}, new int[] {2});
            g[2].setOperators(new OperatorT[] {whileOp(new int[] {0}, new int[] {2}, 1, 3)});
            m.setSubgraphs(new SubGraphT[] {g[0], g[1], g[2], other});
        }, "WHILE cycle 2 -> 3 -> 2");
    }

    /** A chain of nested loops thousands deep: checked without recursion, fine when acyclic, named when it closes. */
    @Test
    void longChainsNeedNoRecursion() {
        int depth = 20_000;
        for (boolean closed : new boolean[] {false, true}) {
            ModelT m = loop();
            SubGraphT[] g = new SubGraphT[depth + 2];
            g[0] = m.getSubgraphs()[0];
            g[1] = m.getSubgraphs()[1];
            options(m).setBodySubgraphIndex(2);
            TensorT[] tensors = m.getSubgraphs()[2].getTensors();
            for (int s = 2; s < g.length; s++) {
                int callee = s + 1 < g.length ? s + 1 : closed ? 2 : -1;
                OperatorT[] ops = callee < 0 ? m.getSubgraphs()[2].getOperators()
                        : new OperatorT[] {whileOp(new int[] {0}, new int[] {2}, 1, callee)};
                g[s] = graph("body" + s, tensors, ops, new int[] {0}, new int[] {2});
            }
            m.setSubgraphs(g);
            if (closed) {
                ModelFormatException e = assertThrows(ModelFormatException.class, () -> TestModels.parse(m));
                assertTrue(e.getMessage().contains("subgraph " + (depth + 1) + " op 0 (WHILE): body_subgraph_index 2"),
                        e.getMessage().substring(0, 200));
            } else {
                assertEquals(depth + 2, TestModels.parse(m).subgraphs().size());
            }
        }
    }
}

package org.tfl4j.models;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.TensorType;
import org.tfl4j.parser.TfliteModel;
import org.tfl4j.parser.TfliteParser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TfliteWriterTest {

    @Test
    void writesAModelTheParserReadsBack() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 2, 3);
        int weights = g.constant("w", new int[] {4, 3}, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.5f});
        int y = g.tensor("y", TensorType.FLOAT32, 2, 4);
        int z = g.tensor("z", TensorType.FLOAT32, 4, 4);
        FullyConnectedOptionsT fc = new FullyConnectedOptionsT();
        fc.setFusedActivationFunction((byte) 1);
        g.op(BuiltinOp.FULLY_CONNECTED, fc, new int[] {x, weights, -1}, new int[] {y});
        ConcatenationOptionsT concat = new ConcatenationOptionsT();
        concat.setAxis(0);
        g.op(BuiltinOp.CONCATENATION, concat, new int[] {y, y}, new int[] {z});
        g.inputs(x).outputs(z);
        w.signature("serving_default", g, Map.of("x", x), Map.of("z", z));

        TfliteModel model = TfliteParser.parse(w.toBytes());
        Subgraph main = model.mainSubgraph();
        assertEquals(4, main.tensors().size());
        assertArrayEquals(new int[] {x}, main.inputs());
        assertArrayEquals(new int[] {z}, main.outputs());
        ByteBuffer data = main.tensors().get(weights).data().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(12.5f, data.getFloat(11 * 4));
        Operator op0 = main.operators().get(0);
        assertEquals(BuiltinOp.FULLY_CONNECTED, op0.opcode());
        assertArrayEquals(new int[] {x, weights, -1}, op0.inputs());
        assertTrue(op0.options() instanceof OpOptions.FullyConnected);
        Operator op1 = main.operators().get(1);
        assertEquals(0, ((OpOptions.Concatenation) op1.options()).axis());
        assertEquals("serving_default", model.signatureDefs().get(0).key());
    }

    @Test
    void rejectsAConstantWhoseValuesDoNotFillItsShape() {
        TfliteWriter.Graph g = new TfliteWriter().graph("main");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.constant("w", new int[] {2, 2}, new float[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }

    @Test
    void rejectsAnOptionsObjectFromOutsideTheSchema() {
        TfliteWriter.Graph g = new TfliteWriter().graph("main");
        assertThrows(IllegalArgumentException.class, () -> g.op(BuiltinOp.LOGISTIC, "options", new int[0], new int[0]));
    }
}

package org.tfl4j.parser;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * What the subgraphs called by WHILE ops must be, checked once every subgraph is read: the graph-level part of
 * TFLite's WHILE kernel Prepare, made static.
 *
 * <p>For a WHILE in subgraph {@code s} with {@code n} inputs: {@code n} outputs and no absent input; cond and body are
 * neither the main subgraph nor each other; cond takes {@code n} inputs and has one output, a bool of shape
 * {@code []} or {@code [1]}; body takes {@code n} inputs and gives {@code n} outputs; loop-carried value {@code i}
 * has one type and one shape everywhere it lives (the WHILE's input and output, cond's and body's input, body's
 * output). TFLite would instead resize the called subgraphs to the WHILE's input shapes and let a value grow from
 * iteration to iteration (its dynamic path); tfl4j plans memory once from the stored shapes, so it refuses both,
 * saying so. And no subgraph reaches itself through WHILE ops (directly or through other subgraphs): TFLite would
 * recurse until the stack overflows.
 */
final class ControlFlowChecks {
    private ControlFlowChecks() {}

    static void check(List<Subgraph> subgraphs) {
        for (Subgraph s : subgraphs) {
            for (Operator op : s.operators()) {
                if (op.opcode() == BuiltinOp.WHILE) checkCallees(s, op);
            }
        }
        checkNoCycle(subgraphs); // before the values: a cycle is the defect to report, not the shapes it happens to have
        for (Subgraph s : subgraphs) {
            for (Operator op : s.operators()) {
                if (op.opcode() == BuiltinOp.WHILE) checkWhile(subgraphs, s, op);
            }
        }
    }

    private static String where(Subgraph s, Operator op) {
        return "subgraph " + s.index() + " op " + op.index() + " (WHILE)";
    }

    private static void checkCallees(Subgraph s, Operator op) {
        String where = where(s, op);
        if (!(op.options() instanceof OpOptions.While options)) {
            throw new ModelFormatException(where + ": has no WhileOptions");
        }
        int condIndex = options.condSubgraphIndex();
        int bodyIndex = options.bodySubgraphIndex();
        if (condIndex == 0 || bodyIndex == 0) {
            throw new ModelFormatException(where + ": " + (condIndex == 0 ? "cond_subgraph_index" : "body_subgraph_index")
                    + " is 0, the main subgraph, which cannot be called");
        }
        if (condIndex == bodyIndex) {
            throw new ModelFormatException(where + ": cond_subgraph_index and body_subgraph_index are both " + condIndex
                    + " (TFLite requires two different subgraphs)");
        }
    }

    private static void checkWhile(List<Subgraph> subgraphs, Subgraph s, Operator op) {
        String where = where(s, op);
        OpOptions.While options = (OpOptions.While) op.options();
        int condIndex = options.condSubgraphIndex();
        int bodyIndex = options.bodySubgraphIndex();
        int n = op.inputCount();
        if (op.outputCount() != n) {
            throw new ModelFormatException(where + ": has " + n + " inputs but " + op.outputCount()
                    + " outputs (a WHILE returns each loop-carried value)");
        }
        for (int i = 0; i < n; i++) {
            if (op.input(i) < 0) throw new ModelFormatException(where + ": input " + i + " is absent (-1)");
        }
        Subgraph cond = subgraphs.get(condIndex);
        Subgraph body = subgraphs.get(bodyIndex);
        String condName = "cond subgraph " + condIndex;
        String bodyName = "body subgraph " + bodyIndex;
        requireCount(where, condName, "inputs", cond.inputs().length, n);
        requireCount(where, condName, "outputs", cond.outputs().length, 1);
        requireCount(where, bodyName, "inputs", body.inputs().length, n);
        requireCount(where, bodyName, "outputs", body.outputs().length, n);

        Tensor flag = cond.output(0);
        if (flag.type() != TensorType.BOOL || !(flag.rank() == 0 || (flag.rank() == 1 && flag.dim(0) == 1))) {
            throw new ModelFormatException(where + ": " + condName + " output " + flag + " must be a BOOL of shape [] or [1]");
        }

        for (int i = 0; i < n; i++) {
            Tensor in = s.tensor(op.input(i));
            Tensor out = s.tensor(op.output(i));
            String value = "loop value " + i + " (WHILE input " + in + ")";
            same(where, value, in, "the WHILE's output " + i, out, "");
            same(where, value, in, condName + " input " + i, cond.input(i),
                    "; tfl4j runs a called subgraph with its stored shapes and does not resize it");
            same(where, value, in, bodyName + " input " + i, body.input(i),
                    "; tfl4j runs a called subgraph with its stored shapes and does not resize it");
            Tensor next = body.output(i);
            if (next.type() != body.input(i).type()) {
                throw new ModelFormatException(where + ": " + value + ": " + bodyName + " output " + i + " " + next
                        + " has another type than its input " + body.input(i));
            }
            if (!Arrays.equals(next.shape(), body.input(i).shape())) {
                throw new ModelFormatException(where + ": " + value + ": " + bodyName + " output " + i + " " + next
                        + " has another shape than its input " + body.input(i)
                        + ", so the value would change shape from iteration to iteration: unsupported (tfl4j needs static shapes)");
            }
        }
    }

    private static void requireCount(String where, String subgraph, String what, int actual, int expected) {
        if (actual != expected) {
            throw new ModelFormatException(where + ": " + subgraph + " has " + actual + " " + what + ", expected " + expected);
        }
    }

    private static void same(String where, String value, Tensor reference, String otherName, Tensor other, String why) {
        if (other.type() != reference.type()) {
            throw new ModelFormatException(where + ": " + value + ": " + otherName + " " + other + " has type "
                    + other.type() + ", expected " + reference.type());
        }
        if (!Arrays.equals(other.shape(), reference.shape())) {
            throw new ModelFormatException(where + ": " + value + ": " + otherName + " " + other + " has shape "
                    + Arrays.toString(other.shape()) + ", expected " + Arrays.toString(reference.shape()) + why);
        }
    }

    /**
     * Fails when some subgraph reaches itself through WHILE ops. Iterative depth-first search (a file can hold
     * thousands of subgraphs in a chain: no recursion), naming the cycle it finds.
     */
    private static void checkNoCycle(List<Subgraph> subgraphs) {
        int count = subgraphs.size();
        // Edges: for each subgraph, {callee, WHILE op index, 0 for cond / 1 for body} in op order.
        int[][][] edges = new int[count][][];
        for (int s = 0; s < count; s++) {
            List<int[]> list = new ArrayList<>();
            for (Operator op : subgraphs.get(s).operators()) {
                if (op.opcode() != BuiltinOp.WHILE) continue;
                OpOptions.While w = (OpOptions.While) op.options();
                list.add(new int[] {w.condSubgraphIndex(), op.index(), 0});
                list.add(new int[] {w.bodySubgraphIndex(), op.index(), 1});
            }
            edges[s] = list.toArray(new int[0][]);
        }
        byte[] state = new byte[count]; // 0 unvisited, 1 on the current path, 2 done
        for (int root = 0; root < count; root++) {
            if (state[root] != 0) continue;
            Deque<int[]> stack = new ArrayDeque<>(); // {subgraph, next edge to follow}
            stack.push(new int[] {root, 0});
            state[root] = 1;
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                if (top[1] >= edges[top[0]].length) {
                    state[top[0]] = 2;
                    stack.pop();
                    continue;
                }
                int[] edge = edges[top[0]][top[1]++];
                int callee = edge[0];
                if (state[callee] == 1) throw cycle(subgraphs, stack, subgraphs.get(top[0]), edge);
                if (state[callee] == 0) {
                    state[callee] = 1;
                    stack.push(new int[] {callee, 0});
                }
            }
        }
    }

    private static ModelFormatException cycle(List<Subgraph> subgraphs, Deque<int[]> stack, Subgraph caller, int[] edge) {
        int callee = edge[0];
        List<Integer> path = new ArrayList<>();
        for (var it = stack.descendingIterator(); it.hasNext(); ) path.add(it.next()[0]);
        List<Integer> loop = new ArrayList<>(path.subList(path.indexOf(callee), path.size()));
        loop.add(callee);
        StringBuilder chain = new StringBuilder();
        for (int i = 0; i < loop.size(); i++) {
            if (loop.size() > 12 && i == 5) { // a chain thousands long would swamp the message
                chain.append("... (").append(loop.size() - 10).append(" more) -> ");
                i = loop.size() - 6;
                continue;
            }
            chain.append(loop.get(i)).append(i + 1 < loop.size() ? " -> " : "");
        }
        Operator op = caller.operators().get(edge[1]);
        String field = edge[2] == 1 ? "body_subgraph_index" : "cond_subgraph_index";
        return new ModelFormatException(where(caller, op) + ": " + field + " " + callee + " calls back into subgraph "
                + callee + " (WHILE cycle " + chain + "): a subgraph may not reach itself through WHILE ops");
    }
}

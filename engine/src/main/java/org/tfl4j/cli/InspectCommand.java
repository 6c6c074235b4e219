package org.tfl4j.cli;

import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.SignatureDef;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.Tensor;
import org.tfl4j.parser.TfliteModel;
import org.tfl4j.parser.TfliteParser;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code tfl4j inspect MODEL}: what a model file holds, read with the parser only (so it also works
 * for models the engine cannot run).
 */
final class InspectCommand {
    static final Set<String> OPTIONS = Set.of("--models");

    static final String USAGE = String.join("\n",
            "Usage: tfl4j inspect MODEL [--models DIR]",
            "",
            "Shows a .tflite model's inputs, outputs (name, type, shape), signatures and the ops of its",
            "main subgraph: index, op, input and output shapes, and the parameters (elements) and bytes",
            "of the op's constant inputs ('const'; 'var' marks state such as LSTM h and c, '-' an absent",
            "optional input); then the same for each subgraph a WHILE calls (its cond and body, with their",
            "inputs and outputs); then totals over the distinct constant tensors the ops use.",
            "",
            "  MODEL         a .tflite path or one of bow, cnn, rnn, cnn-genre",
            "  --models DIR  folder with the model files (then $TFL4J_MODELS, then ~/.cache/tfl4j/models)");

    private InspectCommand() {}

    static int run(Args args, ModelStore store, PrintStream out) throws IOException {
        if (args.positional.size() != 1) {
            throw new UsageException("inspect takes one MODEL, got " + args.positional.size() + "; see 'tfl4j inspect --help'");
        }
        Path file = store.model(args.positional.get(0));
        TfliteModel m = TfliteParser.parse(file);
        print(file, m, out);
        return 0;
    }

    static void print(Path file, TfliteModel m, PrintStream out) {
        out.printf(Locale.ROOT, "model        %s (%,d bytes)%n", file, m.fileSize());
        String runtime = m.metadataString("min_runtime_version");
        out.printf(Locale.ROOT, "schema       version %d, description \"%s\"%s%n", m.version(), m.description(),
                runtime == null ? "" : ", min_runtime_version " + runtime);
        StringBuilder sgs = new StringBuilder();
        for (Subgraph s : m.subgraphs()) {
            sgs.append(sgs.length() == 0 ? "" : "; ").append(s.index()).append(" \"").append(s.name()).append("\" ")
                    .append(s.tensors().size()).append(" tensors, ").append(s.operators().size()).append(" ops");
        }
        out.printf(Locale.ROOT, "subgraphs    %d: %s%n", m.subgraphs().size(), sgs);

        Subgraph g = m.mainSubgraph();
        out.println("inputs");
        int[] inputs = g.inputs();
        int[] outputs = g.outputs();
        // Names longer than the usual column (long feature names) widen it rather than push the shapes out of line.
        int ioNameWidth = 40;
        for (int t : inputs) ioNameWidth = Math.max(ioNameWidth, g.tensor(t).name().length());
        for (int t : outputs) ioNameWidth = Math.max(ioNameWidth, g.tensor(t).name().length());
        for (int k = 0; k < inputs.length; k++) printIo(out, k, g.tensor(inputs[k]), ioNameWidth);
        out.println("outputs");
        for (int k = 0; k < outputs.length; k++) printIo(out, k, g.tensor(outputs[k]), ioNameWidth);

        if (m.signatureDefs().isEmpty()) {
            out.println("signatures   none");
        } else {
            out.println("signatures");
            for (SignatureDef s : m.signatureDefs()) {
                out.printf(Locale.ROOT, "  %s (subgraph %d)%n", s.key(), s.subgraphIndex());
                Subgraph sg = s.subgraphIndex() < m.subgraphs().size() ? m.subgraphs().get(s.subgraphIndex()) : null;
                for (Map.Entry<String, Integer> e : s.inputs().entrySet()) printSignatureEntry(out, "input ", e, sg);
                for (Map.Entry<String, Integer> e : s.outputs().entrySet()) printSignatureEntry(out, "output", e, sg);
            }
        }

        // The main subgraph's ops, then those of every subgraph a WHILE calls, in the order they are reached.
        List<Integer> order = new ArrayList<>(List.of(0));
        Map<Integer, List<String>> roles = new LinkedHashMap<>();
        for (int k = 0; k < order.size(); k++) {
            Subgraph s = m.subgraphs().get(order.get(k));
            for (Operator op : s.operators()) {
                if (!(op.options() instanceof OpOptions.While w)) continue;
                String caller = "subgraph " + s.index() + " op " + op.index() + " WHILE";
                roles.computeIfAbsent(w.condSubgraphIndex(), x -> new ArrayList<>()).add("cond of " + caller);
                roles.computeIfAbsent(w.bodySubgraphIndex(), x -> new ArrayList<>()).add("body of " + caller);
                if (!order.contains(w.condSubgraphIndex())) order.add(w.condSubgraphIndex());
                if (!order.contains(w.bodySubgraphIndex())) order.add(w.bodySubgraphIndex());
            }
        }
        Set<String> constants = new HashSet<>(); // "subgraph:tensor", each counted once
        long[] totals = new long[3];             // ops, parameters, bytes
        for (int index : order) {
            Subgraph s = m.subgraphs().get(index);
            if (index == 0) {
                out.printf(Locale.ROOT, "ops of subgraph 0 (params and bytes: the op's constant inputs)%n");
            } else {
                out.printf(Locale.ROOT, "ops of subgraph %d \"%s\" (%s)%n", index, s.name(), String.join("; ", roles.get(index)));
                out.printf(Locale.ROOT, "  inputs   %s%n", tensorList(s, s.inputs()));
                out.printf(Locale.ROOT, "  outputs  %s%n", tensorList(s, s.outputs()));
            }
            printOps(s, m, constants, totals, out);
        }
        out.printf(Locale.ROOT, "total        %d ops%s, %,d parameters, %,d bytes in %d constant tensors%n",
                totals[0], order.size() > 1 ? " in " + order.size() + " subgraphs" : "", totals[1], totals[2], constants.size());
    }

    private static void printOps(Subgraph g, TfliteModel m, Set<String> constants, long[] totals, PrintStream out) {
        List<Operator> ops = g.operators();
        int nameWidth = 2;
        for (Operator op : ops) nameWidth = Math.max(nameWidth, op.opName().length());
        out.printf(Locale.ROOT, "  %3s  %-" + nameWidth + "s  %10s  %11s  %s%n", "#", "op", "params", "bytes", "inputs -> outputs");
        for (Operator op : ops) {
            long params = 0;
            long bytes = 0;
            StringBuilder shapes = new StringBuilder();
            int[] in = op.inputs();
            for (int i = 0; i < in.length; i++) {
                shapes.append(i == 0 ? "" : ", ");
                if (in[i] < 0) {
                    shapes.append('-');
                    continue;
                }
                Tensor t = g.tensor(in[i]);
                if (t.isConstant()) {
                    shapes.append("const ");
                    params += t.elementCount();
                    bytes += constantBytes(t);
                    if (constants.add(g.index() + ":" + t.index())) {
                        totals[1] += t.elementCount();
                        totals[2] += constantBytes(t);
                    }
                }
                if (t.isVariable()) shapes.append("var ");
                shapes.append(typeAndShape(t));
            }
            shapes.append(" -> ");
            int[] o = op.outputs();
            for (int i = 0; i < o.length; i++) shapes.append(i == 0 ? "" : ", ").append(typeAndShape(g.tensor(o[i])));
            if (op.options() instanceof OpOptions.While w) {
                shapes.append("  (cond subgraph ").append(w.condSubgraphIndex()).append(" \"")
                        .append(m.subgraphs().get(w.condSubgraphIndex()).name()).append("\", body subgraph ")
                        .append(w.bodySubgraphIndex()).append(" \"").append(m.subgraphs().get(w.bodySubgraphIndex()).name())
                        .append("\")");
            }
            out.printf(Locale.ROOT, "  %3d  %-" + nameWidth + "s  %,10d  %,11d  %s%n", op.index(), op.opName(), params, bytes, shapes);
        }
        totals[0] += ops.size();
    }

    /** "int32[] 'i', float32[1,4] 'acc'" for a subgraph's input or output list. */
    private static String tensorList(Subgraph g, int[] tensors) {
        StringBuilder sb = new StringBuilder();
        for (int t : tensors) {
            sb.append(sb.length() == 0 ? "" : ", ").append(typeAndShape(g.tensor(t))).append(" '").append(g.tensor(t).name()).append('\'');
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private static long constantBytes(Tensor t) {
        return t.data().remaining();
    }

    private static void printIo(PrintStream out, int k, Tensor t, int nameWidth) {
        out.printf(Locale.ROOT, "  %d  %-" + nameWidth + "s %-18s (tensor %d)%n", k, t.name(), typeAndShape(t), t.index());
    }

    private static void printSignatureEntry(PrintStream out, String kind, Map.Entry<String, Integer> e, Subgraph sg) {
        int t = e.getValue();
        String what = sg != null && t >= 0 && t < sg.tensors().size() ? typeAndShape(sg.tensor(t)) + " '" + sg.tensor(t).name() + "'" : "?";
        out.printf(Locale.ROOT, "    %s %-24s tensor %d %s%n", kind, e.getKey(), t, what);
    }

    static String typeAndShape(Tensor t) {
        StringBuilder sb = new StringBuilder(t.type().name().toLowerCase(Locale.ROOT)).append('[');
        int[] shape = t.shape();
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ",").append(shape[i]);
        return sb.append(']').toString();
    }
}

package org.tfl4j.cli;

import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.Model;
import org.tfl4j.engine.TensorInfo;
import org.tfl4j.engine.io.Npy;
import org.tfl4j.engine.io.NpyArray;
import org.tfl4j.parser.TensorType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code tfl4j run MODEL IN0.npy ... --out DIR} and {@code tfl4j run MODEL --cases DIR --out DIR2}:
 * runs a model on {@code .npy} inputs (subgraph input order) and writes every output k to
 * {@code out<k>.npy}.
 */
final class RunCommand {
    static final Set<String> OPTIONS = Set.of("--out", "--cases", "--models");

    static final String USAGE = String.join("\n",
            "Usage: tfl4j run MODEL IN0.npy [IN1.npy ...] --out DIR",
            "       tfl4j run MODEL --cases DIR --out DIR2",
            "",
            "Runs a model on .npy inputs given in the model's (subgraph) input order and writes each",
            "output k to DIR/out<k>.npy. With --cases, every subfolder of DIR is a case holding in0.npy,",
            "in1.npy, ...; each runs from a fresh state and its outputs go to DIR2/<subfolder>/out<k>.npy.",
            "Inputs must have the input's type (<i4 int32, <f4 float32, <i8 int64, |b1 bool; little-endian,",
            "C order) and element count.",
            "",
            "  MODEL         a .tflite path or one of bow, cnn, rnn, cnn-genre",
            "  --out DIR     where to write the outputs (created if missing)",
            "  --cases DIR   a folder of case folders",
            "  --models DIR  folder with the model files (then $TFL4J_MODELS, then ~/.cache/tfl4j/models)");

    /** Bytes beyond the data that an input .npy may have (its header is at most a few hundred bytes). */
    static final long HEADER_ALLOWANCE = 1 << 16;

    private RunCommand() {}

    static int run(Args args, ModelStore store, PrintStream out) throws IOException {
        if (args.positional.isEmpty()) throw new UsageException("run needs a MODEL; see 'tfl4j run --help'");
        String outDir = args.value("--out");
        if (outDir == null) throw new UsageException("run needs --out DIR; see 'tfl4j run --help'");
        String cases = args.value("--cases");
        List<String> inputs = args.positional.subList(1, args.positional.size());
        if (cases != null && !inputs.isEmpty()) {
            throw new UsageException("run takes either .npy inputs or --cases DIR, not both");
        }
        if (cases == null && inputs.isEmpty()) {
            throw new UsageException("run needs .npy inputs or --cases DIR; see 'tfl4j run --help'");
        }
        Model model = Model.load(store.model(args.positional.get(0)));
        Path target = Path.of(outDir);

        if (cases == null) {
            List<Path> files = new ArrayList<>();
            for (String in : inputs) files.add(Path.of(in));
            List<Path> written = runCase(model, files, target, "");
            out.println("wrote " + describe(written));
            return 0;
        }

        Path casesDir = Path.of(cases);
        if (!Files.isDirectory(casesDir)) throw new UsageException("--cases " + cases + ": not a directory");
        List<Path> caseDirs;
        try (Stream<Path> s = Files.list(casesDir)) {
            caseDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (caseDirs.isEmpty()) throw new UsageException("--cases " + cases + ": no case folders in it");
        for (Path c : caseDirs) {
            String name = c.getFileName().toString();
            List<Path> files = new ArrayList<>();
            for (int k = 0; k < model.inputCount(); k++) {
                Path f = c.resolve("in" + k + ".npy");
                if (!Files.isRegularFile(f)) {
                    throw new UsageException("case " + name + ": " + f.getFileName() + " is missing (the model has "
                            + model.inputCount() + " input" + (model.inputCount() == 1 ? "" : "s") + ")");
                }
                files.add(f);
            }
            Path extra = c.resolve("in" + model.inputCount() + ".npy");
            if (Files.exists(extra)) {
                throw new UsageException("case " + name + ": has " + extra.getFileName() + " but the model has only "
                        + model.inputCount() + " input" + (model.inputCount() == 1 ? "" : "s"));
            }
            runCase(model, files, target.resolve(name), "case " + name + ": ");
        }
        out.printf(Locale.ROOT, "ran %d case%s, outputs in %s%n", caseDirs.size(), caseDirs.size() == 1 ? "" : "s", target);
        return 0;
    }

    /** Runs one case in a fresh interpreter; returns the files written. */
    private static List<Path> runCase(Model model, List<Path> inputFiles, Path outDir, String what) throws IOException {
        if (inputFiles.size() != model.inputCount()) {
            throw new UsageException(what + "the model has " + model.inputCount() + " input"
                    + (model.inputCount() == 1 ? "" : "s") + ", got " + inputFiles.size() + " .npy file"
                    + (inputFiles.size() == 1 ? "" : "s"));
        }
        NpyArray[] arrays = new NpyArray[inputFiles.size()];
        for (int k = 0; k < arrays.length; k++) {
            TensorInfo t = model.input(k);
            // The data plus a generous header: anything larger cannot fit the input and is not read at all.
            NpyArray a = Npy.read(inputFiles.get(k), (long) t.numBytes() + HEADER_ALLOWANCE);
            if (a.type() != t.dataType()) {
                throw new UsageException(what + inputFiles.get(k) + " is " + Npy.descr(a.type()) + ", input " + k + " "
                        + t + " needs " + descrOrName(t.dataType()) + numpyHint(t.dataType()));
            }
            if (a.elementCount() != t.numElements()) {
                throw new UsageException(what + inputFiles.get(k) + " has shape " + Arrays.toString(a.shape())
                        + " (" + a.elementCount() + " elements), input " + k + " " + t + " needs " + t.numElements());
            }
            arrays[k] = a;
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UsageException(what + "cannot create the output folder " + outDir + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        List<Path> written = new ArrayList<>();
        try (Interpreter interpreter = new Interpreter(model, new Interpreter.Options())) {
            for (int k = 0; k < arrays.length; k++) interpreter.setInput(k, arrays[k].data());
            interpreter.invoke();
            for (int k = 0; k < model.outputCount(); k++) {
                TensorInfo t = model.output(k);
                if (!isNpyType(t.dataType())) {
                    throw new UsageException(what + "output " + k + " " + t + " has a type .npy output does not support");
                }
                NpyArray result = NpyArray.zeros(t.dataType(), t.shape());
                interpreter.getOutput(k, result.data());
                Path f = outDir.resolve("out" + k + ".npy");
                Npy.write(f, result);
                written.add(f);
            }
        }
        return written;
    }

    private static boolean isNpyType(TensorType type) {
        return type == TensorType.INT32 || type == TensorType.FLOAT32 || type == TensorType.INT64 || type == TensorType.BOOL;
    }

    private static String descrOrName(TensorType type) {
        return isNpyType(type) ? Npy.descr(type) : type.name();
    }

    private static String numpyHint(TensorType type) {
        switch (type) {
            case INT32: return " (save a.astype(np.int32))";
            case FLOAT32: return " (save a.astype(np.float32))";
            case INT64: return " (save a.astype(np.int64))";
            case BOOL: return " (save a.astype(np.bool_))";
            default: return "";
        }
    }

    private static String describe(List<Path> files) {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) sb.append(sb.length() == 0 ? "" : ", ").append(f);
        return sb.toString();
    }
}

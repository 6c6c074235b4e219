package org.tfl4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one command: positional arguments and {@code --name value} / {@code --name=value}
 * options, in any order; {@code --} ends the options (for titles that start with '-').
 */
final class Args {
    final String command;
    final List<String> positional = new ArrayList<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    boolean help;

    /**
     * @param valueOptions options that take a value, e.g. "--top"
     * @param flags        options without a value besides --help and --debug
     */
    Args(String command, List<String> args, Set<String> valueOptions, Set<String> flags) {
        this.command = command;
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (a.equals("-h") || a.equals("--help")) {
                help = true;
                continue;
            }
            if (a.equals("--debug")) continue; // read by Main before the command runs
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (flags.contains(name)) {
                if (value != null) throw new UsageException(name + " takes no value");
                put(name, "");
            } else if (valueOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) throw new UsageException(name + " needs a value; see 'tfl4j " + command + " --help'");
                    value = args.get(++i);
                }
                put(name, value);
            } else {
                List<String> known = new ArrayList<>(valueOptions);
                known.addAll(flags);
                known.add("--help");
                known.add("--debug");
                throw new UsageException("unknown option " + name + " for '" + command + "' (options: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    private void put(String name, String value) {
        if (values.put(name, value) != null) throw new UsageException(name + " is given twice");
    }

    /** The option's value, or null when not given. */
    String value(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A positive integer option, or {@code fallback} when absent. */
    int positiveInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new UsageException(name + " must be a positive integer, got '" + v + "'");
    }
}

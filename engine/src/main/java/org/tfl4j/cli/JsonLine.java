package org.tfl4j.cli;

import java.util.Locale;

/**
 * One JSON object written by hand on a single line (the engine carries no JSON writer): fields in the order
 * added, strings escaped per RFC 8259, numbers finite.
 */
final class JsonLine {
    private final StringBuilder json = new StringBuilder("{");
    private boolean empty = true;

    JsonLine put(String name, String value) {
        key(name);
        if (value == null) json.append("null");
        else quote(json, value);
        return this;
    }

    JsonLine put(String name, long value) {
        key(name).append(value);
        return this;
    }

    JsonLine put(String name, boolean value) {
        key(name).append(value);
        return this;
    }

    /** A number with {@code decimals} digits after the point; NaN and infinities, which JSON lacks, become null. */
    JsonLine put(String name, double value, int decimals) {
        key(name);
        if (Double.isFinite(value)) json.append(String.format(Locale.ROOT, "%." + decimals + "f", value));
        else json.append("null");
        return this;
    }

    /** A value that is already JSON (an array or object built with {@link #toString()}). */
    JsonLine putRaw(String name, String json) {
        key(name).append(json);
        return this;
    }

    private StringBuilder key(String name) {
        if (!empty) json.append(',');
        empty = false;
        quote(json, name);
        return json.append(':');
    }

    /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    static void quote(StringBuilder to, String s) {
        to.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': to.append("\\\""); break;
                case '\\': to.append("\\\\"); break;
                case '\n': to.append("\\n"); break;
                case '\r': to.append("\\r"); break;
                case '\t': to.append("\\t"); break;
                case '\b': to.append("\\b"); break;
                case '\f': to.append("\\f"); break;
                default:
                    // U+2028 and U+2029 are valid JSON but end lines in JavaScript; escaping them keeps one line anywhere.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') to.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else to.append(c);
            }
        }
        to.append('"');
    }

    /** The object, closed. */
    @Override
    public String toString() {
        return json + "}";
    }
}

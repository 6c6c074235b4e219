package org.tfl4j.recommend;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;

/** Typed reads of JSON fields with errors that name the file and the field. */
final class JsonFields {
    private JsonFields() {}

    static JsonElement parse(String json, String source) {
        try {
            return JsonParser.parseString(json);
        } catch (JsonParseException e) {
            // Gson's message ends with a troubleshooting URL; the cause carries the position.
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new RecommenderException(source + ": not valid JSON: " + firstLine(why.getMessage()), e);
        }
    }

    /** An integer field, or {@code fallback} when absent or null. */
    static int intField(JsonObject o, String field, int fallback, String where) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) return fallback;
        return asInt(e, "'" + where + field + "'");
    }

    /** A required integer field. */
    static int requiredInt(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) throw new RecommenderException("'" + where + field + "' is missing");
        return asInt(e, "'" + where + field + "'");
    }

    static int asInt(JsonElement e, String what) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            try {
                BigDecimal v = e.getAsBigDecimal();
                return v.intValueExact();
            } catch (ArithmeticException | NumberFormatException notAnInt) {
                // fall through to the error below
            }
        }
        throw new RecommenderException(what + " must be an integer, got " + show(e));
    }

    /** A string field, or {@code fallback} when absent or null. */
    static String stringField(JsonObject o, String field, String fallback, String where) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) return fallback;
        return asString(e, "'" + where + field + "'");
    }

    static String asString(JsonElement e, String what) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) return e.getAsString();
        throw new RecommenderException(what + " must be a string, got " + show(e));
    }

    /** A short rendering of a JSON value for error messages. */
    static String show(JsonElement e) {
        String s = e.toString();
        if (e.isJsonObject()) return "an object";
        if (e.isJsonArray()) return "an array";
        if (e instanceof JsonPrimitive && ((JsonPrimitive) e).isBoolean()) return s;
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}

package dev.cutover.script;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/** Converts between Java values and what a sandboxed script can read. */
final class GuestValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GuestValues() {
    }

    /** Maps become JS-readable objects, lists arrays, records their fields; scalars pass as they are. */
    static Object toGuest(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> converted = new LinkedHashMap<>();
            map.forEach((k, v) -> converted.put(String.valueOf(k), toGuest(v)));
            return ProxyObject.fromMap(converted);
        }
        if (value instanceof List<?> list) {
            List<Object> converted = new ArrayList<>(list.size());
            list.forEach(v -> converted.add(toGuest(v)));
            return ProxyArray.fromList(converted);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT);
        }
        return toGuest(JSON.convertValue(value, Map.class));
    }

    /** Reads an options object such as {@code {max: '30s'}} into a map of strings and numbers. */
    static Map<String, Object> options(Value options) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (options == null || options.isNull()) {
            return map;
        }
        if (!options.hasMembers()) {
            throw dev.cutover.CutoverException.usage("expected an options object such as {timeout: '5s'}, got " + options);
        }
        for (String key : options.getMemberKeys()) {
            Value v = options.getMember(key);
            if (v.isBoolean()) {
                map.put(key, v.asBoolean());
            } else if (v.isNumber()) {
                map.put(key, v.fitsInLong() ? v.asLong() : v.asDouble());
            } else if (v.isNull()) {
                map.put(key, null);
            } else if (v.isString()) {
                map.put(key, v.asString());
            } else {
                map.put(key, v.toString());
            }
        }
        return map;
    }
}

package io.tandem.sim.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of one API call, merged from the query string, a form-encoded body and a JSON body, as
 * GitLab (Grape) accepts all three. Rails-style keys are unfolded: {@code a[]=1} is a list,
 * {@code a[k]=v} a map, {@code a[][k]=v} and {@code a[0][k]=v} a list of maps.
 */
public final class ApiParams {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NESTED = Pattern.compile("^([^\\[]+)((?:\\[[^\\]]*\\])+)$");
    private static final Pattern PART = Pattern.compile("\\[([^\\]]*)\\]");

    private final Map<String, Object> values = new LinkedHashMap<>();

    private ApiParams() {
    }

    public static ApiParams empty() {
        return new ApiParams();
    }

    public static ApiParams of(Map<String, List<String>> query, String contentType, String body) {
        ApiParams params = new ApiParams();
        query.forEach((key, list) -> list.forEach(value -> params.putRails(key, value)));
        if (body != null && !body.isBlank()) {
            String type = contentType == null ? "" : contentType.toLowerCase();
            if (type.contains("json") || (!type.contains("form") && body.trim().startsWith("{"))) {
                params.putJson(body);
            } else if (type.contains("x-www-form-urlencoded")) {
                for (String pair : body.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                    String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                    params.putRails(key, value);
                }
            }
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private void putJson(String body) {
        try {
            Map<String, Object> map = JSON.readValue(body, new TypeReference<Map<String, Object>>() {
            });
            values.putAll(map);
        } catch (Exception e) {
            throw ApiError.badRequest("400 Bad request - invalid JSON body");
        }
    }

    @SuppressWarnings("unchecked")
    private void putRails(String key, String value) {
        Matcher nested = NESTED.matcher(key);
        if (!nested.matches()) {
            values.put(key, value);
            return;
        }
        String base = nested.group(1);
        List<String> parts = new ArrayList<>();
        Matcher part = PART.matcher(nested.group(2));
        while (part.find()) {
            parts.add(part.group(1));
        }
        if (parts.size() == 1 && parts.get(0).isEmpty()) {
            list(base).add(value);
        } else if (parts.size() == 1) {
            map(values, base).put(parts.get(0), value);
        } else {
            List<Object> list = list(base);
            String index = parts.get(0);
            String field = parts.get(1);
            Map<String, Object> element;
            if (index.isEmpty()) {
                Object last = list.isEmpty() ? null : list.get(list.size() - 1);
                if (last instanceof Map<?, ?> m && !m.containsKey(field)) {
                    element = (Map<String, Object>) last;
                } else {
                    element = new LinkedHashMap<>();
                    list.add(element);
                }
            } else {
                int i = Integer.parseInt(index);
                while (list.size() <= i) {
                    list.add(new LinkedHashMap<String, Object>());
                }
                element = (Map<String, Object>) list.get(i);
            }
            element.put(field, value);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(String key) {
        Object existing = values.get(key);
        if (existing instanceof List<?> l) {
            return (List<Object>) l;
        }
        List<Object> list = new ArrayList<>();
        values.put(key, list);
        return list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> into, String key) {
        return (Map<String, Object>) into.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Object raw(String name) {
        return values.get(name);
    }

    public String string(String name) {
        Object value = values.get(name);
        return value == null || value instanceof Map || value instanceof List ? null : value.toString();
    }

    public String string(String name, String fallback) {
        String value = string(name);
        return value == null ? fallback : value;
    }

    public String required(String name) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            throw ApiError.missing(name);
        }
        return value;
    }

    public Long longValue(String name) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badParam(name + " is invalid");
        }
    }

    public long requiredLong(String name) {
        Long value = longValue(name);
        if (value == null) {
            throw ApiError.missing(name);
        }
        return value;
    }

    public int intValue(String name, int fallback) {
        Long value = longValue(name);
        return value == null ? fallback : value.intValue();
    }

    public Boolean bool(String name) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase()) {
            case "true", "1", "yes", "t", "on" -> true;
            case "false", "0", "no", "f", "off" -> false;
            default -> throw ApiError.badParam(name + " is invalid");
        };
    }

    public boolean bool(String name, boolean fallback) {
        Boolean value = bool(name);
        return value == null ? fallback : value;
    }

    public LocalDate date(String name) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (DateTimeParseException e) {
            throw ApiError.badParam(name + " is invalid");
        }
    }

    /** A list given as an array, {@code a[]=} repeats or a comma separated string. */
    public List<String> strings(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        List<String> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item != null) {
                    for (String s : item.toString().split(",")) {
                        if (!s.isBlank()) {
                            result.add(s.trim());
                        }
                    }
                }
            }
        } else {
            Arrays.stream(value.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .forEach(result::add);
        }
        return result;
    }

    /** Ids as a list; {@code 0} and empty values mean "none", as in GitLab's assignee_ids. */
    public List<Long> ids(String name) {
        List<String> items = strings(name);
        if (items == null) {
            return null;
        }
        List<Long> result = new ArrayList<>();
        for (String item : items) {
            try {
                long id = Long.parseLong(item);
                if (id != 0 && !result.contains(id)) {
                    result.add(id);
                }
            } catch (NumberFormatException e) {
                throw ApiError.badParam(name + " is invalid");
            }
        }
        return result;
    }

    /** A list of objects (JSON array of objects or Rails-style form); a map becomes key/value objects. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> objects(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        List<Map<String, Object>> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> m) {
                    result.add((Map<String, Object>) m);
                } else {
                    throw ApiError.badParam(name + " is invalid");
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("key", String.valueOf(k));
                entry.put("value", v == null ? null : String.valueOf(v));
                result.add(entry);
            });
        } else {
            throw ApiError.badParam(name + " is invalid");
        }
        return result;
    }
}

package io.tandem.identity.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The branches and files a REST write touches, from its path, query string and (for the few calls that need
 * it) body, checked against the run's branches and the CI configuration rule. GitLab takes parameters from the
 * query string, a form or a JSON body: all three are read.
 */
@ApplicationScoped
public class WriteTargets {

    private final ObjectMapper json;

    public WriteTargets(ObjectMapper json) {
        this.json = json;
    }

    public void check(ApiCall call, List<Map.Entry<String, String>> query, String contentType, byte[] body,
            RunClaims claims, boolean ciChangesAllowed) {
        List<String> branches = new ArrayList<>(call.branches());
        List<String> files = new ArrayList<>(call.files());
        if (call.body() != ApiCall.BodyCheck.NONE) {
            List<Map.Entry<String, String>> params = new ArrayList<>(query);
            JsonNode jsonBody = null;
            String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
            if (body != null && body.length > 0) {
                if (type.startsWith("application/json")) {
                    jsonBody = readJson(body);
                    jsonBody.fields().forEachRemaining(field -> {
                        if (field.getValue().isValueNode()) {
                            params.add(Map.entry(field.getKey(), field.getValue().asText()));
                        }
                    });
                } else if (type.startsWith("application/x-www-form-urlencoded")) {
                    params.addAll(form(new String(body, StandardCharsets.UTF_8)));
                } else {
                    throw new ProxyRefusal(415, "the proxy checks this call's parameters: send them as JSON, a form or the query string");
                }
            }
            List<String> named = values(params, "branch");
            if (named.isEmpty()) {
                throw new ProxyRefusal(400, "branch is missing");
            }
            branches.addAll(named);
            if (call.body() == ApiCall.BodyCheck.COMMIT) {
                files.addAll(actionPaths(jsonBody, params));
            }
        }
        for (String branch : branches) {
            if (!BranchRules.allowed(branch, claims.branches())) {
                throw ProxyRefusal.forbidden("the run may write only the branches " + claims.branches() + ", not " + branch);
            }
        }
        if (!ciChangesAllowed) {
            for (String file : files) {
                if (BranchRules.isCiConfig(file)) {
                    throw ProxyRefusal.forbidden("the agent's definition does not allow changes to CI configuration ("
                            + file + ")");
                }
            }
        }
    }

    private static List<String> actionPaths(JsonNode jsonBody, List<Map.Entry<String, String>> params) {
        List<String> paths = new ArrayList<>();
        if (jsonBody != null && jsonBody.path("actions").isArray()) {
            for (JsonNode action : jsonBody.path("actions")) {
                addText(paths, action.path("file_path"));
                addText(paths, action.path("previous_path"));
            }
        }
        // Rails-style form fields: actions[][file_path]=...
        for (Map.Entry<String, String> param : params) {
            if (param.getKey().startsWith("actions[") && (param.getKey().endsWith("[file_path]")
                    || param.getKey().endsWith("[previous_path]"))) {
                paths.add(param.getValue());
            }
        }
        return paths;
    }

    private static void addText(List<String> paths, JsonNode node) {
        if (node.isTextual()) {
            paths.add(node.asText());
        }
    }

    private static List<String> values(List<Map.Entry<String, String>> params, String name) {
        return params.stream().filter(param -> name.equals(param.getKey())).map(Map.Entry::getValue).toList();
    }

    private JsonNode readJson(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ProxyRefusal(400, "the body is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ProxyRefusal(400, "the body is not valid JSON");
        }
    }

    public static List<Map.Entry<String, String>> form(String encoded) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(Map.entry(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8)));
        }
        return params;
    }
}

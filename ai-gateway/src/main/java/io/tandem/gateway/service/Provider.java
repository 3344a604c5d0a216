package io.tandem.gateway.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The two front doors: where they are mounted, and their name in tokens, tables and metrics. */
public enum Provider {
    ANTHROPIC("anthropic", "/ai/v1/proxy/anthropic"),
    OPENAI("openai", "/ai/v1/proxy/openai/v1");

    private final String id;
    private final String prefix;

    Provider(String id, String prefix) {
        this.id = id;
        this.prefix = prefix;
    }

    /** The name in the token's {@code models} claim, the usage table and metric tags. */
    public String id() {
        return id;
    }

    public String prefix() {
        return prefix;
    }

    /** The provider named {@code id} in a path or a table. */
    public static Optional<Provider> byId(String id) {
        for (Provider provider : values()) {
            if (provider.id.equals(id)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }

    public List<String> modelsIn(Map<String, List<String>> models) {
        List<String> listed = models.get(id);
        return listed == null ? List.of() : listed;
    }
}

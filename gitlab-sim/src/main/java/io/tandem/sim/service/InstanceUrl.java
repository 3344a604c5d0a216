package io.tandem.sim.service;

import io.tandem.sim.config.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The simulator's own base URL for {@code web_url} fields and {@code X-Gitlab-Instance}: the configured
 * external URL, else the origin of the first request (tests run on random ports).
 */
@ApplicationScoped
public class InstanceUrl {

    private volatile String base;

    public InstanceUrl(SimConfig config) {
        this.base = config.sim().externalUrl().filter(s -> !s.isBlank()).map(InstanceUrl::trim).orElse(null);
    }

    public void offer(String requestOrigin) {
        if (base == null && requestOrigin != null) {
            base = trim(requestOrigin);
        }
    }

    public String base() {
        return base == null ? "http://127.0.0.1:8929" : base;
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

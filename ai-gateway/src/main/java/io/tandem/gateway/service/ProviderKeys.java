package io.tandem.gateway.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.gateway.config.GatewayConfig;
import io.tandem.gateway.messaging.AuditPublisher;
import io.tandem.gateway.repository.ProviderKeyEntity;
import io.tandem.gateway.repository.ProviderKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The organisation's provider keys. One set through the internal API is stored sealed ({@link SecretBox}) and
 * wins over the configuration's ({@code TANDEM_ANTHROPIC_API_KEY}, the bootstrap); one removed through the API
 * stays removed (a key pulled because it leaked must not fall back to an older one). Requests read an opened
 * copy in memory, reloaded after {@code tandem.gateway.settings-cache-ttl}, so every replica uses a new key
 * within seconds, and the one that took it at once.
 */
@ApplicationScoped
public class ProviderKeys {

    private static final Logger LOG = Logger.getLogger(ProviderKeys.class);

    /** Where a provider's key comes from. */
    public enum Source { API, CONFIGURATION, REMOVED, NONE }

    /** A provider's key as requests see it; {@code key} is null without one. Never log it. */
    public record Current(Source source, String key, String fingerprint) {

        /** Whether the front door has a key to forward with. */
        public boolean configured() {
            return source == Source.API || source == Source.CONFIGURATION;
        }

        @Override
        public String toString() {
            return "Current[" + source + ", " + fingerprint + "]";
        }
    }

    private final ProviderKeyRepository keys;
    private final SecretBox box;
    private final AuditPublisher audit;
    private final Map<Provider, Optional<String>> configured = new EnumMap<>(Provider.class);
    private final CachedSnapshot<Map<Provider, Current>> cached;

    public ProviderKeys(ProviderKeyRepository keys, SecretBox box, AuditPublisher audit, GatewayConfig config) {
        this.keys = keys;
        this.box = box;
        this.audit = audit;
        configured.put(Provider.ANTHROPIC, config.gateway().anthropic().apiKey().filter(key -> !key.isBlank()));
        configured.put(Provider.OPENAI, config.gateway().openai().apiKey().filter(key -> !key.isBlank()));
        this.cached = new CachedSnapshot<>(config.gateway().settingsCacheTtl(), () -> keys.all().map(this::resolve));
    }

    /** Needs a safe Vert.x context when the copy is stale. */
    public Uni<Current> current(Provider provider) {
        return cached.get().map(all -> all.get(provider));
    }

    public Uni<Current> set(Provider provider, String apiKey) {
        SecretBox.Sealed sealed = box.seal(apiKey, context(provider));
        String fingerprint = fingerprint(apiKey);
        return keys.put(provider.id(), sealed.ciphertext(), sealed.keyId(), fingerprint).invoke(cached::invalidate)
                .call(saved -> audit.publish(EventIds.derive("provider-key.set", provider.id(), fingerprint,
                        saved.updatedAt.toString()), auditKey(provider), "provider-key.set", null, null, null, null,
                        Map.of("provider", provider.id(), "fingerprint", fingerprint, "encryptionKeyId", sealed.keyId())))
                .map(saved -> new Current(Source.API, null, fingerprint));
    }

    public Uni<Void> remove(Provider provider) {
        return keys.put(provider.id(), null, null, null).invoke(cached::invalidate)
                .call(saved -> audit.publish(EventIds.derive("provider-key.removed", provider.id(),
                        saved.updatedAt.toString()), auditKey(provider), "provider-key.removed", null, null, null, null,
                        Map.of("provider", provider.id())))
                .replaceWithVoid();
    }

    /** A short public name for a key (an API key has far too much entropy for its hash to give it away). */
    public static String fingerprint(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The associated data of a provider's row: its ciphertext opens in that row only. */
    public static String context(Provider provider) {
        return "provider-key:" + provider.id();
    }

    private Map<Provider, Current> resolve(List<ProviderKeyEntity> rows) {
        Map<Provider, Current> resolved = new EnumMap<>(Provider.class);
        for (Provider provider : Provider.values()) {
            resolved.put(provider, configured.get(provider)
                    .map(key -> new Current(Source.CONFIGURATION, key, fingerprint(key)))
                    .orElse(new Current(Source.NONE, null, null)));
        }
        for (ProviderKeyEntity row : rows) {
            Optional<Provider> provider = Provider.byId(row.provider);
            if (provider.isEmpty()) {
                continue;
            }
            if (row.sealedKey == null) {
                resolved.put(provider.get(), new Current(Source.REMOVED, null, null));
                continue;
            }
            try {
                String key = box.openString(new SecretBox.Sealed(row.keyId, row.sealedKey), context(provider.get()));
                resolved.put(provider.get(), new Current(Source.API, key, row.fingerprint));
            } catch (IllegalStateException e) {
                // Fail closed: a row that does not open (its encryption key no longer configured) is no key at all.
                LOG.errorf("the %s key (sealed under encryption key %s) does not open: add that key to "
                        + "tandem.gateway.retired-encryption-keys or set the provider key again", row.provider, row.keyId);
                resolved.put(provider.get(), new Current(Source.NONE, null, null));
            }
        }
        return resolved;
    }

    private static String auditKey(Provider provider) {
        return "provider-key:" + provider.id();
    }
}

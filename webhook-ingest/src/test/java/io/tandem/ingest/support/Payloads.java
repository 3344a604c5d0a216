package io.tandem.ingest.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real GitLab payloads in {@code src/test/resources/gitlab-payloads}. */
public final class Payloads {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static byte[] bytes(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/gitlab-payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no payload " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A payload as a tree, to derive variants of it. */
    public static ObjectNode tree(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(ObjectNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Payloads() {
    }
}

package io.tandem.e2e;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The shapes a leaked secret can take in a log line or a record, to search for each. */
final class SecretForms {

    /**
     * The secret as is (first), URL-encoded, and base64 (standard and URL-safe alphabet): whole, and at each of
     * the three offsets it can have inside a longer encoded text (a basic auth header, an encoded blob), as the
     * characters that depend on the secret's bytes alone.
     */
    static Set<String> of(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            forms.add(encoder.encodeToString(bytes));
            for (int offset = 0; offset < 3; offset++) {
                byte[] shifted = new byte[offset + bytes.length];
                System.arraycopy(bytes, 0, shifted, offset, bytes.length);
                String encoded = encoder.withoutPadding().encodeToString(shifted);
                // the first group mixes filler and secret; a last partial group depends on what follows
                forms.add(encoded.substring(offset == 0 ? 0 : 4, 4 * (shifted.length / 3)));
            }
        }
        forms.removeIf(f -> f.length() < 8);
        return forms;
    }

    private SecretForms() {
    }
}

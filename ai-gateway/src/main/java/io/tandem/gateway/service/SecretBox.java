package io.tandem.gateway.service;

import io.tandem.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets at rest with AES-256-GCM: a fresh 12-byte IV per value, prepended to the ciphertext, and the
 * id of the key beside it, so rows sealed under a retired key still open while new ones use the current key.
 * The {@code context} is bound as associated data: a ciphertext copied to another row does not open there.
 * The same scheme (and key ids) as identity-service's SecretBox: one {@code TANDEM_ENCRYPTION_KEY} rotates both.
 */
@ApplicationScoped
public class SecretBox {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, SecretKey> keysById = new LinkedHashMap<>();
    private final String currentKeyId;

    @Inject
    public SecretBox(GatewayConfig config) {
        this(config.gateway().encryptionKey(), config.gateway().retiredEncryptionKeys().orElse(List.of()));
    }

    public SecretBox(String currentKeyBase64, List<String> retiredKeysBase64) {
        SecretKey current = decodeKey(currentKeyBase64, "tandem.gateway.encryption-key");
        currentKeyId = keyId(current);
        keysById.put(currentKeyId, current);
        for (String retired : retiredKeysBase64) {
            if (retired.isBlank()) {
                continue;
            }
            SecretKey key = decodeKey(retired, "tandem.gateway.retired-encryption-keys");
            keysById.putIfAbsent(keyId(key), key);
        }
    }

    public Sealed seal(byte[] plaintext, String context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keysById.get(currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ciphertext = cipher.doFinal(plaintext);
            return new Sealed(currentKeyId, ByteBuffer.allocate(iv.length + ciphertext.length)
                    .put(iv).put(ciphertext).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret", e);
        }
    }

    public Sealed seal(String plaintext, String context) {
        return seal(plaintext.getBytes(StandardCharsets.UTF_8), context);
    }

    public byte[] open(Sealed sealed, String context) {
        SecretKey key = keysById.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("no encryption key with id " + sealed.keyId() + " is configured");
        }
        byte[] bytes = sealed.ciphertext();
        if (bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("sealed value is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            // Deliberately without the cause's details: nothing about the secret leaves this method.
            throw new IllegalStateException("cannot open a sealed value (wrong key or tampered ciphertext)");
        }
    }

    public String openString(Sealed sealed, String context) {
        return new String(open(sealed, context), StandardCharsets.UTF_8);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    private static SecretKey decodeKey(String base64, String property) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not valid base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(property + " must be the base64 of 32 bytes, got " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** A short public name for a key: a hash, so it reveals nothing about the key itself. */
    private static String keyId(SecretKey key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("tandem-encryption-key-id:".getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest(key.getEncoded());
            return "aes-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sealed secret: {@code ciphertext} is IV, then the AES-GCM output (ciphertext and tag). */
    public record Sealed(String keyId, byte[] ciphertext) {

        @Override
        public String toString() {
            return "Sealed[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
        }
    }
}

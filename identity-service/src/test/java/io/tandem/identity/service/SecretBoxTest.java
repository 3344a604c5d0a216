package io.tandem.identity.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String KEY_A = key('a');
    private static final String KEY_B = key('b');

    @Test
    void opensWhatItSealed() {
        SecretBox box = new SecretBox(KEY_A, List.of());
        SecretBox.Sealed sealed = box.seal("glpat-secret-value", "row:1");
        assertEquals("glpat-secret-value", box.openString(sealed, "row:1"));
        assertEquals(box.currentKeyId(), sealed.keyId());
    }

    @Test
    void ciphertextHidesThePlaintextAndUsesAFreshIvEachTime() {
        SecretBox box = new SecretBox(KEY_A, List.of());
        SecretBox.Sealed first = box.seal("glpat-secret-value", "row:1");
        SecretBox.Sealed second = box.seal("glpat-secret-value", "row:1");
        assertFalse(new String(first.ciphertext(), StandardCharsets.ISO_8859_1).contains("glpat-secret-value"));
        // 12-byte IV + 18 bytes of ciphertext + 16-byte tag.
        assertEquals(12 + 18 + 16, first.ciphertext().length);
        assertFalse(Arrays.equals(Arrays.copyOf(first.ciphertext(), 12), Arrays.copyOf(second.ciphertext(), 12)));
        assertFalse(Arrays.equals(first.ciphertext(), second.ciphertext()));
    }

    @Test
    void refusesATamperedCiphertextOrAnotherRowsContext() {
        SecretBox box = new SecretBox(KEY_A, List.of());
        SecretBox.Sealed sealed = box.seal("secret", "row:1");
        byte[] tampered = sealed.ciphertext().clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> box.open(new SecretBox.Sealed(sealed.keyId(), tampered), "row:1"));
        assertThrows(IllegalStateException.class, () -> box.open(sealed, "row:2"));
    }

    @Test
    void aRetiredKeyStillOpensWhatItSealed() {
        SecretBox.Sealed underA = new SecretBox(KEY_A, List.of()).seal("secret", "row:1");
        SecretBox rotated = new SecretBox(KEY_B, List.of(KEY_A));
        assertNotEquals(underA.keyId(), rotated.currentKeyId());
        assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), rotated.open(underA, "row:1"));
        assertEquals(rotated.currentKeyId(), rotated.seal("new", "row:1").keyId());
        assertThrows(IllegalStateException.class, () -> new SecretBox(KEY_B, List.of()).open(underA, "row:1"));
    }

    @Test
    void refusesAKeyThatIsNot32Bytes() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SecretBox(shortKey, List.of()));
        assertTrue(e.getMessage().contains("32 bytes"));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox("not base64!", List.of()));
    }

    private static String key(char fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Base64.getEncoder().encodeToString(bytes);
    }
}

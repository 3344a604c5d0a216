package io.tandem.identity.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites GitLab's {@code info/refs?service=git-receive-pack} answer so that it advertises {@code no-thin}: the
 * client then sends a self-contained pack, whose deltas the proxy can resolve without GitLab's objects.
 */
public final class ReceivePackAdvertisement {

    /**
     * The advertisement with {@code no-thin} added to the capabilities on its first ref line (after the
     * {@code # service=} line, its flush and an optional {@code version 1} line); unchanged if already there.
     */
    public static byte[] withNoThin(byte[] advertisement) {
        int at = 0;
        while (at + 4 <= advertisement.length) {
            int size = length(advertisement, at);
            if (size == 0) {
                at += 4;
                continue;
            }
            if (size < 4 || at + size > advertisement.length) {
                break;
            }
            String line = new String(advertisement, at + 4, size - 4, StandardCharsets.UTF_8);
            int nul = line.indexOf('\0');
            if (nul >= 0) {
                String capabilities = line.substring(nul + 1).stripTrailing();
                if ((" " + capabilities + " ").contains(" no-thin ")) {
                    return advertisement;
                }
                String rewritten = line.substring(0, nul + 1) + capabilities + " no-thin\n";
                byte[] payload = rewritten.getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream out = new ByteArrayOutputStream(advertisement.length + 8);
                out.write(advertisement, 0, at);
                out.writeBytes(String.format("%04x", payload.length + 4).getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(payload);
                out.write(advertisement, at + size, advertisement.length - at - size);
                return out.toByteArray();
            }
            at += size;
        }
        throw new ProxyRefusal(502, "GitLab's git-receive-pack advertisement could not be read");
    }

    /** A pkt-line's four hex digits; -1 if they are not hex. */
    private static int length(byte[] data, int at) {
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(data[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private ReceivePackAdvertisement() {
    }
}

package io.tandem.identity.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The command list at the start of a {@code git-receive-pack} request: pkt-lines {@code <old> <new> <ref>}
 * (the first with {@code \0<capabilities>}), optional {@code shallow} lines before them, ended by a flush-pkt
 * {@code 0000}. The pack data after it is never read.
 */
public final class ReceivePackCommands {

    /** Refuse command lists longer than this: no real push names that many refs. */
    public static final int MAX_LENGTH = 1 << 20;

    public record RefUpdate(String oldId, String newId, String ref) {
    }

    /** The commands and where the pack data starts. */
    public record Parsed(List<RefUpdate> updates, int end) {
    }

    /** The parsed command list, or null when {@code data} does not hold all of it yet. */
    public static Parsed parse(byte[] data, int length) {
        List<RefUpdate> updates = new ArrayList<>();
        int at = 0;
        while (true) {
            if (length - at < 4) {
                return incomplete(length);
            }
            int size = hex(data, at);
            if (size == 0) {
                return new Parsed(updates, at + 4);
            }
            if (size < 4) {
                throw new ProxyRefusal(400, "malformed git-receive-pack request");
            }
            if (length - at < size) {
                return incomplete(length);
            }
            String line = new String(data, at + 4, size - 4, StandardCharsets.UTF_8);
            at += size;
            int nul = line.indexOf('\0');
            if (nul >= 0) {
                line = line.substring(0, nul);
            }
            line = line.strip();
            if (line.startsWith("shallow ")) {
                continue;
            }
            String[] parts = line.split(" ");
            if (parts.length != 3) {
                throw new ProxyRefusal(400, "malformed git-receive-pack command");
            }
            updates.add(new RefUpdate(parts[0], parts[1], parts[2]));
        }
    }

    private static Parsed incomplete(int length) {
        if (length >= MAX_LENGTH) {
            throw new ProxyRefusal(400, "git-receive-pack command list too long");
        }
        return null;
    }

    private static int hex(byte[] data, int at) {
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(data[i], 16);
            if (digit < 0) {
                throw new ProxyRefusal(400, "malformed git-receive-pack request");
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private ReceivePackCommands() {
    }
}

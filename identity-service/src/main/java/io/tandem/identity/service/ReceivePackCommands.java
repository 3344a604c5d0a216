package io.tandem.identity.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command list at the start of a {@code git-receive-pack} request: pkt-lines {@code <old> <new> <ref>}
 * (the first with {@code \0<capabilities>}), optional {@code shallow} lines before them, ended by a flush-pkt
 * {@code 0000}. With the {@code push-options} capability, option pkt-lines and a second flush-pkt follow; then
 * the pack data.
 */
public final class ReceivePackCommands {

    /** Refuse command lists longer than this: no real push names that many refs. */
    public static final int MAX_LENGTH = 1 << 20;

    private static final String ZERO_ID = "0".repeat(40);

    public record RefUpdate(String oldId, String newId, String ref) {

        /** A delete sends no objects and can change no file. */
        public boolean isDelete() {
            return ZERO_ID.equals(newId);
        }

        /** A new ref has nothing to compare with but the default branch. */
        public boolean isCreate() {
            return ZERO_ID.equals(oldId);
        }
    }

    /** The commands, the capabilities the client asked for, and where the pack data starts. */
    public record Parsed(List<RefUpdate> updates, Set<String> capabilities, int end) {

        public Parsed(List<RefUpdate> updates, int end) {
            this(updates, Set.of(), end);
        }
    }

    /** The parsed command list, or null when {@code data} does not hold all of it yet. */
    public static Parsed parse(byte[] data, int length) {
        List<RefUpdate> updates = new ArrayList<>();
        Set<String> capabilities = new LinkedHashSet<>();
        int at = 0;
        while (true) {
            if (length - at < 4) {
                return incomplete(length);
            }
            int size = hex(data, at);
            if (size == 0) {
                int end = capabilities.contains("push-options") && !updates.isEmpty()
                        ? skipOptions(data, length, at + 4) : at + 4;
                return end < 0 ? incomplete(length) : new Parsed(updates, Set.copyOf(capabilities), end);
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
                capabilities.addAll(Arrays.asList(line.substring(nul + 1).strip().split(" ")));
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

    /** Past the push options and their flush-pkt; -1 if they are not all there yet. */
    private static int skipOptions(byte[] data, int length, int at) {
        while (true) {
            if (length - at < 4) {
                return -1;
            }
            int size = hex(data, at);
            if (size == 0) {
                return at + 4;
            }
            if (size < 4) {
                throw new ProxyRefusal(400, "malformed git-receive-pack push option");
            }
            if (length - at < size) {
                return -1;
            }
            at += size;
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

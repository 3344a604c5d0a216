package io.tandem.identity.service;

import io.tandem.identity.service.ReceivePackCommands.RefUpdate;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The answer to a push the proxy refuses after reading its pack: a {@code report-status} naming every ref as
 * rejected with the reason, which {@code git push} prints ({@code ! [remote rejected] ... (reason)}), plus the
 * reason as a {@code remote:} message when the client reads side-band. An HTTP error status would show only
 * the status code, never the reason.
 */
public final class ReceivePackReport {

    public static final String CONTENT_TYPE = "application/x-git-receive-pack-result";

    /** {@code refused} maps each refused ref to why; the other refs are rejected because the push is one unit. */
    public static byte[] rejected(List<RefUpdate> updates, java.util.Map<String, String> refused,
            Set<String> capabilities) {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        pkt(report, "unpack ok\n");
        for (RefUpdate update : updates) {
            String why = refused.getOrDefault(update.ref(), "another ref of this push was refused");
            pkt(report, "ng " + update.ref() + " " + oneLine(why) + "\n");
        }
        report.writeBytes(flush());
        boolean sideBand = capabilities.contains("side-band-64k") || capabilities.contains("side-band");
        if (!sideBand) {
            return report.toByteArray();
        }
        int max = capabilities.contains("side-band-64k") ? 65519 : 999;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String why : refused.values()) {
            band(out, 2, ("Tandem's GitLab proxy refused this push: " + oneLine(why) + "\n")
                    .getBytes(StandardCharsets.UTF_8), max);
        }
        band(out, 1, report.toByteArray(), max);
        out.writeBytes(flush());
        return out.toByteArray();
    }

    private static void band(ByteArrayOutputStream out, int channel, byte[] data, int max) {
        for (int at = 0; at < data.length; at += max) {
            int length = Math.min(max, data.length - at);
            out.writeBytes(String.format("%04x", length + 5).getBytes(StandardCharsets.US_ASCII));
            out.write(channel);
            out.write(data, at, length);
        }
    }

    private static void pkt(ByteArrayOutputStream out, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(String.format("%04x", bytes.length + 4).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
    }

    private static byte[] flush() {
        return "0000".getBytes(StandardCharsets.US_ASCII);
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    private ReceivePackReport() {
    }
}

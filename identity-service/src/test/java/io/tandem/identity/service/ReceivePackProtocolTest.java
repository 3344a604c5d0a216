package io.tandem.identity.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.identity.service.ReceivePackCommands.RefUpdate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pkt-line pieces of a checked push: the advertisement rewrite, push options, the rejection report. */
class ReceivePackProtocolTest {

    private static final String SHA = "a".repeat(40);

    @Test
    void theAdvertisementGainsNoThinOnItsFirstRefLineOnly() {
        String head = pkt("# service=git-receive-pack\n") + "0000";
        String rest = pkt(SHA + " refs/heads/other\n") + "0000";
        byte[] original = bytes(head + pkt(SHA + " refs/heads/main\0report-status side-band-64k\n") + rest);
        String rewritten = new String(ReceivePackAdvertisement.withNoThin(original), StandardCharsets.UTF_8);
        assertEquals(head + pkt(SHA + " refs/heads/main\0report-status side-band-64k no-thin\n") + rest, rewritten);
        byte[] again = ReceivePackAdvertisement.withNoThin(bytes(rewritten));
        assertArrayEquals(bytes(rewritten), again, "already there: unchanged");
        byte[] empty = bytes(head + pkt("0".repeat(40) + " capabilities^{}\0report-status\n") + "0000");
        assertTrue(new String(ReceivePackAdvertisement.withNoThin(empty), StandardCharsets.UTF_8)
                .contains("report-status no-thin\n"), "an empty repository advertises capabilities^{}");
        assertEquals(502, assertThrows(ProxyRefusal.class,
                () -> ReceivePackAdvertisement.withNoThin(bytes("zzzz"))).status());
    }

    @Test
    void pushOptionsComeBeforeThePack() {
        String commands = pkt(SHA + " " + "b".repeat(40) + " refs/heads/w\0report-status push-options\n") + "0000";
        String options = pkt("ci.skip\n") + "0000";
        byte[] body = bytes(commands + options + "PACK");
        assertNull(ReceivePackCommands.parse(body, commands.length() + 4), "the options are not all there yet");
        ReceivePackCommands.Parsed parsed = ReceivePackCommands.parse(body, body.length);
        assertEquals(commands.length() + options.length(), parsed.end());
        assertTrue(parsed.capabilities().containsAll(Set.of("report-status", "push-options")));
        assertFalse(parsed.updates().get(0).isCreate());
        assertFalse(parsed.updates().get(0).isDelete());
    }

    @Test
    void aRefusedPushGetsAReportGitPrints() {
        List<RefUpdate> updates = List.of(new RefUpdate(SHA, "b".repeat(40), "refs/heads/w"),
                new RefUpdate(SHA, "c".repeat(40), "refs/heads/x"));
        Map<String, String> refused = Map.of("refs/heads/w", "no CI changes (.gitlab-ci.yml)");
        String plain = new String(ReceivePackReport.rejected(updates, refused, Set.of("report-status")),
                StandardCharsets.UTF_8);
        assertEquals(pkt("unpack ok\n") + pkt("ng refs/heads/w no CI changes (.gitlab-ci.yml)\n")
                + pkt("ng refs/heads/x another ref of this push was refused\n") + "0000", plain);
        String banded = new String(ReceivePackReport.rejected(updates, refused, Set.of("report-status", "side-band-64k")),
                StandardCharsets.UTF_8);
        assertTrue(banded.contains("\u0002Tandem's GitLab proxy refused this push: no CI changes"), banded);
        assertTrue(banded.contains("\u0001" + plain), "the report on band 1");
        assertTrue(banded.endsWith("0000"));
    }

    private static String pkt(String line) {
        return String.format("%04x", line.getBytes(StandardCharsets.UTF_8).length + 4) + line;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

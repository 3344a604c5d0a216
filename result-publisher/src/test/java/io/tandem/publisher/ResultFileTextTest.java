package io.tandem.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.publisher.service.ResultFileText;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The text of a result note: the agent's Markdown, with nothing GitLab would act on, cut cleanly. */
class ResultFileTextTest {

    private final ResultFileText text = new ResultFileText();

    @Test
    void quickActionsOutsideCodeBlocksAreMadeInert() {
        String answer = "/merge\nSee:\n```sh\n/usr/bin/env true\n```\n  /not-at-line-start\n/assign @bob";
        String body = text.render("run-1", bytes(answer), false, "a.md", "tandem-agent", null);
        assertEquals("<!-- tandem:result:run-1 -->\n\\/merge\nSee:\n```sh\n/usr/bin/env true\n```\n"
                + "  /not-at-line-start\n\\/assign @bob", body);
    }

    @Test
    void aCutInsideACodeBlockClosesItBeforeTheNotice() {
        String body = text.render("run-2", bytes("Text\n~~~\ncode goes on"), true, "out/a.md", "agent",
                "http://gitlab/jobs/5");
        assertTrue(body.endsWith("code goes on\n~~~\n\n---\n_This answer was cut at 64 KiB. The whole file,"
                + " `out/a.md`, is in the artifacts of job [agent](http://gitlab/jobs/5)._"), body);
    }

    @Test
    void aCharacterSplitByTheCutIsDropped() {
        byte[] whole = bytes("abc€");
        byte[] cut = Arrays.copyOf(whole, whole.length - 1);
        String body = text.render("run-3", cut, true, "a.md", "tandem-agent", null);
        assertTrue(body.startsWith("<!-- tandem:result:run-3 -->\nabc\n\n---\n"), body);
        assertTrue(body.contains("job `tandem-agent`"), body);
        String uncut = text.render("run-3", whole, false, "a.md", "tandem-agent", null);
        assertTrue(uncut.endsWith("abc€"), uncut);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

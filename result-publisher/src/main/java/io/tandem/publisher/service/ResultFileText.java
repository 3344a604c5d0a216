package io.tandem.publisher.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The note that carries a run's result file. It starts with the run's hidden result marker, which lets the
 * publisher find it again after a crash and makes trigger-matcher ignore it; the agent's Markdown follows as it
 * is, except that it cannot give GitLab quick actions as the service account.
 */
@ApplicationScoped
public class ResultFileText {

    /** The most of a result file a note carries. */
    public static final int MAX_BYTES = 64 * 1024;

    public static String marker(String invocationId) {
        return "<!-- tandem:result:" + invocationId + " -->";
    }

    /**
     * @param content the file's first {@link #MAX_BYTES} bytes at most
     * @param cut whether the file went on after them
     * @param jobName the job that kept the file, and {@code jobUrl} its page (may be null)
     */
    public String render(String invocationId, byte[] content, boolean cut, String resultFile, String jobName,
            String jobUrl) {
        String text = decode(content, cut);
        StringBuilder body = new StringBuilder(marker(invocationId)).append('\n');
        String openFence = appendInert(body, text);
        if (cut) {
            if (openFence != null) {
                // the cut fell inside a code block: close it, or the notice would render as code
                body.append('\n').append(openFence);
            }
            String job = jobUrl == null ? "`" + jobName + "`" : "[" + jobName + "](" + jobUrl + ")";
            body.append("\n\n---\n_This answer was cut at 64 KiB. The whole file, `").append(resultFile)
                    .append("`, is in the artifacts of job ").append(job).append("._");
        }
        return body.toString();
    }

    /**
     * A note line starting with {@code /} is a quick action that GitLab would carry out as the service account
     * (close, merge, assign...); escaped, it reads the same. Code blocks are left alone: GitLab ignores them.
     *
     * @return the fence of the code block the text ends in, null if it ends outside one
     */
    private static String appendInert(StringBuilder body, String text) {
        String fence = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.stripLeading();
            if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
                fence = trimmed.substring(0, 3);
            } else if (fence != null && trimmed.startsWith(fence)) {
                fence = null;
            } else if (fence == null && line.startsWith("/")) {
                line = "\\" + line;
            }
            body.append(line);
            if (i < lines.length - 1) {
                body.append('\n');
            }
        }
        return fence;
    }

    /** UTF-8; a character split by the cut is dropped rather than shown as garbage. */
    static String decode(byte[] content, boolean cut) {
        int end = content.length;
        if (cut) {
            end = characterBoundary(content);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(content, 0, end)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not fail", e);
        }
    }

    /** The length up to the start of a multi-byte character the cut left incomplete. */
    private static int characterBoundary(byte[] content) {
        int end = content.length;
        int i = end - 1;
        // step back over continuation bytes (10xxxxxx), at most three
        while (i >= 0 && end - i <= 3 && (content[i] & 0xC0) == 0x80) {
            i--;
        }
        if (i < 0 || (content[i] & 0x80) == 0) {
            return end;
        }
        int lead = content[i] & 0xff;
        int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return end - i < length ? i : end;
    }
}

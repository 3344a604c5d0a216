package io.tandem.matcher.service;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the users a GitLab comment mentions, as GitLab's Markdown would render them: a mention inside code
 * (inline spans, fenced or indented blocks) or a quoted line ({@code >}) does not count, so quoting or
 * documenting an agent's name never starts it.
 */
public final class MentionParser {

    /**
     * {@code @} not preceded by a character that makes it part of a word, an e-mail address or a path. The token
     * runs as far as username characters go, plus {@code /} so that a group path is not mistaken for a user.
     */
    private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9_.+\\-/@`])@([A-Za-z0-9_.\\-/]+)");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern QUOTE = Pattern.compile("^ {0,3}>");
    private static final Pattern INDENTED = Pattern.compile("^( {4}|\\t)");

    private MentionParser() {
    }

    /** The mentioned usernames, lower case, in order of first appearance. */
    public static Set<String> mentions(String body) {
        Set<String> usernames = new LinkedHashSet<>();
        if (body == null || body.indexOf('@') < 0) {
            return usernames;
        }
        Matcher matcher = MENTION.matcher(withoutInlineCode(withoutBlocks(body)));
        while (matcher.find()) {
            String token = trimTrailingDots(matcher.group(1));
            if (!token.isEmpty() && token.indexOf('/') < 0) {
                usernames.add(token.toLowerCase(Locale.ROOT));
            }
        }
        return usernames;
    }

    /** Whether {@code body} mentions exactly {@code username}, ignoring case. */
    public static boolean mentions(String body, String username) {
        return username != null && mentions(body).contains(username.toLowerCase(Locale.ROOT));
    }

    /** Blanks fenced and indented code blocks and quoted lines, keeping line structure. */
    static String withoutBlocks(String body) {
        String[] lines = body.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        StringBuilder kept = new StringBuilder(body.length());
        String fence = null;
        boolean previousBlank = true;
        boolean inIndentedCode = false;
        for (String line : lines) {
            boolean blank = line.isBlank();
            boolean drop;
            Matcher opening = FENCE.matcher(line);
            if (fence != null) {
                drop = true;
                if (closesFence(line, fence)) {
                    fence = null;
                }
            } else if (opening.find()) {
                fence = opening.group(1);
                drop = true;
            } else if (!blank && INDENTED.matcher(line).find() && (previousBlank || inIndentedCode)) {
                // an indented line starts a code block only after a blank line: it cannot interrupt a paragraph
                inIndentedCode = true;
                drop = true;
            } else {
                if (!blank) {
                    inIndentedCode = false;
                }
                drop = QUOTE.matcher(line).find();
            }
            previousBlank = blank;
            kept.append(drop ? "" : line).append('\n');
        }
        return kept.toString();
    }

    private static boolean closesFence(String line, String fence) {
        String trimmed = line.strip();
        if (line.length() - line.stripLeading().length() > 3 || trimmed.length() < fence.length()) {
            return false;
        }
        char c = fence.charAt(0);
        return trimmed.chars().allMatch(ch -> ch == c);
    }

    /** Blanks inline code spans: a run of backticks up to the next run of the same length. */
    static String withoutInlineCode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '`') {
                out.append(c);
                i++;
                continue;
            }
            int runEnd = runEnd(text, i);
            int length = runEnd - i;
            int close = findRun(text, runEnd, length);
            if (close < 0) {
                out.append(text, i, runEnd);
                i = runEnd;
            } else {
                out.append(" ".repeat(close + length - i));
                i = close + length;
            }
        }
        return out.toString();
    }

    private static int runEnd(String text, int start) {
        int end = start;
        while (end < text.length() && text.charAt(end) == '`') {
            end++;
        }
        return end;
    }

    private static int findRun(String text, int from, int length) {
        int i = from;
        while (i < text.length()) {
            if (text.charAt(i) == '`') {
                int end = runEnd(text, i);
                if (end - i == length) {
                    return i;
                }
                i = end;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static String trimTrailingDots(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '.') {
            end--;
        }
        return token.substring(0, end);
    }
}

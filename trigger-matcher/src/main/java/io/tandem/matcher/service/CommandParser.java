package io.tandem.matcher.service;

import io.tandem.events.ThreadCommand;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a control verb addressed to a service account: {@code @<account> stop|retry|status}, the verb being the
 * first word after the mention. Code and quotes do not count, as for mentions.
 */
public final class CommandParser {

    private CommandParser() {
    }

    /** The verb ({@code stop}, {@code retry} or {@code status}) the comment gives {@code username}, or null. */
    public static String verb(String body, String username) {
        if (body == null || username == null || body.indexOf('@') < 0) {
            return null;
        }
        Pattern command = Pattern.compile("(?<![A-Za-z0-9_.+\\-/@`])@" + Pattern.quote(username)
                + "[ \\t]+(stop|retry|status)(?![A-Za-z0-9_\\-])", Pattern.CASE_INSENSITIVE);
        Matcher matcher = command.matcher(MentionParser.withoutInlineCode(MentionParser.withoutBlocks(body)));
        if (!matcher.find()) {
            return null;
        }
        String verb = matcher.group(1).toLowerCase(Locale.ROOT);
        return switch (verb) {
            case ThreadCommand.STOP, ThreadCommand.RETRY, ThreadCommand.STATUS -> verb;
            default -> null;
        };
    }
}

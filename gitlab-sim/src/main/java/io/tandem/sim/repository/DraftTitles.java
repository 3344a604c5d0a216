package io.tandem.sim.repository;

import java.util.regex.Pattern;

/** GitLab's rule for draft merge requests: the title starts with a draft prefix. */
public final class DraftTitles {

    private static final Pattern DRAFT = Pattern.compile("^\\s*(\\[draft\\]|\\(draft\\)|draft:|draft\\s-\\s|draft\\s|\\[wip\\]|wip:)",
            Pattern.CASE_INSENSITIVE);

    private DraftTitles() {
    }

    public static boolean isDraft(String title) {
        return title != null && DRAFT.matcher(title).find();
    }
}

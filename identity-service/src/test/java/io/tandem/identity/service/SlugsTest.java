package io.tandem.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SlugsTest {

    @Test
    void lowerCasesAndCollapsesRunsOfOtherCharacters() {
        assertEquals("claude-code", Slugs.slug("Claude Code"));
        assertEquals("a-b-c", Slugs.slug("a__b  .  c"));
        assertEquals("caf", Slugs.slug("Café"));
        assertEquals("gpt-4o-mini", Slugs.slug("GPT-4o (mini)"));
    }

    @Test
    void trimsDashesAtBothEnds() {
        assertEquals("review-bot", Slugs.slug("--Review Bot!!"));
        assertEquals("", Slugs.slug("!!!"));
    }

    @Test
    void serviceAccountUsernameJoinsAgentAndGroup() {
        assertEquals("ai-claude-code-acme-corp", Slugs.serviceAccountUsername("Claude Code", "Acme_Corp"));
        assertEquals("ai-claude-acme", Slugs.serviceAccountUsername("claude", "acme"));
    }

    @Test
    void refusesANameWithoutLettersOrDigits() {
        assertThrows(IllegalArgumentException.class, () -> Slugs.serviceAccountUsername("???", "acme"));
    }
}

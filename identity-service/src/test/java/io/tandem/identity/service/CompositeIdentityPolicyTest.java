package io.tandem.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompositeIdentityPolicyTest {

    private final CompositeIdentityPolicy policy = new CompositeIdentityPolicy();

    @Test
    void allowsWhenBothAreAtLeastDeveloperWithTheLowerRole() {
        CompositeIdentityPolicy.Decision decision = policy.decide("alice", 50, "ai-claude-acme", 30, "acme/app");
        assertTrue(decision.allowed());
        assertEquals(30, decision.effectiveLevel());
        assertNull(decision.reason());
    }

    @Test
    void deniesAGuestAndNamesTheRoles() {
        CompositeIdentityPolicy.Decision decision = policy.decide("bob", 10, "ai-claude-acme", 30, "acme/app");
        assertFalse(decision.allowed());
        assertEquals(10, decision.effectiveLevel());
        assertEquals("@bob has the Guest role in acme/app; ai-claude-acme acts with the lower of your role and its own,"
                + " and needs at least Developer.", decision.reason());
    }

    @Test
    void deniesWhenTheServiceAccountIsNotAMember() {
        CompositeIdentityPolicy.Decision decision = policy.decide("alice", 40, "ai-claude-acme", 0, "acme/app");
        assertFalse(decision.allowed());
        assertTrue(decision.reason().startsWith("ai-claude-acme is not a member of acme/app;"), decision.reason());
        assertFalse(decision.reason().contains("@alice"), decision.reason());
    }
}

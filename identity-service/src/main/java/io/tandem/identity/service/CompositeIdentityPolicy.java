package io.tandem.identity.service;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * An agent acts for a human with the lower of the two roles, the human's and its service account's, so that
 * asking an agent never lends anyone more than they have; at least Developer is needed to run.
 */
@ApplicationScoped
public class CompositeIdentityPolicy {

    public static final int REQUIRED_LEVEL = AccessLevels.DEVELOPER;

    /**
     * @param requester the human's username, without {@code @}
     * @param place where the roles were read, as the human knows it (a project's full path)
     */
    public Decision decide(String requester, int requesterLevel, String serviceAccount, int serviceAccountLevel,
            String place) {
        int effective = Math.min(requesterLevel, serviceAccountLevel);
        if (effective >= REQUIRED_LEVEL) {
            return new Decision(effective, true, null);
        }
        StringBuilder reason = new StringBuilder();
        if (requesterLevel < REQUIRED_LEVEL) {
            reason.append(describe("@" + requester, requesterLevel, place)).append("; ");
        }
        if (serviceAccountLevel < REQUIRED_LEVEL) {
            reason.append(describe(serviceAccount, serviceAccountLevel, place)).append("; ");
        }
        reason.append(serviceAccount).append(" acts with the lower of your role and its own, and needs at least ")
                .append(AccessLevels.roleName(REQUIRED_LEVEL));
        if (serviceAccountLevel < REQUIRED_LEVEL) {
            reason.append(". A Maintainer can enable the agent in ").append(place)
                    .append(" again to make it a Developer");
        }
        return new Decision(effective, false, reason.append('.').toString());
    }

    private static String describe(String who, int level, String place) {
        return level == AccessLevels.NONE
                ? who + " is not a member of " + place
                : who + " has the " + AccessLevels.roleName(level) + " role in " + place;
    }

    /** {@code reason} is set when refused, written for the human who asked. */
    public record Decision(int effectiveLevel, boolean allowed, String reason) {
    }
}

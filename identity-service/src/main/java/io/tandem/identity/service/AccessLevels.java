package io.tandem.identity.service;

/** GitLab's access levels, in the words GitLab's UI uses. */
public final class AccessLevels {

    public static final int NONE = 0;
    public static final int REPORTER = 20;
    public static final int DEVELOPER = 30;
    public static final int MAINTAINER = 40;
    public static final int OWNER = 50;

    public static String roleName(int level) {
        return switch (level) {
            case 0 -> "no role";
            case 5 -> "Minimal Access";
            case 10 -> "Guest";
            case 15 -> "Planner";
            case 20 -> "Reporter";
            case 30 -> "Developer";
            case 40 -> "Maintainer";
            case 50 -> "Owner";
            case 60 -> "Admin";
            default -> "access level " + level;
        };
    }

    private AccessLevels() {
    }
}

package io.tandem.matcher.service;

/** GitLab's access levels, and their names for messages. */
public final class AccessLevels {

    public static final int NONE = 0;
    public static final int GUEST = 10;
    public static final int DEVELOPER = 30;
    public static final int MAINTAINER = 40;
    public static final int OWNER = 50;

    public static String name(int level) {
        if (level >= OWNER) {
            return "Owner";
        }
        if (level >= MAINTAINER) {
            return "Maintainer";
        }
        if (level >= DEVELOPER) {
            return "Developer";
        }
        if (level >= 20) {
            return "Reporter";
        }
        if (level >= 15) {
            return "Planner";
        }
        if (level >= GUEST) {
            return "Guest";
        }
        return level > NONE ? "Minimal Access" : "no member";
    }

    private AccessLevels() {
    }
}

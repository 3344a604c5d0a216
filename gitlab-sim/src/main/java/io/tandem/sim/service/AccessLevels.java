package io.tandem.sim.service;

/** GitLab's access levels. */
public final class AccessLevels {
    public static final int NONE = 0;
    public static final int MINIMAL = 5;
    public static final int GUEST = 10;
    public static final int PLANNER = 15;
    public static final int REPORTER = 20;
    public static final int DEVELOPER = 30;
    public static final int MAINTAINER = 40;
    public static final int OWNER = 50;

    private AccessLevels() {
    }

    public static boolean valid(int level) {
        return level == MINIMAL || level == GUEST || level == PLANNER || level == REPORTER || level == DEVELOPER
                || level == MAINTAINER || level == OWNER;
    }
}

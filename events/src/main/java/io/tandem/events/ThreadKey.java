package io.tandem.events;

/**
 * The partition key of everything that happens in one issue, epic or merge request thread:
 * {@code <projectId or group:groupId>/<noteableType>/<iid>}. One key, one partition, one order.
 */
public final class ThreadKey {

    public static String of(Long projectId, Long groupId, String noteableType, long iid) {
        String owner = projectId != null ? projectId.toString() : "group:" + groupId;
        return owner + "/" + noteableType + "/" + iid;
    }

    public static String of(ThreadRef thread) {
        if (thread.projectId() == null && thread.groupId() == null && thread.groupPath() != null) {
            return "group:" + thread.groupPath() + "/" + thread.noteableType() + "/" + thread.noteableIid();
        }
        return of(thread.projectId(), thread.groupId(), thread.noteableType(), thread.noteableIid());
    }

    public static String pipeline(long projectId, long pipelineId) {
        return projectId + "/pipeline/" + pipelineId;
    }

    private ThreadKey() {
    }
}

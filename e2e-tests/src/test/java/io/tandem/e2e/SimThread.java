package io.tandem.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One GitLab thread (an issue, merge request or epic) and its notes as GitLab's REST API lists them, read as
 * root. {@code path} is the thread's API path below {@code /api/v4}, e.g. {@code projects/5/issues/3} or
 * {@code groups/7/epics/12} (epic notes are addressed by the epic's id, as in GitLab's notes API).
 */
record SimThread(String gitlabUrl, String path) {

    record Note(long id, String body, String author) {

        boolean isState(String state) {
            return body.contains("<!-- tandem:state:" + state + " -->");
        }
    }

    static SimThread issue(String gitlabUrl, long projectId, long iid) {
        return new SimThread(gitlabUrl, "projects/" + projectId + "/issues/" + iid);
    }

    static SimThread mergeRequest(String gitlabUrl, long projectId, long iid) {
        return new SimThread(gitlabUrl, "projects/" + projectId + "/merge_requests/" + iid);
    }

    static SimThread epic(String gitlabUrl, long groupId, long epicId) {
        return new SimThread(gitlabUrl, "groups/" + groupId + "/epics/" + epicId);
    }

    /** Every note, oldest first. */
    List<Note> notes() {
        JsonPath json = given().header("PRIVATE-TOKEN", "sim-root-token")
                .queryParam("per_page", 100).queryParam("sort", "asc").queryParam("order_by", "created_at")
                .get(gitlabUrl + "/api/v4/" + path + "/notes")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> raw = json.getList("$");
        return raw.stream().map(n -> new Note(((Number) n.get("id")).longValue(), (String) n.get("body"),
                (String) ((Map<?, ?>) n.get("author")).get("username"))).toList();
    }

    List<Note> notesBy(String username) {
        return notes().stream().filter(n -> n.author().equals(username)).toList();
    }

    Note awaitNote(Predicate<Note> matching) {
        return await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> notes().stream().filter(matching).findFirst(), Optional::isPresent).orElseThrow();
    }

    /** The first note by {@code username} that carries the given progress state marker. */
    Note awaitState(String username, String state) {
        return awaitNote(n -> n.author().equals(username) && n.isState(state));
    }
}

package io.tandem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Member;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.Test;

/** Member lists of groups and projects: direct, inherited (highest level wins) and filtered. */
@QuarkusTest
class MemberListTest {

    @TestHTTPResource("/")
    URL url;

    @Test
    void listsDirectAndInheritedMembers() throws Exception {
        SimClient sim = new SimClient(url);
        GitLabApi root = sim.root();
        String path = SimClient.unique("members");
        Group parent = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Group child = root.getGroupApi().createGroup(new GroupParams().withName("c").withPath("c")
                .withParentId(parent.getId()));
        Project project = root.getProjectApi().createProject(child.getId(), "code");
        User ann = SeedingTest.createUser(root, SimClient.unique("ann"));
        User ben = SeedingTest.createUser(root, SimClient.unique("ben"));
        root.getGroupApi().addMember(parent.getId(), ann.getId(), AccessLevel.MAINTAINER);
        root.getGroupApi().addMember(child.getId(), ann.getId(), AccessLevel.REPORTER);
        root.getProjectApi().addMember(project.getId(), ben.getId(), AccessLevel.DEVELOPER);

        assertEquals(List.of(ann.getId()), ids(root.getGroupApi().getMembers(child.getId())));
        assertEquals(AccessLevel.MAINTAINER, levels(root.getGroupApi().getAllMembers(child.getId())).get(ann.getId()));
        assertEquals(List.of(ben.getId()), ids(root.getProjectApi().getMembers(project.getId())));
        Map<Long, AccessLevel> all = levels(root.getProjectApi().getAllMembers(project.getId()));
        assertEquals(AccessLevel.MAINTAINER, all.get(ann.getId()));
        assertEquals(AccessLevel.DEVELOPER, all.get(ben.getId()));

        JsonNode filtered = sim.send("GET", "/api/v4/projects/" + project.getId() + "/members/all?query="
                + ben.getUsername(), SimClient.ROOT_TOKEN, null).json();
        assertEquals(1, filtered.size());
        assertEquals(ben.getId().longValue(), filtered.get(0).get("id").asLong());
        JsonNode byId = sim.send("GET", "/api/v4/groups/" + child.getId() + "/members/all?user_ids[]=" + ann.getId(),
                SimClient.ROOT_TOKEN, null).json();
        assertEquals(1, byId.size());
    }

    private static List<Long> ids(List<Member> members) {
        return members.stream().map(Member::getId).filter(id -> id != 1L).toList();
    }

    private static Map<Long, AccessLevel> levels(List<Member> members) {
        return members.stream().collect(Collectors.toMap(Member::getId, Member::getAccessLevel));
    }
}

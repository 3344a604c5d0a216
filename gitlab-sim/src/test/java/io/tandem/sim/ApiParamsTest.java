package io.tandem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tandem.sim.service.ApiError;
import io.tandem.sim.service.ApiParams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grape accepts the same parameters as query string, form body or JSON body. */
class ApiParamsTest {

    @Test
    void railsStyleFormKeysUnfold() {
        ApiParams params = ApiParams.of(Map.of(), "application/x-www-form-urlencoded",
                "assignee_ids%5B%5D=3&assignee_ids[]=4&variables[FOO]=bar&actions[][action]=create"
                        + "&actions[][file_path]=a.txt&actions[][action]=delete&actions[][file_path]=b.txt&title=a+b");
        assertEquals(List.of(3L, 4L), params.ids("assignee_ids"));
        assertEquals("a b", params.string("title"));
        assertEquals(List.of(Map.of("key", "FOO", "value", "bar")), params.objects("variables"));
        List<Map<String, Object>> actions = params.objects("actions");
        assertEquals(2, actions.size());
        assertEquals("b.txt", actions.get(1).get("file_path"));
    }

    @Test
    void jsonQueryAndCommaListsAreEquivalent() {
        ApiParams json = ApiParams.of(Map.of(), "application/json", "{\"reviewer_ids\":[5,6],\"confidential\":true}");
        ApiParams query = ApiParams.of(Map.of("reviewer_ids", List.of("5,6"), "confidential", List.of("true")), null, null);
        assertEquals(json.ids("reviewer_ids"), query.ids("reviewer_ids"));
        assertEquals(json.bool("confidential"), query.bool("confidential"));
        assertEquals(List.of(), ApiParams.of(Map.of("assignee_ids", List.of("0")), null, null).ids("assignee_ids"));
    }

    @Test
    void missingRequiredParameterIsGrapesError() {
        ApiError error = assertThrows(ApiError.class, () -> ApiParams.empty().required("title"));
        assertEquals(400, error.status());
        assertEquals(Map.of("error", "title is missing"), error.body());
    }
}

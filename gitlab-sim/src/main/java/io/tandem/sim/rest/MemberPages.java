package io.tandem.sim.rest;

import io.tandem.sim.repository.Member;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import io.tandem.sim.service.ApiError;
import io.tandem.sim.service.EntityViews;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Listing, filtering and JSON of members, shared by the group and project member endpoints. */
@ApplicationScoped
public class MemberPages {

    private final SimStore store;
    private final EntityViews views;

    public MemberPages(SimStore store, EntityViews views) {
        this.store = store;
        this.views = views;
    }

    /** Keeps, per user, the membership with the highest level (inherited memberships). */
    static void mergeHighest(Map<Long, Member> into, Iterable<Member> members) {
        for (Member member : members) {
            Member existing = into.get(member.userId);
            if (existing == null || member.accessLevel > existing.accessLevel) {
                into.put(member.userId, member);
            }
        }
    }

    /** One page of members filtered by {@code query} and {@code user_ids[]}, by user id. */
    Response page(Collection<Member> members, UriInfo uri) {
        String query = uri.getQueryParameters().getFirst("query");
        List<Long> userIds = Requests.query(uri).ids("user_ids");
        List<Member> filtered = SimStore.sorted(members, m -> store.users.containsKey(m.userId)
                && (query == null || matches(store.users.get(m.userId), query))
                && (userIds == null || userIds.isEmpty() || userIds.contains(m.userId)),
                Comparator.comparingLong(m -> m.userId));
        return Paging.page(filtered, this::json, uri);
    }

    Map<String, Object> json(Member member) {
        User user = store.user(member.userId).orElseThrow(() -> ApiError.notFound("Member"));
        return views.member(user, member);
    }

    private static boolean matches(User user, String query) {
        String q = query.toLowerCase();
        return user.username.toLowerCase().contains(q) || user.name.toLowerCase().contains(q);
    }
}

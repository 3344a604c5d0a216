package io.tandem.sim.service;

import io.tandem.sim.repository.Member;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Direct memberships of groups and projects. */
@ApplicationScoped
public class MemberService {

    private final SimStore store;

    public MemberService(SimStore store) {
        this.store = store;
    }

    /**
     * Adds members from {@code user_id} (one id or a comma separated list) or {@code username}; 409 if a
     * user is already a direct member. Only Owners may grant Owner.
     */
    public List<Member> add(Map<Long, Member> members, User caller, int callerLevel, ApiParams params) {
        int level = params.intValue("access_level", -1);
        if (level < 0) {
            throw ApiError.missing("access_level");
        }
        if (!AccessLevels.valid(level)) {
            throw ApiError.badParam("access_level does not have a valid value");
        }
        if (level == AccessLevels.OWNER && !caller.admin && callerLevel < AccessLevels.OWNER) {
            throw ApiError.forbidden();
        }
        List<User> users = new ArrayList<>();
        List<String> ids = params.strings("user_id");
        if (ids != null && !ids.isEmpty()) {
            for (String id : ids) {
                try {
                    users.add(store.user(Long.parseLong(id)).orElseThrow(() -> ApiError.notFound("User")));
                } catch (NumberFormatException e) {
                    throw ApiError.badParam("user_id is invalid");
                }
            }
        } else if (params.string("username") != null) {
            for (String username : params.strings("username")) {
                users.add(store.userByUsername(username).orElseThrow(() -> ApiError.notFound("User")));
            }
        } else {
            throw ApiError.badParam("user_id, username are missing, exactly one parameter must be provided");
        }
        synchronized (store) {
            for (User user : users) {
                if (members.containsKey(user.id)) {
                    throw ApiError.conflict("Member already exists");
                }
            }
            List<Member> added = new ArrayList<>();
            for (User user : users) {
                Member member = new Member();
                member.userId = user.id;
                member.accessLevel = level;
                member.expiresAt = params.date("expires_at");
                member.createdAt = Instant.now();
                member.createdById = caller.id;
                put(members, member);
                added.add(member);
            }
            return added;
        }
    }

    public Member update(Map<Long, Member> members, User caller, int callerLevel, long userId, ApiParams params) {
        synchronized (store) {
            Member member = members.get(userId);
            if (member == null) {
                throw ApiError.notFound("Member");
            }
            if (params.has("access_level")) {
                int level = params.intValue("access_level", -1);
                if (!AccessLevels.valid(level)) {
                    throw ApiError.badParam("access_level does not have a valid value");
                }
                if (level == AccessLevels.OWNER && !caller.admin && callerLevel < AccessLevels.OWNER) {
                    throw ApiError.forbidden();
                }
                member.accessLevel = level;
            }
            if (params.has("expires_at")) {
                member.expiresAt = params.date("expires_at");
            }
            return member;
        }
    }

    public void remove(Map<Long, Member> members, long userId) {
        synchronized (store) {
            if (members.remove(userId) == null) {
                throw ApiError.notFound("Member");
            }
        }
    }

    void put(Map<Long, Member> members, Member member) {
        members.put(member.userId, member);
    }
}

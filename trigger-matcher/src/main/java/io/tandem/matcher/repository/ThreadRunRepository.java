package io.tandem.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ThreadRunRepository implements PanacheRepositoryBase<ThreadRun, String> {

    public Uni<ThreadRun> inState(String threadKey, long agentId, String state) {
        return find("threadKey = ?1 and agentId = ?2 and state = ?3", threadKey, agentId, state).firstResult();
    }

    /** The thread's most recent run of the agent that was requested (active or ended), or null. */
    public Uni<ThreadRun> last(String threadKey, long agentId) {
        return find("threadKey = ?1 and agentId = ?2 and state <> ?3 order by createdAt desc, invocationId",
                threadKey, agentId, ThreadRun.QUEUED).firstResult();
    }

    /** The run that was waiting for {@code invocationId} and became active when it ended, or null. */
    public Uni<ThreadRun> promotedAfter(String invocationId) {
        return find("follows = ?1 and state = ?2", invocationId, ThreadRun.ACTIVE).firstResult();
    }

    /**
     * Serialises every decision about one thread and agent until the transaction ends: notes, issue and merge
     * request events and run status changes arrive on different channels and may race. Two threads whose keys
     * collide in the hash only wait for each other, which is harmless.
     */
    public Uni<Void> lock(String threadKey, long agentId) {
        long key = ((long) threadKey.hashCode() << 32) ^ agentId;
        return getSession().chain(session -> session
                .createNativeQuery("select count(*) from (select pg_advisory_xact_lock(?1)) locked", Long.class)
                .setParameter(1, key)
                .getSingleResult())
                .replaceWithVoid();
    }
}

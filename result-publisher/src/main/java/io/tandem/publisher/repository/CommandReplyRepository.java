package io.tandem.publisher.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.tandem.events.ThreadCommand;
import io.tandem.events.ThreadRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.ZoneOffset;

@ApplicationScoped
public class CommandReplyRepository implements PanacheRepositoryBase<CommandReply, String> {

    /** Makes sure the command has a row to lock, whoever inserts it first. Must run inside a transaction. */
    public Uni<Void> insertIfAbsent(ThreadCommand command, Instant now) {
        ThreadRef thread = command.thread();
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO {h-schema}command_reply
                    (command_event_id, verb, invocation_id, project_id, group_id, group_path, noteable_type,
                     noteable_iid, noteable_id, discussion_id, refused, service_account_id, created_at)
                VALUES (:eventId, :verb, :invocationId, :projectId, :groupId, :groupPath, :noteableType,
                        :noteableIid, :noteableId, :discussionId, :refused, :serviceAccountId, :now)
                ON CONFLICT (command_event_id) DO NOTHING
                """)
                .setParameter("eventId", command.eventId())
                .setParameter("verb", command.verb())
                .setParameter("invocationId", command.invocationId())
                .setParameter("projectId", thread.projectId())
                .setParameter("groupId", thread.groupId())
                .setParameter("groupPath", thread.groupPath())
                .setParameter("noteableType", thread.noteableType())
                .setParameter("noteableIid", thread.noteableIid())
                .setParameter("noteableId", thread.noteableId())
                .setParameter("discussionId", command.discussionId())
                .setParameter("refused", command.refused())
                .setParameter("serviceAccountId", command.serviceAccount().id())
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .executeUpdate())
                .replaceWithVoid();
    }

    /** {@code SELECT ... FOR UPDATE}: a redelivered command waits for the first attempt to finish. */
    public Uni<CommandReply> lockById(String commandEventId) {
        return findById(commandEventId, LockModeType.PESSIMISTIC_WRITE);
    }
}

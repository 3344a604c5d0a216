package io.tandem.matcher.support;

import io.tandem.testsupport.PostgresServer;
import io.tandem.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads {@code matcher.thread_run} directly: what the scheduler recorded about a run. */
public final class ThreadRuns {

    /** A run's row; null if there is none. */
    public record Row(String state, String endState, long projectId) {
    }

    public static Row find(String invocationId) {
        try (Connection db = DriverManager.getConnection(PostgresTestResource.server().jdbcUrl(),
                PostgresServer.USER, PostgresServer.PASSWORD);
                PreparedStatement query = db.prepareStatement(
                        "select state, end_state, project_id from matcher.thread_run where invocation_id = ?")) {
            query.setString(1, invocationId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? new Row(rows.getString(1), rows.getString(2), rows.getLong(3)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read thread_run", e);
        }
    }

    private ThreadRuns() {
    }
}

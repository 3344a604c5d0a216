package io.tandem.gateway.support;

import io.tandem.testsupport.PostgresServer;
import io.tandem.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Plain JDBC into the service's schema, to check what it stored. */
public final class Database {

    public static Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(PostgresTestResource.server().jdbcUrl(),
                PostgresServer.USER, PostgresServer.PASSWORD);
        connection.setSchema("gateway");
        return connection;
    }

    private Database() {
    }
}

package db.migration;

import java.sql.Connection;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2 only: the ledger's row ids are handed out from a cache of 1,000 instead of 32. H2 writes a
 * sequence's next block in a commit of its own, and on the file store every commit writes out all the
 * pages changed so far — the open transactions' too: with 32, a transaction of 1,000 fills did that
 * ~30 times (scripts/load.sh fills, BENCHMARKS.md). H2's cache is one per database, so ids still
 * follow the order they were given in; a crash skips the rest of a block, which nothing relies on.
 * Not on PostgreSQL: there a sequence cache is per connection, and ids would no longer follow the
 * order of events (an order's history is read in id order). A Java migration because Flyway runs SQL
 * the same on every database.
 */
public class V16__h2_identity_caches extends BaseJavaMigration {

    private static final String[] TABLES = {"orders", "order_events", "fills", "dead_letters"};

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE 1000");
            }
        }
    }
}

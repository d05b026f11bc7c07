"""The throttle counters in an UNLOGGED table: no WAL, so counting a request no longer waits for
the disk (an API call counted in a durable table spent 0.3 ms on the upsert, 0.12 ms unlogged).
After a crash PostgreSQL empties the table, and every limit starts counting from zero: what
losing Redis costs when REDIS_URL is set. SET UNLOGGED rewrites the table, which holds at most a
day of counts (the daily job removes older windows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("verzuimloket", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE verzuimloket_teller SET UNLOGGED",
            reverse_sql="ALTER TABLE verzuimloket_teller SET LOGGED",
        )
    ]

"""SearchName, the triggers that keep it (participants.search_names), filled from the people
there are; the name-order indexes the search reads the people of the names found from; and
on PostgreSQL a trigram index on the names (upper-cased already), for what was typed
anywhere in a name."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

from participants import search_names

# Without fastupdate: a new name goes into the index at once instead of a pending list
# that every search would read until the next vacuum; new names are rare.
TRIGRAMS = (
    "CREATE INDEX search_name_value_trgm ON participants_searchname"
    " USING gin (value gin_trgm_ops) WITH (fastupdate = off)"
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(TRIGRAMS)  # pg_trgm: migration 0004
    for statement in search_names.create_sql(vendor) + search_names.refill_sql():
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in search_names.drop_sql(vendor):
        schema_editor.execute(statement)
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_name_value_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('aktiva', '0008_organization_report_team'),
        ('participants', '0009_attendance_revision'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('part', models.CharField(choices=[('F', 'Vorname'), ('L', 'Nachname')], max_length=1)),
                ('value', models.CharField(max_length=100)),
                ('people', models.PositiveIntegerField()),
            ],
            options={
                'verbose_name': 'Name für die Suche',
                'verbose_name_plural': 'Namen für die Suche',
            },
        ),
        migrations.AddIndex(
            model_name='participant',
            index=models.Index(django.db.models.functions.text.Upper('last_name'), django.db.models.functions.text.Upper('first_name'), models.F('organization'), models.F('id'), name='participant_search_last'),
        ),
        migrations.AddIndex(
            model_name='participant',
            index=models.Index(django.db.models.functions.text.Upper('first_name'), django.db.models.functions.text.Upper('last_name'), models.F('organization'), models.F('id'), name='participant_search_first'),
        ),
        migrations.AddField(
            model_name='searchname',
            name='organization',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='aktiva.organization'),
        ),
        migrations.AddConstraint(
            model_name='searchname',
            constraint=models.UniqueConstraint(fields=('organization', 'part', 'value'), name='search_name_unique'),
        ),
        migrations.RunPython(create, drop),
    ]

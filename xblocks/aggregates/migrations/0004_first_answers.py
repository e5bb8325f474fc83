# Knowledge-check verdicts keep the first answer, whether it was right and the tries so far (for the
# governance report). Rows from before have none of them: NULL, "not known", never a guess.

from django.db import migrations, models

from ._fields import add_fields


class Migration(migrations.Migration):

    dependencies = [('commonground', '0003_shared_items')]
    operations = add_fields('checkverdict', [
        ('first_answer', models.JSONField(default=None, null=True)),
        ('first_correct', models.BooleanField(default=None, null=True)),
        ('tries', models.PositiveIntegerField(default=None, null=True)),
    ])

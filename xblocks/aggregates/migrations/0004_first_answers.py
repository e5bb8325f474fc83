# Knowledge-check verdicts keep the first answer, whether it was right and the tries so far (for the
# governance report). Rows from before have none of them: NULL, "not known", never a guess.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commonground', '0003_shared_items'),
    ]

    operations = [
        migrations.AddField(
            model_name='checkverdict',
            name='first_answer',
            field=models.JSONField(default=None, null=True),
        ),
        migrations.AddField(
            model_name='checkverdict',
            name='first_correct',
            field=models.BooleanField(default=None, null=True),
        ),
        migrations.AddField(
            model_name='checkverdict',
            name='tries',
            field=models.PositiveIntegerField(default=None, null=True),
        ),
    ]

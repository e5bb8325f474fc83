# Learning reviews and joint feedback: one row per item a learner sends.

from django.db import migrations, models

from ._fields import course_and_check, learner, modified, row_id, staff


class Migration(migrations.Migration):

    dependencies = [('commonground', '0002_verdicts_and_staff_rows')]
    operations = [
        migrations.CreateModel(
            name='SharedItem',
            fields=[
                row_id(), *course_and_check(),
                ('kind', models.CharField(max_length=32)),
                learner(),
                ('author_name', models.CharField(blank=True, default='', max_length=255)),
                staff(),
                ('values', models.JSONField()),
                ('service', models.CharField(max_length=60)),
                ('category', models.CharField(blank=True, default='', max_length=32)),
                ('month', models.CharField(max_length=7)),
                ('status', models.CharField(default='pending', max_length=12)),
                ('note', models.TextField(blank=True, default='')),
                ('reply', models.TextField(blank=True, default='')),
                ('created', models.DateTimeField(auto_now_add=True)),
                modified(),
                ('published', models.DateTimeField(blank=True, null=True)),
                ('token', models.CharField(blank=True, default='', max_length=64)),
            ],
            options={
                'indexes': [models.Index(fields=['course_key', 'check_key', 'status'], name='commonground_shared_status'),
                            models.Index(fields=['course_key', 'learner'], name='commonground_shared_learner')],
            },
        ),
    ]

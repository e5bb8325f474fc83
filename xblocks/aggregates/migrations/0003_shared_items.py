# Learning reviews and joint feedback: one row per item a learner sends.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commonground', '0002_verdicts_and_staff_rows'),
    ]

    operations = [
        migrations.CreateModel(
            name='SharedItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(max_length=255)),
                ('check_key', models.CharField(max_length=255)),
                ('kind', models.CharField(max_length=32)),
                ('learner', models.CharField(max_length=255)),
                ('author_name', models.CharField(blank=True, default='', max_length=255)),
                ('staff', models.BooleanField(default=False)),
                ('values', models.JSONField()),
                ('service', models.CharField(max_length=60)),
                ('category', models.CharField(blank=True, default='', max_length=32)),
                ('month', models.CharField(max_length=7)),
                ('status', models.CharField(default='pending', max_length=12)),
                ('note', models.TextField(blank=True, default='')),
                ('reply', models.TextField(blank=True, default='')),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('published', models.DateTimeField(blank=True, null=True)),
                ('token', models.CharField(blank=True, default='', max_length=64)),
            ],
            options={
                'indexes': [models.Index(fields=['course_key', 'check_key', 'status'], name='commonground_shared_status'),
                            models.Index(fields=['course_key', 'learner'], name='commonground_shared_learner')],
            },
        ),
    ]

# Every row keeps the version of the module whose block wrote it, so the governance report keeps two
# versions of a module apart. Rows from before get "": not known, never a guess.

from django.db import migrations

from ._fields import add_fields, module_version


class Migration(migrations.Migration):

    dependencies = [('commonground', '0004_first_answers')]
    operations = [op for model in ('confidencerating', 'checkverdict', 'shareditem')
                  for op in add_fields(model, [module_version()])]

# Common Ground (commonground Tutor plugin): init task, run in an lms container by
# `tutor local do init`, `tutor k8s do init` and `launch`. Safe to run any number of times.

python -c 'from importlib.metadata import version; print("Common Ground: commonground", version("commonground"), "is installed")' \
  || { echo "ERROR: commonground is not installed in this image. Rebuild it: tutor images build openedx"; exit 1; }

# Our Django app is an Open edX plugin app (lms.djangoapp entry point), so Tutor's own
# `./manage.py lms migrate` has already applied its migrations; this repeats it for our app only
# and is a no-op when there is nothing to apply.
if ./manage.py lms showmigrations {{ COMMONGROUND_DJANGO_APP_LABEL }} > /dev/null 2>&1; then
  ./manage.py lms migrate {{ COMMONGROUND_DJANGO_APP_LABEL }}
else
  echo "Common Ground: no Django app '{{ COMMONGROUND_DJANGO_APP_LABEL }}' in this image, nothing to migrate"
fi

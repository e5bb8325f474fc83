# Common Ground (commonground Tutor plugin): init task, run in an lms container by
# `tutor local do init`, `tutor k8s do init` and `launch`. Safe to run any number of times.

# An image built before the plugin was enabled lacks the package: say so and let the rest of
# `init` go on (the blocks simply are not there until the image is rebuilt).
if ! python -c 'from importlib.metadata import version; print("Common Ground: commonground", version("commonground"), "is installed")'; then
  echo "WARNING: commonground is not installed in this image; skipping its migrations. Rebuild the image" \
       "(tutor images build openedx), then run: tutor local do init --limit commonground"
# Our Django app is an Open edX plugin app (lms.djangoapp entry point), so Tutor's own
# `./manage.py lms migrate` has already applied its migrations; this repeats it for our app only
# and is a no-op when there is nothing to apply.
elif ./manage.py lms showmigrations {{ COMMONGROUND_DJANGO_APP_LABEL }} > /dev/null 2>&1; then
  ./manage.py lms migrate {{ COMMONGROUND_DJANGO_APP_LABEL }}
else
  echo "Common Ground: no Django app '{{ COMMONGROUND_DJANGO_APP_LABEL }}' in this image, nothing to migrate"
fi

# Common Ground (commonground Tutor plugin): import the course into Studio. Run in a cms
# container by `tutor local do importcommonground` or `tutor k8s do importcommonground`.
# Builds the OLX course from the commonground package installed in the image (no host files),
# then imports it as {{ COMMONGROUND_COURSE_KEY|commonground_course_key }}.
# Safe to run twice: importing an existing course key updates that course in place (blocks keep
# their ids, so learner state survives). It also replaces any edit made to the course in Studio.

workdir="$(mktemp -d /tmp/commonground.XXXXXX)"
trap 'rm -rf "$workdir"' EXIT

# From an empty folder the builder uses the content pack shipped in the package (the image has
# the blocks but not the authoring tools, so this is the course builder, not `commonground build`).
(cd "$workdir" && python -m xblocks.tutor.olx build "$workdir/build")
set -- "$workdir"/build/olx/*.tar.gz
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
  echo "ERROR: expected one course tarball in $workdir/build/olx, found: $*"
  exit 1
fi
mkdir "$workdir/data"
tar -xzf "$1" -C "$workdir/data"

# Find course.xml and give the course the configured key (COMMONGROUND_COURSE_KEY).
course_root="$(cd "$workdir" && python -m xblocks.tutor.olx "$workdir/data" '{{ COMMONGROUND_COURSE_KEY|commonground_course_key }}')"

./manage.py cms import "$(dirname "$course_root")" "$(basename "$course_root")"

echo "Common Ground: imported {{ COMMONGROUND_COURSE_KEY }}"
echo "  Studio: {% if ENABLE_HTTPS %}https{% else %}http{% endif %}://{{ CMS_HOST }}/course/{{ COMMONGROUND_COURSE_KEY }}"
echo "  LMS:    {% if ENABLE_HTTPS %}https{% else %}http{% endif %}://{{ LMS_HOST }}/courses/{{ COMMONGROUND_COURSE_KEY }}/about"

#!/bin/sh
# What a change will do to the fleet, as markdown for a review comment (docs/review.md).
#
#   contrib/ci/plan-review.sh BASE INVENTORY PLAYBOOK [OUT]
#
# Runs `plumb plan --against BASE` in the git repository holding PLAYBOOK: the playbooks,
# inventory and vars at BASE and as they are in the work tree, planned on the same facts; OUT
# (default plan-review.md) gets only the difference, hosts with the same changes grouped.
#
# Environment:
#   PLUMB       the plumb command (default: plumb)
#   PLUMB_ARGS  more options for plan, split on spaces; e.g. "--facts-from ledger" for a runner
#               that cannot reach the fleet (fetch refs/plumb/* first), or "-l 'lab*'"
#
# Exit: 0 when the plan was made, whether or not the change does anything (the first line of OUT
# says which); plumb's own status otherwise (1 bad input, nothing contacted; 3 a host could not
# be read), and OUT then holds what plumb said, for the comment.
set -eu

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
  echo "usage: $0 BASE INVENTORY PLAYBOOK [OUT]" >&2
  exit 1
fi
base=$1
inventory=$2
playbook=$3
out=${4:-plan-review.md}
plumb=${PLUMB:-plumb}

# A CI checkout is often shallow or has only the branch under review: say so instead of letting
# plumb fail on a ref it cannot see.
if ! git -C "$(dirname "$playbook")" rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  echo "plan-review: $base is not in this clone; fetch it first (git fetch origin $base, or a full clone)" >&2
  exit 1
fi

status=0
# shellcheck disable=SC2086 # PLUMB_ARGS is split on purpose
$plumb plan --no-color --format markdown --detailed-exitcode --against "$base" ${PLUMB_ARGS:-} \
  -i "$inventory" "$playbook" >"$out.body" 2>"$out.err" || status=$?

case $status in
  0) summary="No change on any host relative to \`$base\`." ;;
  2) summary="This change does something relative to \`$base\`:" ;;
  *) summary="plumb plan --against $base failed (exit $status):" ;;
esac
{
  echo "$summary"
  echo
  cat "$out.body"
  if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
    echo '```text'
    cat "$out.err"
    echo '```'
  fi
} >"$out"
cat "$out.err" >&2 # plumb's progress lines, for the job's log
rm -f "$out.body" "$out.err"

case $status in
  0 | 2) exit 0 ;;
  *) exit "$status" ;;
esac

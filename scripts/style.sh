#!/usr/bin/env bash
# The style rules a script can check (STYLE.md, after curl): C lines no
# wider than 79 columns, no tabs, no trailing blanks, no TODO markers.
set -u
status=0
files=$(git ls-files 'core/*.[ch]' 'proto/*.[ch]' 'proto/*.cc' 'server/*.[ch]' \
        'tests/unit/*.[ch]' 'tests/fuzz/*.c' 'bench/*.c' 'clients/c/*.[ch]')
report() { echo "style: $1"; status=1; }
for f in $files; do
  awk -v f="$f" 'length > 79 { printf "%s:%d: wider than 79\n", f, FNR }
                 /\t/ { printf "%s:%d: tab\n", f, FNR }
                 /[ \t]$/ { printf "%s:%d: trailing blank\n", f, FNR }
                 /TODO|FIXME/ { printf "%s:%d: TODO marker\n", f, FNR }' \
      "$f" | while read -r line; do echo "style: $line"; done | grep . \
      && status=1
done
[ $status -eq 0 ] && echo "style: $(echo "$files" | wc -w) files clean"
exit $status

#!/usr/bin/env bash
# Size of a fresh virtualenv holding the runtime dependencies of pyproject.toml (not the
# project itself, not the dev extras): as it is now, and as it was before issue 14 (the last
# commit with numba, 2fe3faf~1). Usage, from the project root: bash benchmarks/install_size.sh
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git show 2fe3faf~1:pyproject.toml > "$work/before.toml"
cp pyproject.toml "$work/now.toml"
for which in before now; do
  python3 -m venv "$work/$which"
  python3 -c "import tomllib, sys; print('\n'.join(tomllib.load(open(sys.argv[1], 'rb'))['project']['dependencies']))" \
    "$work/$which.toml" > "$work/$which.txt"
  "$work/$which/bin/pip" install -q -r "$work/$which.txt" 2>/dev/null
  echo "$which: $(du -sm "$work/$which" | cut -f1) MB" \
    "($(grep -cv '^$' "$work/$which.txt") requirements; numba: $("$work/$which/bin/python" -c 'import importlib.util as u; print("yes" if u.find_spec("numba") else "no")'))"
done

#!/usr/bin/env bash
# Regenerates each package's PublicAPI.Unshipped.txt from its code (Microsoft.CodeAnalysis.PublicApiAnalyzers):
# every public symbol not in PublicAPI.Shipped.txt is listed, every shipped one that is gone is marked *REMOVED*.
# Run it after changing a public API (the build fails with RS0016/RS0017 until the files agree), review the diff,
# commit. At a release, move the Unshipped lines into Shipped.
# Usage: eng/update-public-api.sh [src/Project ...]   (default: every project under src/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "$#" -gt 0 ]; then
  projects=()
  for dir in "$@"; do projects+=("$(ls "${dir%/}"/*.csproj)"); done
else
  projects=(src/*/*.csproj)
fi

for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  # Start Unshipped afresh so that symbols renamed or removed since the last run leave no stale line.
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
done

# One project at a time: the code fix then sees exactly that project's symbols and files.
for project in "${projects[@]}"; do
  echo "$project"
  if ! dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity warn -v q; then
    echo "dotnet format failed for $project; rerun it with -v n to see why" >&2
    exit 1
  fi
done

# The code fix does not touch generated sources (the integrations' builder overloads come from a source generator):
# add the symbols that the analyzer still reports as undeclared.
for project in "${projects[@]}"; do
  file="$(dirname "$project")/PublicAPI.Unshipped.txt"
  dotnet build "$project" -c Release -v q -p:TreatWarningsAsErrors=false 2>&1 \
    | grep -o "RS0016: Symbol '.*' is not part of the declared" \
    | sed -e "s/^RS0016: Symbol '//" -e "s/' is not part of the declared\$//" >> "$file" || true
done

# The code fix appends in discovery order: sort each file (after its #nullable line) so diffs stay small.
for project in "${projects[@]}"; do
  file="$(dirname "$project")/PublicAPI.Unshipped.txt"
  { head -n 1 "$file"; tail -n +2 "$file" | grep -v '^$' | LC_ALL=C sort -u; } > "$file.sorted"
  mv "$file.sorted" "$file"
  echo "$file: $(($(wc -l < "$file") - 1)) entries"
done

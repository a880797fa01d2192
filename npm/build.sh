#!/usr/bin/env bash
# build.sh builds the npm packages into npm/dist (git-ignored), the way
# esbuild and Biome ship native binaries: one package per platform holding
# the binary (its package.json's "os" and "cpu" let npm install only the
# matching one) and the manglecheck package, whose launcher runs it and
# which lists them all as optionalDependencies. Then packs each into a
# tarball next to them.
#
#   npm/build.sh [--host] [VERSION]
#
# VERSION (default 0.0.0-dev) is stamped into the binaries
# (manglecheck --version) and every package.json. --host builds only this
# machine's platform (the tests install and run that one).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
host=false
version=0.0.0-dev
for a in "$@"; do
	case "$a" in
	--host) host=true ;;
	-*) echo "build.sh: unknown flag $a" >&2; exit 2 ;;
	*) version=$a ;;
	esac
done
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
	echo "build.sh: version $version is not semver (1.2.3 or 1.2.3-rc.1)" >&2
	exit 2
fi

# npm platform (process.platform-process.arch) → GOOS/GOARCH.
platforms=(darwin-arm64 darwin-x64 linux-arm64 linux-x64 win32-arm64 win32-x64)
goos() { case $1 in darwin-*) echo darwin ;; linux-*) echo linux ;; win32-*) echo windows ;; esac; }
goarch() { case $1 in *-arm64) echo arm64 ;; *-x64) echo amd64 ;; esac; }
if $host; then
	p=$(node -p 'process.platform + "-" + process.arch')
	platforms=("$p")
fi

out="$here/dist"
rm -rf "$out"
mkdir -p "$out/@manglecheck"

for p in "${platforms[@]}"; do
	os=${p%-*} cpu=${p#*-}
	dir="$out/@manglecheck/$p"
	exe=manglecheck
	[[ $os == win32 ]] && exe=manglecheck.exe
	echo "== $p"
	mkdir -p "$dir/bin"
	(cd "$root" && CGO_ENABLED=0 GOOS=$(goos "$p") GOARCH=$(goarch "$p") \
		go build -trimpath -ldflags "-s -w -X main.stampedVersion=$version" -o "$dir/bin/$exe" ./cmd/manglecheck)
	cat >"$dir/package.json" <<JSON
{
  "name": "@manglecheck/$p",
  "version": "$version",
  "description": "The manglecheck binary for $os $cpu (installed by the manglecheck package).",
  "license": "MIT",
  "repository": {"type": "git", "url": "git+https://github.com/manglecheck/manglecheck.git"},
  "os": ["$os"],
  "cpu": ["$cpu"],
  "files": ["bin"],
  "preferUnplugged": true
}
JSON
	printf 'The %s binary of [manglecheck](https://www.npmjs.com/package/manglecheck); install `manglecheck`, not this.\n' "$p" >"$dir/README.md"
done

# The main package: its files, with the version stamped into it and its
# optionalDependencies.
cp -R "$here/manglecheck" "$out/manglecheck"
node - "$out/manglecheck/package.json" "$version" <<'JS'
const fs = require('fs');
const [file, version] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.version = version;
for (const dep of Object.keys(pkg.optionalDependencies)) pkg.optionalDependencies[dep] = version;
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
JS

cd "$out"
for dir in manglecheck @manglecheck/*; do
	npm pack --silent --pack-destination "$out" "./$dir" >/dev/null
done
ls -1 "$out"/*.tgz

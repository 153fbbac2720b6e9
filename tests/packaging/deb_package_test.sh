#!/usr/bin/env bash
# CPack's .deb and .tar.gz: the .deb names its library dependencies, unpacks (dpkg -x) into a
# scratch root whose tediag diagnoses corpora/samples; the tarball holds the same tree.
. "$(dirname "$0")/common.sh"
cpack --config "$BUILD/CPackConfig.cmake" -G "DEB;TGZ" -B "$SCRATCH/out" >"$SCRATCH/cpack.log" 2>&1 ||
  { cat "$SCRATCH/cpack.log"; fail "cpack"; }
deb=$(ls "$SCRATCH"/out/*.deb)
tgz=$(ls "$SCRATCH"/out/*.tar.gz)
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libre2 libfmt libyaml-cpp libarchive libstdc++; do
  grep -q "$lib" <<<"$depends" || fail "the .deb does not depend on $lib"
done
dpkg-deb -c "$deb" | grep './usr/share/man/man1/tediag.1' >/dev/null || fail "the .deb has no man page"
dpkg -x "$deb" "$SCRATCH/root"
check_samples "$SCRATCH/root/usr/bin/tediag"
# Listings are read whole before grep -q looks: its early exit would break tar's pipe, which
# pipefail turns into a failure.
listing=$(tar -tzf "$tgz")
grep -q '/bin/tediag$' <<<"$listing" || fail "the tarball has no bin/tediag"
grep -q '/share/bash-completion/completions/tediag$' <<<"$listing" || fail "the tarball has no bash completion"
echo "packages: $(basename "$deb") ($(stat -c %s "$deb") bytes), $(basename "$tgz")"

#!/usr/bin/env bash
# Issue 24: `cmake --install` places the binary, the manual page, the shell
# completions, the JSON Schema and the docs; the manual and the completions
# know every command; `cpack` builds a Debian package holding the same.
# Args: $1 tmc, $2 source dir, $3 build dir.
set -uo pipefail
tmc=$(realpath "$1") src=$(realpath "$2") build=$(realpath "$3")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# A tool the CI installs (make test's packages) must be there in CI.
need() {
  command -v "$1" >/dev/null && return 0
  if [ "${CI:-}" = true ]; then fail "$1 is not installed (make setup-test installs it)"; else echo "SKIPPED: $2 ($1 is not installed)"; fi
  return 1
}

# The commands, from tmc's own --help.
mapfile -t commands < <("$tmc" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
[ "${#commands[@]}" -ge 15 ] || fail "tmc --help lists ${#commands[@]} commands"

prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || fail "cmake --install: $(tail -5 "$work/install.log")"
for f in bin/tmc share/man/man1/tmc.1 share/bash-completion/completions/tmc share/zsh/vendor-completions/_tmc \
    share/fish/vendor_completions.d/tmc.fish share/tmc/tmc.schema.json share/doc/tmc/README.md share/doc/tmc/LICENSE \
    share/doc/tmc/CHANGELOG.md share/doc/tmc/docs/model-format.md share/doc/tmc/examples/payments.tm.yaml; do
  [ -s "$prefix/$f" ] || fail "cmake --install did not place $f"
done
[ -x "$prefix/bin/tmc" ] && "$prefix/bin/tmc" --version | grep -q '^tmc [0-9]' || fail "the installed tmc does not run"
"$tmc" schema | cmp -s - "$prefix/share/tmc/tmc.schema.json" || fail "the installed schema is not tmc schema's"

# The manual: every command has its section, and man can read it.
man=$(MANWIDTH=120 man -l "$prefix/share/man/man1/tmc.1" 2>"$work/man.err") || fail "man -l: $(cat "$work/man.err")"
[ -s "$work/man.err" ] && fail "man -l warns: $(head -3 "$work/man.err")"
for c in "${commands[@]}"; do
  grep -Eq "^ +tmc $c( |$)" <<<"$man" || fail "the manual has no section for tmc $c"
done
grep -q -- "--fail-on" <<<"$man" || fail "the manual does not list check's options"
grep -q "EXIT STATUS" <<<"$man" || fail "the manual has no EXIT STATUS"
"$tmc" help --man | cmp -s - "$prefix/share/man/man1/tmc.1" || fail "the installed manual is not tmc help --man's"

# bash: the completion completes commands, options and option values.
complete_bash() {  # words... -> COMPREPLY, one per line
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tmc; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$prefix/share/bash-completion/completions/tmc" "$@"
}
out=$(complete_bash tmc ch)
[ "$out" = check ] || fail "bash: 'tmc ch' completes to '$out'"
out=$(complete_bash tmc "")
for c in "${commands[@]}"; do grep -qx "$c" <<<"$out" || fail "bash: 'tmc ' does not offer $c"; done
grep -qx -- "--version" <<<"$out" || fail "bash: 'tmc ' does not offer --version"
out=$(complete_bash tmc check --fail-o)
grep -qx -- "--fail-on" <<<"$out" || fail "bash: 'tmc check --fail-o' gives '$out'"
out=$(complete_bash tmc completion "")
[ "$(sort <<<"$out" | tr '\n' ' ')" = "bash fish zsh " ] || fail "bash: 'tmc completion ' gives '$out'"
out=$(complete_bash tmc threats --format "")
grep -qx json <<<"$out" || fail "bash: 'tmc threats --format ' gives '$out'"
# zsh and fish: the scripts parse, and name every command.
if need zsh "zsh completion syntax"; then
  zsh -n "$prefix/share/zsh/vendor-completions/_tmc" || fail "zsh -n rejects _tmc"
fi
if need fish "fish completion syntax"; then
  fish -n "$prefix/share/fish/vendor_completions.d/tmc.fish" || fail "fish -n rejects tmc.fish"
  out=$(fish -c "source '$prefix/share/fish/vendor_completions.d/tmc.fish'; complete -C 'tmc '" 2>&1)
  for c in "${commands[@]}"; do grep -q "^$c"$'\t' <<<"$out" || fail "fish: 'tmc ' does not offer $c"; done
fi
for c in "${commands[@]}"; do
  grep -q "'$c:" "$prefix/share/zsh/vendor-completions/_tmc" || fail "the zsh completion lacks $c"
done

# The Debian package (not for sanitizer builds: their binary is not shipped).
if grep -q '^TMC_SANITIZE:BOOL=ON\|^TMC_TSAN:BOOL=ON\|^TMC_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "SKIPPED: the Debian package (a sanitizer build)"
elif need dpkg-deb "the Debian package" && need dpkg-shlibdeps "the Debian package"; then
  (cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1) || fail "cpack: $(tail -5 "$work/cpack.log")"
  deb=$(ls "$work"/pkg/*.deb 2>/dev/null | head -1)
  if [ -z "$deb" ]; then
    fail "cpack made no .deb"
  else
    contents=$(dpkg-deb -c "$deb")
    for f in ./usr/bin/tmc ./usr/share/man/man1/tmc.1 ./usr/share/bash-completion/completions/tmc \
        ./usr/share/zsh/vendor-completions/_tmc ./usr/share/fish/vendor_completions.d/tmc.fish \
        ./usr/share/tmc/tmc.schema.json ./usr/share/doc/tmc/LICENSE; do
      grep -q " $f\$" <<<"$contents" || fail "the package lacks $f"
    done
    depends=$(dpkg-deb -f "$deb" Depends)
    for lib in libyaml libgvc libnettle libxlsxwriter; do
      grep -q "$lib" <<<"$depends" || fail "the package does not depend on $lib: $depends"
    done
    [ "$(dpkg-deb -f "$deb" Version)" = "$("$tmc" --version | cut -d' ' -f2)" ] || fail "the package version is not tmc --version's"
    dpkg-deb -x "$deb" "$work/unpacked"
    file "$work/unpacked/usr/bin/tmc" | grep -q "stripped" && ! file "$work/unpacked/usr/bin/tmc" | grep -q "not stripped" ||
      fail "the packaged binary is not stripped: $(file "$work/unpacked/usr/bin/tmc")"
    "$work/unpacked/usr/bin/tmc" --version >/dev/null || fail "the packaged tmc does not run"
    echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB; binary $(du -k "$work/unpacked/usr/bin/tmc" | cut -f1) KiB"
  fi
fi

[ "$failures" = 0 ] && echo "install: all passed"
exit "$failures"

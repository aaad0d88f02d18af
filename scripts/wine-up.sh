#!/bin/sh
# Installs Wine from Debian for Oracle's Java Card 3.0.5 reference VM (cref_tdual.exe, a 32-bit Windows
# console program; docs/card.md): adds the i386 architecture, then wine and wine32. Idempotent: does
# nothing when both packages are there. Run as root (or via sudo). Never asks anything, every wait is
# bounded, and it exits non-zero saying why. It installs nothing of Oracle's SDK: that is not
# redistributable and comes from its owner (docs/card.md).
#
#   scripts/wine-up.sh              # install wine + wine32 if missing, then check that wine runs
set -eu

APT_TIMEOUT_SECONDS="${WINE_UP_APT_TIMEOUT_SECONDS:-900}"
PACKAGES="wine wine32:i386"

LOG_NAME=wine-up
# shellcheck source=scripts/apt-lib.sh
. "$(dirname "$0")/apt-lib.sh"

missing="$(missing_packages)"
if [ -n "$missing" ]; then
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        log "adding the i386 architecture (cref is a 32-bit Windows program)"
        as_root dpkg --add-architecture i386 || die "dpkg --add-architecture i386 failed"
    fi
    log "installing: $missing"
    apt update -q >/dev/null || die "apt-get update failed"
    # shellcheck disable=SC2086
    apt install -y -q $missing >/dev/null || die "apt-get install $missing failed"
    [ -z "$(missing_packages)" ] || die "still missing after install: $(missing_packages)"
fi
command -v wine >/dev/null 2>&1 || die "wine is installed but not on the PATH"
log "ready: $(wine --version 2>/dev/null || echo 'wine (version unknown)')"

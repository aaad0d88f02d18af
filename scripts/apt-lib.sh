# Shared by scripts/pcsc-up.sh and scripts/wine-up.sh (sourced, not run): one-line logging, root through
# sudo when needed, and apt-get that never asks and never waits forever. The sourcing script sets
# LOG_NAME, APT_TIMEOUT_SECONDS and PACKAGES first.

log() { printf '%s: %s\n' "$LOG_NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "needs root (to install packages) and there is no sudo: run it as root"
        sudo -n true 2>/dev/null || die "needs root (to install packages): run it as root, or with a sudo that asks no password"
        sudo -n "$@"
    else
        "$@"
    fi
}

# apt-get, never interactive, waiting at most 2 minutes for another apt's lock and
# APT_TIMEOUT_SECONDS in all.
apt() {
    as_root env DEBIAN_FRONTEND=noninteractive timeout "$APT_TIMEOUT_SECONDS" \
        apt-get -o DPkg::Lock::Timeout=120 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" </dev/null
}

# The packages of PACKAGES not installed, separated by spaces (with one after the last).
missing_packages() {
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
    done
}

#!/bin/sh
# Brings up the real PC/SC stack the simulated SIM plugs into: pcscd with the vsmartcard virtual
# reader driver (vpcd), plus the third-party tools the checks drive it with (opensc-tool, pcsc_scan).
# Idempotent: installs only what is missing, starts pcscd only when it is not running, and returns
# once vpcd listens on its socket. No systemd needed (containers, CI). Run as root (or via sudo).
# Never asks anything (no stdin needed) and every wait is bounded: it succeeds or exits non-zero
# saying why.
#
#   scripts/pcsc-up.sh            # install if needed, start pcscd, wait for 127.0.0.1:35963
#   PCSC_UP_NO_INSTALL=1 ...      # never call apt-get (fail if a package is missing)
set -eu

VPCD_PORT="${VPCD_PORT:-35963}"
WAIT_SECONDS="${PCSC_UP_WAIT_SECONDS:-20}"
APT_TIMEOUT_SECONDS="${PCSC_UP_APT_TIMEOUT_SECONDS:-600}"
PACKAGES="pcscd vsmartcard-vpcd opensc pcsc-tools"

LOG_NAME=pcsc-up
# shellcheck source=scripts/apt-lib.sh
. "$(dirname "$0")/apt-lib.sh"

port_listens() {
    # bash's /dev/tcp is not in dash; ss is in iproute2, which may be absent in slim images.
    if command -v ss >/dev/null 2>&1; then
        ss -ltn "sport = :$VPCD_PORT" 2>/dev/null | grep -q LISTEN
    else
        grep -qi ":$(printf '%04X' "$VPCD_PORT") [0-9A-F:]* 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null
    fi
}

pcscd_running() {
    # pcscd writes its PID here; a stale file (container restart) must not count.
    pidfile=/run/pcscd/pcscd.pid
    [ -r "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && return 0
    pidof pcscd >/dev/null 2>&1
}

missing="$(missing_packages)"
if [ -n "$missing" ]; then
    if [ "${PCSC_UP_NO_INSTALL:-}" = 1 ]; then
        die "missing packages: $missing(PCSC_UP_NO_INSTALL=1, not installing)"
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing packages: $missing(and no apt-get to install them)"
    log "installing: $missing"
    apt update -qq || die "apt-get update failed"
    # shellcheck disable=SC2086
    apt install -y -qq --no-install-recommends $missing >/dev/null || die "apt-get install $missing failed"
    still="$(missing_packages)"
    [ -z "$still" ] || die "still missing after apt-get install: $still"
fi

if pcscd_running && ! port_listens && case "$missing" in *vsmartcard-vpcd*) true ;; *) false ;; esac; then
    # pcscd loads its reader drivers when it starts: one started before vpcd was installed has none
    log "restarting pcscd (pid $(pidof pcscd)) so that it loads the vpcd driver just installed"
    as_root kill "$(pidof pcscd)"
    i=0
    while pcscd_running; do
        i=$((i + 1))
        [ "$i" -le 50 ] || die "pcscd did not stop within 5 s"
        sleep 0.1
    done
fi

if pcscd_running; then
    log "pcscd already running (pid $(pidof pcscd))"
else
    as_root mkdir -p /run/pcscd
    log "starting pcscd"
    # Without systemd socket activation pcscd must be started by hand; --auto-exit would stop it
    # after 60 s idle, which a long test run must not see, so it stays off.
    as_root pcscd
fi

i=0
while ! port_listens; do
    i=$((i + 1))
    if [ "$i" -gt $((WAIT_SECONDS * 10)) ]; then
        die "vpcd is not listening on port $VPCD_PORT after ${WAIT_SECONDS}s; is vsmartcard-vpcd installed for this pcscd (restart pcscd after installing it)?"
    fi
    sleep 0.1
done
log "ready: vpcd listens on 127.0.0.1:$VPCD_PORT (pcscd pid $(pidof pcscd))"

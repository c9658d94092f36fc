#!/usr/bin/env bash
# stop.sh STATE_DIR [all|dovecot|postfix] — stop the Dovecot and/or Postfix masters started by
# start.sh, by PID (from STATE_DIR/pids), never by process name: other instances may be running.
#
# A master that exits can leave children behind: Dovecot's auth, stats and log processes stay while
# a client is connected to them (Postfix's smtpd keeps its SASL connection open, its LMTP client
# caches connections). Both masters are session leaders (setsid), and their children keep that
# session id after being orphaned, so the leftovers are found by session and stopped too.
set -euo pipefail
if [ $# -lt 1 ]; then echo "usage: $0 STATE_DIR [all|dovecot|postfix]" >&2; exit 2; fi
WHAT="${2:-all}"
case "$WHAT" in all|dovecot|postfix) ;; *) echo "stop.sh: unknown service '$WHAT'" >&2; exit 2;; esac
S="$(cd "$1" 2>/dev/null && pwd -P)" || { echo "stop.sh: no such dir $1" >&2; exit 0; }
[ -f "$S/pids" ] || { echo "stop.sh: $S/pids not found (not running)" >&2; exit 0; }

# Bounds, in tenths of a second: graceful exit of a master, then of its leftover children.
MASTER_WAIT_TENTHS=100
LEFTOVER_WAIT_TENTHS=20

# shellcheck source=process-alive.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/process-alive.sh"
any_alive() { local p; for p in "$@"; do alive "$p" && return 0; done; return 1; }
session_members() { local sid; for sid in "$@"; do ps -o pid= -s "$sid" 2>/dev/null || true; done | tr -s ' \n' ' '; }
# wait_gone TENTHS PID...: wait until none is alive, SIGKILL the rest after the bound
wait_gone() {
  local tenths="$1" i p; shift
  for ((i = 0; i < tenths; i++)); do any_alive "$@" || return 0; sleep 0.1; done
  for p in "$@"; do
    if alive "$p"; then
      echo "stop.sh: $p ($(ps -o args= -p "$p" 2>/dev/null || true)) still alive after $((tenths / 10)) s, SIGKILL" >&2
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
}

declare -a masters=() sessions=() keep=()
while read -r name pid; do
  [ -n "${pid:-}" ] || continue
  if [ "$WHAT" != all ] && [ "$WHAT" != "$name" ]; then keep+=("$name $pid"); continue; fi
  alive "$pid" || continue
  args="$(ps -o args= -p "$pid" 2>/dev/null || true)"
  case "$name:$args" in
    dovecot:*dovecot*|postfix:*master*) ;;
    *) echo "stop.sh: pid $pid is not $name ($args); not touching it" >&2; continue;;
  esac
  masters+=("$pid")
  if [ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ]; then sessions+=("$pid"); fi
  kill -TERM "$pid" 2>/dev/null || true
  echo "stopping $name ($pid)"
done < "$S/pids"

if [ "${#masters[@]}" -gt 0 ]; then
  wait_gone "$MASTER_WAIT_TENTHS" "${masters[@]}"
  if [ "${#sessions[@]}" -gt 0 ]; then
    read -r -a leftovers <<<"$(session_members "${sessions[@]}")" || true
    if [ "${#leftovers[@]}" -gt 0 ]; then
      for p in "${leftovers[@]}"; do alive "$p" && kill -TERM "$p" 2>/dev/null || true; done
      wait_gone "$LEFTOVER_WAIT_TENTHS" "${leftovers[@]}"
    fi
  fi
fi

if [ "${#keep[@]}" -gt 0 ]; then printf '%s\n' "${keep[@]}" > "$S/pids"; else rm -f "$S/pids"; fi
echo "stopped ($WHAT)"

#!/usr/bin/env bash
# adduser.sh STATE_DIR NAME [PASSWORD]  — add a mail user (or change a password); default "secret".
# adduser.sh --sync-only STATE_DIR       — only regenerate Postfix's recipient table.
# Dovecot re-reads STATE_DIR/etc/users by itself; Postfix is reloaded if it is running, because
# its smtpd processes read the recipient table (texthash:) only when they start.
set -euo pipefail
sync_only=0
if [ "${1:-}" = --sync-only ]; then sync_only=1; shift; fi
if [ $# -lt 1 ] || { [ $sync_only = 0 ] && [ $# -lt 2 ]; }; then
  echo "usage: $0 STATE_DIR NAME [PASSWORD]" >&2; exit 2; fi
S="$(cd "$1" && pwd -P)"
U="$S/etc/users"
DOMAIN="${MH_DOMAIN:-}"
if [ -z "$DOMAIN" ] && [ -f "$S/ports.env" ]; then DOMAIN="$(sed -n 's/^MH_DOMAIN=//p' "$S/ports.env")"; fi
DOMAIN="${DOMAIN:-example.test}"

if [ $sync_only = 0 ]; then
  name="$(printf %s "$2" | tr 'A-Z' 'a-z')"; pass="${3:-secret}"
  case "$name" in *[!a-z0-9._-]*|"") echo "adduser.sh: bad user name '$name'" >&2; exit 2;; esac
  case "$pass" in *:*|*$'\n'*|"") echo "adduser.sh: password may not be empty or contain ':' or newlines" >&2; exit 2;; esac
  # Replace the file atomically: Dovecot may read it at any moment.
  tmp="$(mktemp "$U.XXXXXX")"
  grep -v "^$name:" "$U" > "$tmp" || true
  echo "$name:{PLAIN}$pass" >> "$tmp"
  chmod 640 "$tmp"; chgrp dovecot "$tmp" 2>/dev/null || true
  mv "$tmp" "$U"
  echo "user $name@$DOMAIN"
fi

mkdir -p "$S/postfix/etc"
grep -v '^#' "$U" | cut -d: -f1 | grep . | sed "s/\$/@$DOMAIN OK/" > "$S/postfix/etc/vmailbox"
PIDFILE="$S/postfix/spool/pid/master.pid"
if [ $sync_only = 0 ] && [ -s "$PIDFILE" ] && kill -0 "$(tr -d ' \n' < "$PIDFILE")" 2>/dev/null; then
  /usr/sbin/postfix -c "$S/postfix/etc" reload </dev/null >/dev/null 2>&1 || true
fi

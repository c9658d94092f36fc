#!/usr/bin/env bash
# start.sh STATE_DIR [all|dovecot|postfix] — start a sandboxed, loopback-only mail server for tests.
#
#   Dovecot 2.3 (IMAP, POP3, LMTP, SASL)  +  Postfix 3.7 (submission, "MX" port)
#
# Adapted from the team's mailharness. Everything (config, TLS cert, Maildirs, queue, logs, sockets,
# pid files) lives under STATE_DIR; nothing in /etc is written and the system services are never
# started. Must run as root: it may install packages, and the servers drop privileges to the users
# the Debian packages create (mail, postfix, dovecot, dovenull).
#
# The second argument starts only one of the two servers (tests simulate "server down" with it);
# the config is regenerated either way, from the same ports, so a restart keeps its addresses.
#
# Ports, all on 127.0.0.1 (env var; default from STATE_DIR/ports.env if present, else the value shown):
#   IMAP  plain+STARTTLS MH_IMAP_PORT (10143)        implicit TLS MH_IMAPS_PORT (10993)
#   POP3  plain+STLS     MH_POP3_PORT (10110)        implicit TLS MH_POP3S_PORT (10995)
#   SMTP  submission     MH_SUBMISSION_PORT (10587)  STARTTLS required before AUTH (Dovecot SASL)
#         submissions    MH_SUBMISSIONS_PORT (10465) implicit TLS + AUTH
#         "MX"           MH_SMTP_PORT (10025)        no auth, local domain only (inject inbound mail)
#   LMTP                 MH_LMTP_PORT (10024)        Postfix delivers local mail to Dovecot through it
# Other env: MH_DOMAIN (example.test), MH_QUOTA (0; 1 = QUOTA capability, count backend, 10 GB),
#   MH_AUTH_FAILURE_DELAY (0), MH_AUTH_PENALTY (0; 1 = keep Dovecot's per-IP auth penalty),
#   MH_MAIL_USER (mail), MH_OAUTH2_INTROSPECTION_URL (unset; set = also accept XOAUTH2/OAUTHBEARER
#   tokens, checked by POSTing them to that RFC 7662 introspection endpoint: passdb oauth2).
# Users alice, bob, carol, sink (password "secret") in STATE_DIR/etc/users; add more with adduser.sh.
# Mail from authenticated senders to other domains is accepted and delivered to "sink".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=process-alive.sh
. "$HERE/process-alive.sh"
if [ $# -lt 1 ]; then echo "usage: $0 STATE_DIR [all|dovecot|postfix]" >&2; exit 2; fi
WHAT="${2:-all}"
case "$WHAT" in all|dovecot|postfix) ;; *) echo "start.sh: unknown service '$WHAT'" >&2; exit 2;; esac
if [ "$(id -u)" != 0 ]; then echo "start.sh: must run as root" >&2; exit 2; fi

# Bounds (tenths of a second): how long to wait for the listeners after starting the masters.
READY_WAIT_TENTHS=300
# Unix socket paths (sun_path) are limited to 108 bytes; Dovecot's and Postfix's deepest socket
# paths add about 40 characters to STATE_DIR.
MAX_STATE_DIR_LEN=60

# ---------------------------------------------------------------- install (only when missing)
have_all() {
  [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/pop3 ] \
    && [ -x /usr/lib/dovecot/lmtp ] && [ -x /usr/sbin/postfix ] \
    && [ -x /usr/lib/postfix/sbin/smtpd ] && command -v openssl >/dev/null
}
if ! have_all; then
  echo "start.sh: installing dovecot + postfix from apt" >&2
  # Debian's policy-rc.d hook (exit 101 = action forbidden) keeps the packages' own services from
  # starting on the system ports. Only created if absent, and removed afterwards.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
    made_policy=1; trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix openssl
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  have_all || { echo "start.sh: install failed" >&2; exit 1; }
fi

# ---------------------------------------------------------------- layout
mkdir -p "$1"
S="$(cd "$1" && pwd -P)"
if [ "${#S}" -gt "$MAX_STATE_DIR_LEN" ]; then
  echo "start.sh: STATE_DIR '$S' is longer than $MAX_STATE_DIR_LEN characters; unix socket paths would not fit. Use a short dir under /tmp." >&2
  exit 2
fi
MAIL_USER="${MH_MAIL_USER:-mail}"
MUID="$(id -u "$MAIL_USER")"; MGID="$(id -g "$MAIL_USER")"

# The unprivileged daemons (mail, postfix, dovenull) must be able to reach STATE_DIR.
d="$S"
while [ "$d" != / ]; do
  if ! setpriv --reuid="$MUID" --regid="$MGID" --clear-groups test -x "$d" 2>/dev/null; then
    echo "start.sh: $d is not traversable by user '$MAIL_USER'; choose a STATE_DIR whose parents are o+x (e.g. under /tmp)" >&2
    exit 2
  fi
  d="$(dirname "$d")"
done

# A restart (e.g. "start.sh DIR dovecot" after "stop.sh DIR dovecot") keeps the previous ports.
prev() { [ -f "$S/ports.env" ] && sed -n "s/^$1=//p" "$S/ports.env" || true; }
pick() { local v="${!1:-}"; [ -n "$v" ] || v="$(prev "$1")"; printf %s "${v:-$2}"; }
HOST=127.0.0.1
IMAP_PORT="$(pick MH_IMAP_PORT 10143)"
IMAPS_PORT="$(pick MH_IMAPS_PORT 10993)"
POP3_PORT="$(pick MH_POP3_PORT 10110)"
POP3S_PORT="$(pick MH_POP3S_PORT 10995)"
SUBMISSION_PORT="$(pick MH_SUBMISSION_PORT 10587)"
SUBMISSIONS_PORT="$(pick MH_SUBMISSIONS_PORT 10465)"
SMTP_PORT="$(pick MH_SMTP_PORT 10025)"
LMTP_PORT="$(pick MH_LMTP_PORT 10024)"
DOMAIN="$(pick MH_DOMAIN example.test)"
QUOTA="$(pick MH_QUOTA 0)"
OAUTH2_URL="$(pick MH_OAUTH2_INTROSPECTION_URL '')"

BASE="$S/run/dovecot"          # Dovecot base_dir: its sockets and master.pid
PF="$S/postfix"
PFQ="$PF/spool"                # Postfix queue_directory: its sockets and pid/master.pid

# pid of a running master of this instance, or nothing
running_pid() {
  local f
  case "$1" in dovecot) f="$BASE/master.pid";; postfix) f="$PFQ/pid/master.pid";; esac
  [ -s "$f" ] || return 0
  local pid; pid="$(tr -d ' \n' < "$f")"
  if [ -n "$pid" ] && alive "$pid"; then echo "$pid"; fi
}
want() { [ "$WHAT" = all ] || [ "$WHAT" = "$1" ]; }

mkdir -p "$S"/{etc,tls,log,lib/dovecot,mail,run,bin} "$BASE" "$PF/etc" "$PF/data" "$PFQ"
chmod 755 "$S" "$S/etc" "$S/run" "$S/log" "$BASE"
chown "$MUID:$MGID" "$S/mail"; chmod 750 "$S/mail"
chown postfix:postfix "$PF/data"; chmod 700 "$PF/data"

# ---------------------------------------------------------------- TLS (kept across restarts)
if [ ! -s "$S/tls/cert.pem" ] || [ ! -s "$S/tls/key.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
    -subj "/CN=localhost/O=estafeta-test" \
    -addext "subjectAltName=DNS:localhost,DNS:mail.$DOMAIN,IP:127.0.0.1" \
    -keyout "$S/tls/key.pem" -out "$S/tls/cert.pem" 2>/dev/null
  chmod 600 "$S/tls/key.pem"; chmod 644 "$S/tls/cert.pem"
fi

# ---------------------------------------------------------------- users (kept across restarts)
if [ ! -f "$S/etc/users" ]; then
  {
    echo "# passwd-file: user:{SCHEME}password  (add with adduser.sh STATE_DIR NAME [PASSWORD])"
    for u in alice bob carol sink; do echo "$u:{PLAIN}secret"; done
  } > "$S/etc/users"
fi
chmod 640 "$S/etc/users"; chgrp dovecot "$S/etc/users"

cat > "$S/ports.env" <<EOF
MH_STATE_DIR=$S
MH_HOST=$HOST
MH_DOMAIN=$DOMAIN
MH_QUOTA=$QUOTA
MH_OAUTH2_INTROSPECTION_URL=$OAUTH2_URL
MH_IMAP_PORT=$IMAP_PORT
MH_IMAPS_PORT=$IMAPS_PORT
MH_POP3_PORT=$POP3_PORT
MH_POP3S_PORT=$POP3S_PORT
MH_SUBMISSION_PORT=$SUBMISSION_PORT
MH_SUBMISSIONS_PORT=$SUBMISSIONS_PORT
MH_SMTP_PORT=$SMTP_PORT
MH_LMTP_PORT=$LMTP_PORT
MH_CA_CERT=$S/tls/cert.pem
MH_PASSWORD=secret
EOF

# ---------------------------------------------------------------- dovecot config
# listescape: allow '.' in folder names (Maildir++ uses '.' on disk; the IMAP separator is '/')
plugins="listescape"; imap_plugins=""
if [ "$QUOTA" = 1 ]; then plugins="$plugins quota"; imap_plugins="imap_quota"; fi

# OAuth2 (only with MH_OAUTH2_INTROSPECTION_URL): tokens go to passdb oauth2, passwords to passwd-file.
oauth2_mechanisms=""; oauth2_passdb=""; password_mechanisms=""
if [ -n "$OAUTH2_URL" ]; then
  cat > "$S/etc/dovecot-oauth2.conf.ext" <<EOF
introspection_mode = post
introspection_url = $OAUTH2_URL
username_attribute = username
active_attribute = active
active_value = true
EOF
  chmod 640 "$S/etc/dovecot-oauth2.conf.ext"; chgrp dovecot "$S/etc/dovecot-oauth2.conf.ext"
  oauth2_mechanisms=" xoauth2 oauthbearer"
  password_mechanisms="  mechanisms = plain login"
  oauth2_passdb="passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $S/etc/dovecot-oauth2.conf.ext
}"
fi

cat > "$S/etc/dovecot.conf" <<EOF
# Generated by scripts/mailserver/start.sh on every start; edit start.sh, not this file.
instance_name = estafeta-test
base_dir = $BASE
state_dir = $S/lib/dovecot
protocols = imap pop3 lmtp
listen = $HOST
hostname = mail.$DOMAIN
login_greeting = Dovecot (estafeta test) ready.
log_path = $S/log/dovecot.log
info_log_path = $S/log/dovecot.log
log_timestamp = "%Y-%m-%d %H:%M:%S "
verbose_proctitle = yes

ssl = yes
ssl_cert = <$S/tls/cert.pem
ssl_key = <$S/tls/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2

# Plaintext LOGIN/AUTH is allowed on the plain ports: loopback only, and clients must be able to
# test their own "refuse to send a password in clear" logic against a server that would accept it.
disable_plaintext_auth = no
auth_mechanisms = plain login$oauth2_mechanisms
auth_username_format = %Ln
auth_verbose = yes
# Dovecot's default is 2 s; 0 keeps wrong-password tests fast.
auth_failure_delay = ${MH_AUTH_FAILURE_DELAY:-0}

mail_location = maildir:~/Maildir
first_valid_uid = $MUID
first_valid_gid = $MGID
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
mail_plugins = \$mail_plugins $plugins
recipient_delimiter = +
postmaster_address = postmaster@$DOMAIN
lda_mailbox_autocreate = yes
pop3_uidl_format = %08Xu%08Xv
# LMTP prepends only Return-Path (always added by Dovecot), so a message injected over LMTP is
# stored as "Return-Path: <...>" + the exact bytes sent. Mail through Postfix keeps its own
# Received headers.
lmtp_add_received_header = no
lmtp_hdr_delivery_address = none

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $S/etc/users
$password_mechanisms
}
$oauth2_passdb
userdb {
  driver = static
  args = uid=$MUID gid=$MGID home=$S/mail/%n
}

namespace inbox {
  inbox = yes
  separator = /
  prefix =
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}

plugin {
  quota = count:User quota
  quota_vsizes = yes
  quota_rule = *:storage=10G
}

protocol imap {
  mail_plugins = \$mail_plugins $imap_plugins
  mail_max_userip_connections = 100
}
protocol pop3 {
  mail_max_userip_connections = 100
}

service imap-login {
  inet_listener imap {
    address = $HOST
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = $HOST
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = $HOST
    port = $POP3_PORT
  }
  inet_listener pop3s {
    address = $HOST
    port = $POP3S_PORT
    ssl = yes
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
  inet_listener lmtp {
    address = $HOST
    port = $LMTP_PORT
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
EOF
# Dovecot's anvil "auth penalty" delays the next auth from an IP that just failed by 2..15 s. All
# test clients are 127.0.0.1, so one negative test would slow every later login. It is turned off
# by not creating its socket (mode = 0): the auth process finds no socket and runs without
# penalties. A stale socket file would make it retry for 5 s, so it is removed before start.
if [ "${MH_AUTH_PENALTY:-0}" != 1 ]; then
  cat >> "$S/etc/dovecot.conf" <<EOF
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
fi

# ---------------------------------------------------------------- postfix config
"$HERE/adduser.sh" --sync-only "$S"   # virtual mailbox table from the passwd-file

# every recipient outside $DOMAIN is rewritten to sink@$DOMAIN (a MailHog-like catch-all)
{
  echo 'if /@/'
  printf '!/@%s$/ sink@%s\n' "$(printf %s "$DOMAIN" | sed 's/\./\\./g')" "$DOMAIN"
  echo 'endif'
} > "$PF/etc/virtual_alias.regexp"

cat > "$PF/etc/main.cf" <<EOF
# Generated by scripts/mailserver/start.sh on every start; edit start.sh, not this file.
compatibility_level = 3.6
queue_directory = $PFQ
data_directory = $PF/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $S/log/postfix.log
maillog_file_prefixes = $S/log

myhostname = mail.$DOMAIN
mydomain = $DOMAIN
myorigin = \$mydomain
mydestination =
local_recipient_maps =
inet_interfaces = $HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP estafeta-test
biff = no
append_dot_mydomain = no
readme_directory = no
disable_vrfy_command = yes
smtp_dns_support_level = disabled
message_size_limit = 52428800
recipient_delimiter = +
# Retry deferred mail quickly: tests stop Dovecot and expect queued mail to arrive once it is back.
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 10s

virtual_mailbox_domains = $DOMAIN
virtual_mailbox_maps = texthash:$PF/etc/vmailbox
virtual_alias_maps = regexp:$PF/etc/virtual_alias.regexp
virtual_alias_domains =
virtual_transport = lmtp:inet:[$HOST]:$LMTP_PORT
default_transport = lmtp:inet:[$HOST]:$LMTP_PORT

smtpd_tls_cert_file = $S/tls/cert.pem
smtpd_tls_key_file = $S/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_session_cache_database =
smtp_tls_security_level = none
smtpd_sasl_type = dovecot
smtpd_sasl_path = $BASE/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_sasl_authenticated_header = yes
broken_sasl_auth_clients = no
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions =
EOF

SUBOPTS="  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
  -o milter_macro_daemon_name=ORIGINATING"
cat > "$PF/etc/master.cf" <<EOF
# Generated by scripts/mailserver/start.sh; nothing is chrooted.
# service type  private unpriv  chroot  wakeup  maxproc command + args
$HOST:$SMTP_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtp
$HOST:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
$SUBOPTS
$HOST:$SUBMISSIONS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
$SUBOPTS
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
chmod 644 "$PF/etc/main.cf" "$PF/etc/master.cf"

# helper wrappers bound to this STATE_DIR
for tool in doveadm:/usr/bin/doveadm:"$S/etc/dovecot.conf" postfix:/usr/sbin/postfix:"$PF/etc" \
            postconf:/usr/sbin/postconf:"$PF/etc" postqueue:/usr/sbin/postqueue:"$PF/etc"; do
  IFS=: read -r name bin conf <<<"$tool"
  printf '#!/bin/sh\nexec %s -c "%s" "$@"\n' "$bin" "$conf" > "$S/bin/$name"
  chmod 755 "$S/bin/$name"
done

# ---------------------------------------------------------------- start
# The daemons must not inherit our stdout/stderr: a caller capturing start.sh's output (| tee, a
# test runner) would otherwise wait for EOF forever. Their early errors go to log/startup.log.
SL="$S/log/startup.log"
# ss lists listening sockets without connecting, so no probe connections appear in the logs.
port_listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
wait_ready() { # wait_ready PIDFILE PORT...
  local pidfile="$1"; shift
  local i p ok
  for ((i = 0; i < READY_WAIT_TENTHS; i++)); do
    ok=1
    [ -s "$pidfile" ] || ok=0
    if [ "$ok" = 1 ]; then for p in "$@"; do port_listening "$p" || { ok=0; break; }; done; fi
    [ "$ok" = 1 ] && return 0
    sleep 0.1
  done
  return 1
}
fail() { # fail MESSAGE LOG...  (a failed "all" start stops what it started: no half-up instance)
  echo "start.sh: $1" >&2; shift
  for f in "$@"; do if [ -f "$f" ]; then echo "--- tail $f" >&2; tail -20 "$f" >&2; fi; done
  if [ "$WHAT" = all ]; then "$HERE/stop.sh" "$S" >/dev/null 2>&1 || true; fi
  exit 1
}
# Postfix sets SO_REUSEPORT on its listeners, so a second Postfix instance binds a port that
# another one already listens on without any error, and the kernel then splits connections between
# the two. Refuse ports that are taken before starting, and check afterwards that we are alone.
check_free() { # check_free PORT...
  local p
  for p in "$@"; do
    if port_listening "$p"; then echo "start.sh: port $p: Address already in use" >&2; return 1; fi
  done
}
check_alone() { # check_alone PORT...
  local p
  for p in "$@"; do
    if [ "$(ss -Hltn "sport = :$p" 2>/dev/null | wc -l)" != 1 ]; then
      echo "start.sh: port $p: Address already in use (shared with another listener)" >&2; return 1
    fi
  done
}
record_pid() { # keep STATE_DIR/pids ("name pid" lines) in step with what runs; stop.sh reads it
  local tmp="$S/pids.tmp"
  { [ -f "$S/pids" ] && grep -v "^$1 " "$S/pids" || true; echo "$1 $2"; } > "$tmp"
  mv "$tmp" "$S/pids"
}

if want dovecot; then
  if pid="$(running_pid dovecot)" && [ -n "$pid" ]; then
    echo "start.sh: dovecot already running ($pid)" >&2
  else
    check_free "$IMAP_PORT" "$IMAPS_PORT" "$POP3_PORT" "$POP3S_PORT" "$LMTP_PORT" || fail "dovecot not started"
    rm -f "$BASE/master.pid"
    [ "${MH_AUTH_PENALTY:-0}" = 1 ] || rm -f "$BASE/anvil-auth-penalty"
    /usr/sbin/dovecot -c "$S/etc/dovecot.conf" </dev/null >>"$SL" 2>&1 \
      || fail "dovecot failed to start" "$SL" "$S/log/dovecot.log"
    wait_ready "$BASE/master.pid" "$IMAP_PORT" "$IMAPS_PORT" "$POP3_PORT" "$POP3S_PORT" "$LMTP_PORT" \
      || fail "dovecot did not come up" "$SL" "$S/log/dovecot.log"
    record_pid dovecot "$(tr -d ' \n' < "$BASE/master.pid")"
  fi
fi

if want postfix; then
  if pid="$(running_pid postfix)" && [ -n "$pid" ]; then
    echo "start.sh: postfix already running ($pid)" >&2
  else
    check_free "$SUBMISSION_PORT" "$SUBMISSIONS_PORT" "$SMTP_PORT" || fail "postfix not started"
    /usr/sbin/postfix -c "$PF/etc" check </dev/null >>"$SL" 2>&1 || true
    /usr/sbin/postfix -c "$PF/etc" start </dev/null >>"$SL" 2>&1 \
      || fail "postfix failed to start" "$SL" "$S/log/postfix.log"
    wait_ready "$PFQ/pid/master.pid" "$SUBMISSION_PORT" "$SUBMISSIONS_PORT" "$SMTP_PORT" \
      || fail "postfix did not come up" "$SL" "$S/log/postfix.log"
    record_pid postfix "$(tr -d ' \n' < "$PFQ/pid/master.pid")"
    if ! check_alone "$SUBMISSION_PORT" "$SUBMISSIONS_PORT" "$SMTP_PORT"; then
      "$HERE/stop.sh" "$S" postfix >/dev/null 2>&1 || true
      fail "postfix stopped again"
    fi
  fi
fi

echo "start.sh: up ($WHAT): STATE_DIR=$S imap=$IMAP_PORT imaps=$IMAPS_PORT pop3=$POP3_PORT pop3s=$POP3S_PORT" \
  "submission=$SUBMISSION_PORT submissions=$SUBMISSIONS_PORT smtp=$SMTP_PORT lmtp=$LMTP_PORT;" \
  "pids: $(tr '\n' ' ' < "$S/pids"); ca: $S/tls/cert.pem; env: $S/ports.env"

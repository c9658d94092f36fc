#!/usr/bin/env bash
# Installs the Debian packages the tests need (real Dovecot + Postfix, and Chromium for e2e) when
# they are missing. Never starts the system services: a temporary policy-rc.d refuses them, and
# the tests run their own instances with their own config.
set -euo pipefail

need=()
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd dovecot-pop3d dovecot-lmtpd)
[ -x /usr/lib/dovecot/pop3 ] || need+=(dovecot-pop3d)
[ -x /usr/lib/dovecot/lmtp ] || need+=(dovecot-lmtpd)
[ -x /usr/sbin/postfix ] || need+=(postfix)
command -v openssl >/dev/null || need+=(openssl)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "Missing packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi

echo "Installing ${need[*]} with apt (one time)..." >&2
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
trap 'if [ $created_policy = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${need[@]}" >&2

#!/usr/bin/env bash
# start.sh - install (if needed) and start a private, loopback-only mail stack
# for integration tests:
#
#   Dovecot  IMAP   127.0.0.1:3143  (plain, STARTTLS offered)
#            IMAPS  127.0.0.1:3993  (implicit TLS, self-signed cert)
#   Postfix  SMTP   127.0.0.1:2525  (no auth needed; STARTTLS + AUTH PLAIN/LOGIN offered)
#            accepts mail only for $MAILSTACK_DOMAIN and hands it to Dovecot over LMTP
#
# MAILSTACK_OAUTH2=1 makes it an OAuth2-only stack (run it as a second instance: its own
# MAILSTACK_DIR and ports, e.g. test.sh's /tmp/mailstack-oauth2 on 3144/3994/2526):
#   Dovecot logs in only with XOAUTH2 / OAUTHBEARER bearer tokens, validated locally
#   (passdb oauth2, introspection_mode = local): a JWT signed HS256 with the key in
#   $MAILSTACK_DIR/dovecot/keys/default/HS256/default (base64, generated once), claims sub,
#   email = the login, iat, nbf, exp. PLAIN/LOGIN are still offered and always refused.
#   Postfix takes mail only from a client that authenticated (AUTH XOAUTH2 via Dovecot).
#
# Everything (configs, TLS cert, maildirs, queue, logs, pid files, sockets)
# lives under $MAILSTACK_DIR (default /tmp/mailstack). The system-wide
# /etc/postfix and /etc/dovecot configs are not used or modified, and the
# packaged system daemons are never started. Daemons are started directly
# (no systemd/init scripts). Mail can never leave the machine: relaying is
# refused and every non-local transport is "error:".
#
# Re-running is safe: a running instance is stopped (via stop.sh) and
# started again with freshly generated configs; mail data is kept unless
# --reset (or MAILSTACK_RESET=1) is given.
#
# Usage: sudo ./start.sh [--reset]
#   env: MAILSTACK_DIR, MAILSTACK_DOMAIN, MAILSTACK_USERS ("local:password ..."),
#        MAILSTACK_IMAP_PORT, MAILSTACK_IMAPS_PORT, MAILSTACK_SMTP_PORT,
#        MAILSTACK_VMAIL_USER, MAILSTACK_NO_INSTALL=1, MAILSTACK_RESET=1, MAILSTACK_OAUTH2=1
# Writes $MAILSTACK_DIR/mailstack.env (host, ports, users, CA cert path; the token key) for tests.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASE=${MAILSTACK_DIR:-/tmp/mailstack}
DOMAIN=${MAILSTACK_DOMAIN:-intake.test}
USERS=${MAILSTACK_USERS:-"center:center-pass staff:staff-pass org1:org1-pass org2:org2-pass archives:archives-pass interop:interop-pass"}
IMAP_PORT=${MAILSTACK_IMAP_PORT:-3143}
IMAPS_PORT=${MAILSTACK_IMAPS_PORT:-3993}
SMTP_PORT=${MAILSTACK_SMTP_PORT:-2525}
VMAIL_USER=${MAILSTACK_VMAIL_USER:-vmail}
RESET=${MAILSTACK_RESET:-0}
OAUTH2=${MAILSTACK_OAUTH2:-0}
HOST=127.0.0.1
PACKAGES=(postfix dovecot-core dovecot-imapd dovecot-lmtpd openssl)

for arg in "$@"; do
  case "$arg" in
    --reset) RESET=1 ;;
    -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
    *) echo "start.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[mailstack] %s\n' "$*"; }
die() { printf '[mailstack] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (Dovecot/Postfix masters need root)"
case "$BASE" in /*) ;; *) die "MAILSTACK_DIR must be an absolute path" ;; esac
# unix socket paths are limited to 108 bytes; keep the base short
[ "${#BASE}" -le 60 ] || die "MAILSTACK_DIR is too long (max 60 chars): $BASE"
[ "$BASE" != / ] || die "MAILSTACK_DIR must not be /"

T0=$(date +%s.%N)

# ---------------------------------------------------------------- install --
install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "${MAILSTACK_NO_INSTALL:-0}" = 1 ] && die "missing packages: ${missing[*]} (MAILSTACK_NO_INSTALL=1)"
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Postfix: do not let debconf write /etc/postfix/main.cf (we use our own config dir).
  printf '%s\n' \
    "postfix postfix/main_mailer_type select No configuration" \
    "postfix postfix/mailname string mail.$DOMAIN" | debconf-set-selections
  # Keep the packaged daemons from being started by the maintainer scripts.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  local apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300
                  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if ! apt-get install "${apt_opts[@]}" "${missing[@]}"; then
    log "apt-get install failed; running apt-get update and retrying"
    apt-get update -q
    apt-get install "${apt_opts[@]}" "${missing[@]}"
  fi
  if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  # On a systemd host (not CI here: no systemd), do not leave the packaged
  # services that we just installed enabled for the next boot.
  if [ -d /run/systemd/system ]; then
    for p in dovecot.socket dovecot.service postfix.service; do
      systemctl disable --now "$p" >/dev/null 2>&1 || true
    done
  fi
}
install_packages

getent passwd "$VMAIL_USER" >/dev/null ||
  useradd --system --user-group --home-dir /nonexistent --no-create-home \
          --shell /usr/sbin/nologin "$VMAIL_USER"

# ------------------------------------------------- stop a previous instance --
[ -f "$HERE/stop.sh" ] || die "stop.sh not found next to start.sh"
MAILSTACK_DIR="$BASE" bash "$HERE/stop.sh" --quiet
if [ "$RESET" = 1 ]; then
  log "reset: removing mail data and queue under $BASE"
  rm -rf "$BASE/mail" "$BASE/postfix/spool" "$BASE/postfix/data"
fi

# ------------------------------------------------------ ports must be free --
port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
for p in "$IMAP_PORT" "$IMAPS_PORT" "$SMTP_PORT"; do
  port_busy "$p" && die "port $HOST:$p is already in use by another process"
done

# ------------------------------------------------------------- directories --
umask 022
install -d -m 0755 -o root -g root "$BASE" "$BASE/etc" "$BASE/log" "$BASE/run" \
  "$BASE/postfix" "$BASE/postfix/etc" "$BASE/dovecot" "$BASE/tls"
install -d -m 0755 -o root -g root "$BASE/postfix/spool"        # Postfix wants root here
install -d -m 0700 -o postfix -g postfix "$BASE/postfix/data"
install -d -m 0750 -o dovecot -g dovecot "$BASE/dovecot/state"
install -d -m 0700 -o "$VMAIL_USER" -g "$VMAIL_USER" "$BASE/mail"
RUN="$BASE/run"                  # Dovecot base_dir (sockets, master.pid)

# --------------------------------------------------- self-signed TLS cert --
CERT="$BASE/tls/cert.pem"; KEY="$BASE/tls/key.pem"
if [ ! -s "$CERT" ] || [ ! -s "$KEY" ] || ! openssl x509 -checkend 86400 -noout -in "$CERT" >/dev/null 2>&1; then
  log "generating self-signed certificate"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:mail.$DOMAIN" \
    -keyout "$KEY" -out "$CERT" >/dev/null 2>&1
  chmod 600 "$KEY"; chmod 644 "$CERT"
fi

# ------------------------------------------------------------------ users --
USERS_FILE="$BASE/etc/users"          # Dovecot passwd-file
VMAILBOX="$BASE/etc/vmailbox"         # Postfix recipient list (texthash)
: > "$USERS_FILE.tmp"; : > "$VMAILBOX.tmp"
USER_LIST=""
for entry in $USERS; do
  local_part=${entry%%:*}; pass=${entry#*:}
  if [ -z "$local_part" ] || [ "$pass" = "$entry" ]; then die "bad MAILSTACK_USERS entry: $entry"; fi
  addr="$local_part@$DOMAIN"
  printf '%s:{PLAIN}%s::::::\n' "$addr" "$pass" >> "$USERS_FILE.tmp"
  printf '%s OK\n' "$addr" >> "$VMAILBOX.tmp"
  USER_LIST="$USER_LIST $addr:$pass"
done
install -m 0640 -o root -g dovecot "$USERS_FILE.tmp" "$USERS_FILE"
install -m 0644 -o root -g root "$VMAILBOX.tmp" "$VMAILBOX"
rm -f "$USERS_FILE.tmp" "$VMAILBOX.tmp"

# ------------------------------------ how a login is checked (password | OAuth2) --
OAUTH2_KEY="$BASE/dovecot/keys/default/HS256/default"
if [ "$OAUTH2" = 1 ]; then
  install -d -m 0750 -o root -g dovecot "$BASE/dovecot/keys" "$BASE/dovecot/keys/default" "$BASE/dovecot/keys/default/HS256"
  if [ ! -s "$OAUTH2_KEY" ]; then
    log "generating the OAuth2 token signing key (HS256)"
    openssl rand -base64 32 | tr -d '\n' > "$OAUTH2_KEY.tmp"
    install -m 0640 -o root -g dovecot "$OAUTH2_KEY.tmp" "$OAUTH2_KEY"
    rm -f "$OAUTH2_KEY.tmp"
  fi
  # bearer tokens are JWTs checked here; no identity provider is asked
  printf '%s\n' "introspection_mode = local" \
    "local_validation_key_dict = fs:posix:prefix=$BASE/dovecot/keys/" \
    "username_attribute = email" > "$BASE/dovecot/oauth2.conf.ext"
  chmod 644 "$BASE/dovecot/oauth2.conf.ext"
  AUTH_MECHANISMS="plain login xoauth2 oauthbearer"
  AUTH_VERBOSE=yes   # why a token was refused, in dovecot.log
  PASSDB_DRIVER="driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $BASE/dovecot/oauth2.conf.ext
}
# a password login is refused as wrong (not skipped, which Dovecot reports as a temporary failure):
# the only password is one nobody knows, made anew on every start
passdb {
  driver = static
  mechanisms = plain login
  args = password=$(openssl rand -hex 32)"
  # mail only from a client that logged in, and the only passdb takes tokens
  RELAY_RESTRICTIONS="permit_sasl_authenticated, reject"
  INSTANCE=mailstack-oauth2
else
  AUTH_MECHANISMS="plain login"
  AUTH_VERBOSE=no
  PASSDB_DRIVER="driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $USERS_FILE"
  RELAY_RESTRICTIONS="reject_unauth_destination"
  INSTANCE=mailstack
fi

# ---------------------------------------------------------------- Dovecot --
DC_CONF="$BASE/dovecot/dovecot.conf"
cat > "$DC_CONF" <<EOF
# generated by mailstack start.sh - private test instance, loopback only
instance_name = $INSTANCE
base_dir = $RUN
state_dir = $BASE/dovecot/state
log_path = $BASE/log/dovecot.log
protocols = imap lmtp
listen = $HOST

ssl = yes
ssl_cert = <$CERT
ssl_key = <$KEY
ssl_dh = </usr/share/dovecot/dh.pem
disable_plaintext_auth = no
auth_mechanisms = $AUTH_MECHANISMS
auth_verbose = $AUTH_VERBOSE
auth_failure_delay = 0
recipient_delimiter = +
postmaster_address = postmaster@$DOMAIN
hostname = mail.$DOMAIN

mail_location = maildir:~/Maildir
first_valid_uid = $(id -u "$VMAIL_USER")
first_valid_gid = $(id -g "$VMAIL_USER")

passdb {
  $PASSDB_DRIVER
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $USERS_FILE
  default_fields = uid=$VMAIL_USER gid=$VMAIL_USER home=$BASE/mail/%Ld/%Ln
}

namespace inbox {
  inbox = yes
  mailbox Drafts {
    auto = subscribe
    special_use = \\Drafts
  }
  mailbox Sent {
    auto = subscribe
    special_use = \\Sent
  }
  mailbox Trash {
    auto = subscribe
    special_use = \\Trash
  }
  mailbox Junk {
    auto = subscribe
    special_use = \\Junk
  }
}

protocol imap {
  mail_max_userip_connections = 200
}

# center+FOLDER@domain is delivered into IMAP folder FOLDER (when it exists, else INBOX): a test
# mails the center through Postfix, as a real client would, into the folder it reads.
protocol lmtp {
  lmtp_save_to_detail_mailbox = yes
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

service lmtp {
  unix_listener lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
}

service auth {
  unix_listener auth-postfix {
    mode = 0600
    user = postfix
    group = postfix
  }
}

# Disable the per-IP auth failure penalty (2..15 s sleep before each login
# after a failed one): all tests come from 127.0.0.1, so one "wrong password"
# test would slow every later login. mode = 0 removes the anvil socket.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
doveconf -c "$DC_CONF" -n >/dev/null || die "invalid Dovecot config $DC_CONF"

# ---------------------------------------------------------------- Postfix --
PF_DIR="$BASE/postfix/etc"
cat > "$PF_DIR/main.cf" <<EOF
# generated by mailstack start.sh - private test instance, loopback only
compatibility_level = 3.6
queue_directory = $BASE/postfix/spool
data_directory = $BASE/postfix/data
maillog_file = $BASE/log/postfix.log
maillog_file_prefixes = $BASE/log
myhostname = mail.$DOMAIN
mydomain = $DOMAIN
myorigin = \$mydomain
inet_interfaces = $HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no
readme_directory = no
smtpd_banner = \$myhostname ESMTP mailstack

# the only deliverable destination: Dovecot via LMTP
virtual_mailbox_domains = $DOMAIN
virtual_mailbox_maps = texthash:$VMAILBOX
virtual_transport = lmtp:unix:$RUN/lmtp
recipient_delimiter = +

# nothing may ever leave this machine
relay_domains =
local_transport = error:local delivery is disabled (mailstack)
relay_transport = error:relaying is disabled (mailstack)
default_transport = error:outbound mail is disabled (mailstack)
smtpd_relay_restrictions = $RELAY_RESTRICTIONS
notify_classes =

# no auth required; STARTTLS and AUTH (via Dovecot) are offered
smtpd_tls_security_level = may
smtpd_tls_cert_file = $CERT
smtpd_tls_key_file = $KEY
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $RUN/auth-postfix

message_size_limit = 52428800
mailbox_size_limit = 0
# retry quickly if Dovecot was briefly unavailable
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 60s
EOF
# chroot column is "n" everywhere: paths above are outside any chroot.
cat > "$PF_DIR/master.cf" <<EOF
# generated by mailstack start.sh
$HOST:$SMTP_PORT inet n - n - - smtpd
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n -  0 cleanup
qmgr       unix  n - n 300 1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n -  - trivial-rewrite
bounce     unix  - - n -  0 bounce
defer      unix  - - n -  0 bounce
trace      unix  - - n -  0 bounce
verify     unix  - - n -  1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -  - proxymap
proxywrite unix  - - n -  1 proxymap
showq      unix  n - n -  - showq
error      unix  - - n -  - error
retry      unix  - - n -  - error
discard    unix  - - n -  - discard
lmtp       unix  - - n -  - lmtp
anvil      unix  - - n -  1 anvil
scache     unix  - - n -  1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
chmod 644 "$PF_DIR/main.cf" "$PF_DIR/master.cf"
# Postfix refuses to read a main.cf younger than ~2 s ("pausing to let it cool
# down", a guard against half-written files) and sleeps; the files are
# complete, so backdate them and save those 2 s on every start.
touch -d "@$(( $(date +%s) - 10 ))" "$PF_DIR/main.cf" "$PF_DIR/master.cf" "$VMAILBOX"

# ------------------------------------------------------------------ start --
# Run a daemon launcher with stdio on /dev/null + a log file and without any
# inherited fds: otherwise the Dovecot master keeps our stdout/stderr (and the
# caller's extra fds) open and a caller reading our output through a pipe
# (CI log capture, `start.sh | tee`, Process.StandardOutput.ReadToEnd) hangs.
detached() {
  local out=$1; shift
  (
    for fd in "/proc/$BASHPID/fd/"*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec "$@"
  ) </dev/null >>"$out" 2>&1
}
# a stale anvil-auth-penalty socket from an older run would make the auth
# process retry connecting to it for 5 s (ECONNREFUSED) instead of skipping it
rm -f "$RUN/anvil-auth-penalty"
log "starting Dovecot"
detached "$BASE/log/dovecot-start.log" dovecot -c "$DC_CONF" ||
  { tail -n 20 "$BASE/log/dovecot-start.log" "$BASE/log/dovecot.log" >&2 || true; die "Dovecot failed to start"; }
log "starting Postfix"
detached "$BASE/log/postfix-start.log" postfix -c "$PF_DIR" start ||
  { tail -n 20 "$BASE/log/postfix-start.log" "$BASE/log/postfix.log" >&2 || true; die "Postfix failed to start"; }

# wait until all three listeners accept connections (max ~10 s)
for p in "$IMAP_PORT" "$IMAPS_PORT" "$SMTP_PORT"; do
  for _ in $(seq 1 100); do port_busy "$p" && break; sleep 0.1; done
  port_busy "$p" || die "nothing listening on $HOST:$p after 10 s"
done
for _ in $(seq 1 50); do [ -S "$RUN/lmtp" ] && break; sleep 0.1; done
[ -S "$RUN/lmtp" ] || die "Dovecot LMTP socket $RUN/lmtp missing"

cat > "$BASE/mailstack.env" <<EOF
MAILSTACK_DIR=$BASE
MAILSTACK_HOST=$HOST
MAILSTACK_DOMAIN=$DOMAIN
MAILSTACK_IMAP_PORT=$IMAP_PORT
MAILSTACK_IMAPS_PORT=$IMAPS_PORT
MAILSTACK_SMTP_PORT=$SMTP_PORT
MAILSTACK_CA_CERT=$CERT
MAILSTACK_USERS="${USER_LIST# }"
EOF
if [ "$OAUTH2" = 1 ]; then
  printf 'MAILSTACK_OAUTH2=1\nMAILSTACK_OAUTH2_KEY=%s\n' "$OAUTH2_KEY" >> "$BASE/mailstack.env"
fi

T1=$(date +%s.%N)
log "up in $(awk "BEGIN{printf \"%.2f\", $T1-$T0}") s: IMAP $HOST:$IMAP_PORT (STARTTLS), IMAPS $HOST:$IMAPS_PORT, SMTP $HOST:$SMTP_PORT, domain $DOMAIN"
log "users:${USER_LIST}"
if [ "$OAUTH2" = 1 ]; then log "OAuth2 only: XOAUTH2/OAUTHBEARER with HS256 JWTs signed by $OAUTH2_KEY (base64)"; fi
log "dovecot $(dovecot --version | cut -d' ' -f1), postfix $(postconf -c "$PF_DIR" -h mail_version); logs in $BASE/log; env in $BASE/mailstack.env"

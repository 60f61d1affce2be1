#!/usr/bin/env bash
# cyrus-start.sh - install (if needed) and start a private, loopback-only Cyrus IMAP 3.6 beside the
# Dovecot of start.sh, so the intake is tested against a second IMAP server:
#
#   Cyrus IMAP  IMAP   127.0.0.1:3145  (plain, STARTTLS offered)
#               IMAPS  127.0.0.1:3995  (implicit TLS)
#   idled (IDLE pushes new mail at once), TLS with a private CA (ca.pem signs the server certificate),
#   users from $MAILSTACK_USERS (default center:center-pass) in a private sasldb; a user's INBOX is
#   created at its first login. The server's own defaults are kept (munge8bit: yes rewrites raw 8-bit
#   header bytes to 'X'), because that is what a center's server may do.
#
# Install: Debian's cyrus-imapd conflicts with dovecot-imapd (both provide imap-server), so apt
# installs only cyrus-common (master, idled's libraries, tools; its packaged service is kept from
# starting and disabled) and sasl2-bin (saslpasswd2); imapd and idled are taken from the cyrus-imapd
# package of the same version, unpacked (dpkg-deb -x, no install) under $CYRUS_BIN_DIR. On first use only.
#
# Everything else (config, TLS, spool, databases, sockets, pid, log) lives under $MAILSTACK_DIR
# (default /tmp/mailstack-cyrus); /etc/imapd.conf and /etc/cyrus.conf are not used. Several instances
# coexist with their own MAILSTACK_DIR and ports. Re-running restarts the instance and keeps its mail
# unless --reset (or MAILSTACK_RESET=1); that is how a test restarts the server.
#
# Usage: sudo ./cyrus-start.sh [--reset]
#   env: MAILSTACK_DIR, MAILSTACK_DOMAIN, MAILSTACK_USERS ("local:password ..."),
#        MAILSTACK_IMAP_PORT, MAILSTACK_IMAPS_PORT, MAILSTACK_NO_INSTALL=1, MAILSTACK_RESET=1, CYRUS_BIN_DIR,
#        CYRUS_MUNGE8BIT (yes, the server's default; "no" keeps raw 8-bit header bytes such as Big5)
# Writes $MAILSTACK_DIR/mailstack.env (host, ports, users, CA certificate) for tests.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASE=${MAILSTACK_DIR:-/tmp/mailstack-cyrus}
DOMAIN=${MAILSTACK_DOMAIN:-intake.test}
USERS=${MAILSTACK_USERS:-"center:center-pass"}
IMAP_PORT=${MAILSTACK_IMAP_PORT:-3145}
IMAPS_PORT=${MAILSTACK_IMAPS_PORT:-3995}
RESET=${MAILSTACK_RESET:-0}
MUNGE8BIT=${CYRUS_MUNGE8BIT:-yes}
HOST=127.0.0.1
CYRUS_LIB=/usr/lib/cyrus/bin

for arg in "$@"; do
  case "$arg" in
    --reset) RESET=1 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "cyrus-start.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[cyrus] %s\n' "$*"; }
die() { printf '[cyrus] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (the Cyrus master starts as root and runs as cyrus)"
case "$BASE" in /*) ;; *) die "MAILSTACK_DIR must be an absolute path" ;; esac
[ "${#BASE}" -le 60 ] || die "MAILSTACK_DIR is too long (max 60 chars): $BASE"
[ "$BASE" != / ] || die "MAILSTACK_DIR must not be /"
T0=$(date +%s.%N)

# ---------------------------------------------------------------- install --
apt_install() {
  local opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300
              -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if ! apt-get install "${opts[@]}" "$@"; then
    log "apt-get install failed; running apt-get update and retrying"
    apt-get update -q
    apt-get install "${opts[@]}" "$@"
  fi
}

install_packages() {
  local missing=() p
  for p in cyrus-common sasl2-bin openssl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "${MAILSTACK_NO_INSTALL:-0}" = 1 ] && die "missing packages: ${missing[*]} (MAILSTACK_NO_INSTALL=1)"
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the packaged daemons (cyrus-imapd on 143/993/4190, saslauthd) from being started by the maintainer scripts.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt_install "${missing[@]}"
  if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  # Nor started at the next boot: the packaged service would listen on the standard ports with /etc/cyrus.conf
  # (and fail, imapd being absent). Disabling works offline too (no running systemd, as in CI).
  systemctl disable cyrus-imapd.service saslauthd.service >/dev/null 2>&1 || true
  if [ -d /run/systemd/system ]; then systemctl stop cyrus-imapd.service >/dev/null 2>&1 || true; fi
  update-rc.d cyrus-imapd disable >/dev/null 2>&1 || true
}

# imapd and idled from the cyrus-imapd package of cyrus-common's version, unpacked, never installed.
unpack_imapd() {
  local version dir tmp
  version=$(dpkg-query -W -f='${Version}' cyrus-common)
  dir=${CYRUS_BIN_DIR:-/usr/local/lib/mailstack-cyrus/$version}
  if [ -x "$dir/imapd" ] && [ -x "$dir/idled" ]; then echo "$dir"; return 0; fi
  [ "${MAILSTACK_NO_INSTALL:-0}" = 1 ] && die "imapd missing in $dir (MAILSTACK_NO_INSTALL=1)"
  tmp=$(mktemp -d)
  chmod 755 "$tmp"
  if id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi   # apt-get download fetches as _apt
  if ! (cd "$tmp" && apt-get download -q "cyrus-imapd=$version" >&2); then
    log "apt-get download failed; running apt-get update and retrying" >&2
    apt-get update -q >&2
    if ! (cd "$tmp" && apt-get download -q "cyrus-imapd=$version" >&2); then
      # the archive no longer has the installed version (a security update replaced it): move both to the new one
      log "cyrus-imapd $version is gone from the archive; upgrading cyrus-common" >&2
      DEBIAN_FRONTEND=noninteractive apt_install --only-upgrade cyrus-common >&2
      version=$(dpkg-query -W -f='${Version}' cyrus-common)
      dir=${CYRUS_BIN_DIR:-/usr/local/lib/mailstack-cyrus/$version}
      (cd "$tmp" && apt-get download -q "cyrus-imapd=$version" >&2)
    fi
  fi
  dpkg-deb -x "$tmp"/cyrus-imapd_*.deb "$tmp/root"
  install -d -m 0755 "$dir"
  install -m 0755 "$tmp/root$CYRUS_LIB/imapd" "$tmp/root$CYRUS_LIB/idled" "$dir/"
  rm -rf "$tmp"
  echo "$dir"
}

install_packages
BIN=$(unpack_imapd) || die "could not unpack imapd from the cyrus-imapd package"
id cyrus >/dev/null 2>&1 || die "user cyrus missing (cyrus-common creates it)"

# ------------------------------------------------- stop a previous instance --
MAILSTACK_DIR="$BASE" bash "$HERE/cyrus-stop.sh" --quiet
if [ "$RESET" = 1 ]; then
  log "reset: removing mail and databases under $BASE"
  rm -rf "$BASE/spool" "$BASE/lib"
fi

# bounded: a listening socket nobody accepts on (a master stuck in shutdown) would otherwise hang the connect
port_busy() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }
for p in "$IMAP_PORT" "$IMAPS_PORT"; do
  port_busy "$p" && die "port $HOST:$p is already in use by another process"
done

# ------------------------------------------------------------- directories --
umask 022
install -d -m 0755 -o root -g root "$BASE" "$BASE/etc" "$BASE/log" "$BASE/run" "$BASE/tls"
install -d -m 0750 -o cyrus -g mail "$BASE/lib" "$BASE/spool" "$BASE/lib/socket" "$BASE/lib/proc" "$BASE/lib/lock"

# ------------------------------------------------------ TLS: a private CA --
CA="$BASE/tls/ca.pem"; CA_KEY="$BASE/tls/ca.key"; CERT="$BASE/tls/server.pem"; KEY="$BASE/tls/server.key"
if [ ! -s "$CA" ] || [ ! -s "$CERT" ] || ! openssl x509 -checkend 86400 -noout -in "$CERT" >/dev/null 2>&1; then
  log "generating a private CA and the server certificate it signs"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=mailstack Cyrus test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$CA_KEY" -out "$CA" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" -keyout "$KEY" -out "$BASE/tls/server.csr" >/dev/null 2>&1
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:mail.$DOMAIN" > "$BASE/tls/server.ext"
  openssl x509 -req -in "$BASE/tls/server.csr" -CA "$CA" -CAkey "$CA_KEY" -CAcreateserial -days 3650 -sha256 \
    -extfile "$BASE/tls/server.ext" -out "$CERT" >/dev/null 2>&1
  rm -f "$BASE/tls/server.csr" "$BASE/tls/server.ext"
  chmod 600 "$CA_KEY"; chmod 644 "$CA" "$CERT"; chown cyrus:mail "$KEY"; chmod 600 "$KEY"
fi

# ------------------------------------------------------------------ users --
SASLDB="$BASE/etc/sasldb2"
rm -f "$SASLDB"
USER_LIST=""
for entry in $USERS; do
  local_part=${entry%%:*}; pass=${entry#*:}
  if [ -z "$local_part" ] || [ "$pass" = "$entry" ]; then die "bad MAILSTACK_USERS entry: $entry"; fi
  printf '%s' "$pass" | saslpasswd2 -p -c -f "$SASLDB" -u "$DOMAIN" "$local_part"
  USER_LIST="$USER_LIST $local_part@$DOMAIN:$pass"
done
chown cyrus:mail "$SASLDB"; chmod 600 "$SASLDB"

# ----------------------------------------------------------------- config --
CONF="$BASE/etc/imapd.conf"
cat > "$CONF" <<EOF
# generated by mailstack cyrus-start.sh - private test instance, loopback only
configdirectory: $BASE/lib
partition-default: $BASE/spool
defaultpartition: default
servername: mail.$DOMAIN
virtdomains: userid
unixhierarchysep: yes
altnamespace: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $SASLDB
sasl_mech_list: PLAIN LOGIN
allowplaintext: yes
tls_server_cert: $CERT
tls_server_key: $KEY
autocreate_quota: 0
munge8bit: $MUNGE8BIT
idlesocket: $BASE/lib/socket/idle
lmtpsocket: $BASE/lib/socket/lmtp
notifysocket: $BASE/lib/socket/notify
proc_path: $BASE/lib/proc
mboxname_lockpath: $BASE/lib/lock
syslog_prefix: mailstack-cyrus
EOF
chmod 644 "$CONF"

MASTER_CONF="$BASE/etc/cyrus.conf"
cat > "$MASTER_CONF" <<EOF
# generated by mailstack cyrus-start.sh
START {
  recover cmd="$CYRUS_LIB/ctl_cyrusdb -r -C $CONF"
}
SERVICES {
  imap  cmd="$BIN/imapd -C $CONF"    listen="$HOST:$IMAP_PORT"  prefork=0
  imaps cmd="$BIN/imapd -s -C $CONF" listen="$HOST:$IMAPS_PORT" prefork=0
}
EVENTS {
  checkpoint cmd="$CYRUS_LIB/ctl_cyrusdb -c -C $CONF" period=30
}
DAEMON {
  idled cmd="$BIN/idled -C $CONF"
}
EOF
chmod 644 "$MASTER_CONF"

# ------------------------------------------------------------------ start --
log "starting Cyrus master"
(
  for fd in "/proc/$BASHPID/fd/"*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
  exec "$CYRUS_LIB/master" -C "$CONF" -M "$MASTER_CONF" -p "$BASE/run/master.pid" -L "$BASE/log/cyrus.log" -d
) </dev/null >>"$BASE/log/cyrus-start.log" 2>&1 ||
  { tail -n 20 "$BASE/log/cyrus-start.log" "$BASE/log/cyrus.log" >&2 || true; die "Cyrus failed to start"; }

for p in "$IMAP_PORT" "$IMAPS_PORT"; do
  for _ in $(seq 1 100); do port_busy "$p" && break; sleep 0.1; done
  port_busy "$p" || { tail -n 20 "$BASE/log/cyrus.log" >&2 || true; die "nothing listening on $HOST:$p after 10 s"; }
done

cat > "$BASE/mailstack.env" <<EOF
MAILSTACK_DIR=$BASE
MAILSTACK_SERVER=cyrus
MAILSTACK_HOST=$HOST
MAILSTACK_DOMAIN=$DOMAIN
MAILSTACK_IMAP_PORT=$IMAP_PORT
MAILSTACK_IMAPS_PORT=$IMAPS_PORT
MAILSTACK_CA_CERT=$CA
MAILSTACK_USERS="${USER_LIST# }"
EOF

T1=$(date +%s.%N)
log "up in $(awk "BEGIN{printf \"%.2f\", $T1-$T0}") s: IMAP $HOST:$IMAP_PORT (STARTTLS), IMAPS $HOST:$IMAPS_PORT, domain $DOMAIN, users:$USER_LIST"
log "cyrus $(dpkg-query -W -f='${Version}' cyrus-common) (imapd from $BIN); log $BASE/log/cyrus.log; env in $BASE/mailstack.env"

#!/bin/sh
# Runs Postfix in the foreground with the test's /etc/postfix/main.cf, its SMTP server on 127.0.0.1:$SMTP_PORT
# (host networking: the port is the host's), every service unchrooted, the log on standard output.
set -e
for h in $EXTRA_HOSTS; do
  echo "127.0.0.1 $h" >> /etc/hosts
done
postconf -MX smtp/inet
postconf -M "127.0.0.1:${SMTP_PORT}/inet=127.0.0.1:${SMTP_PORT} inet n - n - - smtpd"
postconf -F '*/*/chroot = n'
newaliases
postfix check
echo "postfix ready on 127.0.0.1:${SMTP_PORT}"
exec postfix start-fg

#!/bin/sh
# Runs Exim in the foreground: Debian's "internet site" configuration, local delivery into ~/Maildir for $DOMAIN,
# listening on 127.0.0.1:$SMTP_PORT only (host networking: the port is the host's), relaying for nobody.
set -e
cat > /etc/exim4/update-exim4.conf.conf <<CONF
dc_eximconfig_configtype='internet'
dc_other_hostnames='${DOMAIN}'
dc_local_interfaces='127.0.0.1'
dc_readhost=''
dc_relay_domains=''
dc_minimaldns='true'
dc_relay_nets=''
dc_smarthost=''
CFILEMODE='644'
dc_use_split_config='false'
dc_hide_mailname=''
dc_mailname_in_oh='true'
dc_localdelivery='maildir_home'
CONF
echo "${DOMAIN}" > /etc/mailname
# Host networking gives the container the host's name: Exim names itself as the test says instead.
echo "MAIN_HARDCODE_PRIMARY_HOSTNAME = ${PRIMARY_HOSTNAME}" > /etc/exim4/exim4.conf.localmacros
update-exim4.conf
echo "exim ready on 127.0.0.1:${SMTP_PORT}"
exec exim4 -bdf -q1m -oX "${SMTP_PORT}"

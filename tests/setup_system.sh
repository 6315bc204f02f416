#!/usr/bin/env bash
# System packages the tests start for real: headless Chromium for the page,
# Virtuoso as an external SPARQL store, Apache Jena as an independent parser,
# LibreOffice to read old Word, WPS, ODT and RTF reports.
# Installed once per machine from Debian's packages; a no-op where present.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# a CJK font, so the page (and docs/graph.png) shows Chinese labels rather than boxes
{ command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || need+=(fonts-wqy-microhei)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
test -f /usr/share/java/jena-core.jar || need+=(libapache-jena-java)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# LibreOffice without a GUI: kg reads .doc/.wps/.odt/.rtf through it, and
# tests/render_documents.py renders the test PDFs and DOCs with it
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup_system: installing ${need[*]}" >&2
# Virtuoso's installer asks for a dba password; answer it up front.
echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" | $SUDO debconf-set-selections 2>/dev/null || true
echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" | $SUDO debconf-set-selections 2>/dev/null || true
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

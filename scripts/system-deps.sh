#!/usr/bin/env bash
# Debian packages fulian needs: OCR (Tesseract chi_sim), PDF tools with CJK data,
# a CJK font for generated PDFs, LibreOffice for legacy .doc/.xls, venv support,
# Dovecot (a real IMAP server the mailbox tests start on loopback), chromium and its
# chromedriver (the web face's browser test drives Debian's build; nothing is downloaded).
# Installs what is missing when run as root; otherwise says what to install.
# Usage: system-deps.sh [demo|test] — `demo` installs what fulian itself runs on; `test`
# (the default) adds what only the tests start (the IMAP server, the browser and its driver).
set -euo pipefail
pkgs=(tesseract-ocr tesseract-ocr-chi-sim poppler-utils poppler-data fonts-wqy-zenhei
      libreoffice-writer-nogui libreoffice-calc-nogui
      fonts-arphic-gbsn00lp)  # 宋体 (AR PL SungtiL GB) embedded in annual review packet PDFs
[ "${1:-test}" = demo ] || pkgs+=(dovecot-imapd chromium chromium-driver)
python3 -c "import ensurepip, venv" 2>/dev/null || pkgs+=(python3-venv)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages (run as root to install): ${missing[*]}" >&2
  exit 0
fi
echo "installing: ${missing[*]}"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

# Sourced by scripts/demo and scripts/test: the system packages aktiva needs beyond Python.
# As root with apt-get they are installed; otherwise the script stops at once and names
# the command to run (a bare server would otherwise fail only when someone asks for a PDF).
# Usage: need_system_packages pdf [browser] [gettext]
need_system_packages() {
  local missing=()
  for need in "$@"; do
    case "$need" in
      pdf)  # WeasyPrint: Pango and the HarfBuzz subsetter
        ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
        ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || missing+=(libharfbuzz-subset0) ;;
      browser)  # the browser tests drive Debian's Chromium (never a downloaded build)
        command -v chromium >/dev/null || missing+=(chromium) ;;
      gettext)  # makemessages/compilemessages, and the test that finds untranslated texts
        command -v xgettext >/dev/null && command -v msgmerge >/dev/null || missing+=(gettext) ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing system packages: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "aktiva needs these system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
    echo "(macOS: brew install pango; the browser tests need Chromium.)" >&2
    exit 1
  fi
}

#!/usr/bin/env bash
# Opens a job's OmegaT project (dragoman prepare ... -o JOB) in real OmegaT 3.6, headless, and
# checks what a translator would see:
#   exact    every exact/context match of the package is OmegaT's translation of that segment
#            (applied from tm/auto when the project loads)
#   fuzzy    every segment offered fuzzy matches has, in OmegaT's Fuzzy Matches (FindMatches,
#            the class behind the pane), a match from tm/ whose source is one of the package's
#   empty    segments with neither stay untranslated
#   roundtrip  OmegaT's console-translate writes omegat/target/NAME.xlf, and `dragoman finish`
#            reads it back: every exact match comes back as the translation
# Usage: scripts/omegat-job-check.sh JOB [DRAGOMAN_BIN]
# Needs java and OmegaT.jar (../shared/bench/cat/setup.sh installs them; OMEGAT_JAR overrides
# the Debian path). Prints [PASS|FAIL|SKIP] lines; exit 0 only if nothing failed, 3 skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
job=${1:?usage: $0 JOB [DRAGOMAN_BIN]}
bin=${2:-target/release/dragoman}
jar=${OMEGAT_JAR:-/usr/share/omegat/OmegaT.jar}
if ! command -v java >/dev/null 2>&1 || [ ! -f "$jar" ]; then
  echo "[SKIP] omegat: java or $jar not found (run ../shared/bench/cat/setup.sh)"
  exit 3
fi
[ -f "$job/job.json" ] && [ -d "$job/omegat" ] || { echo "$job: not a dragoman job (no job.json, omegat/)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$job" "$tmp/job"
sandbox=()
if command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then sandbox=(unshare -n); fi
java_opts=(-Djava.awt.headless=true "-Xmx${OMEGAT_XMX:-1g}" "-Duser.home=$tmp/home"
  -Djava.net.useSystemProxies=false -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=9
  -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=9)
timeout "${OMEGAT_TIMEOUT:-300}" "${sandbox[@]}" java "${java_opts[@]}" -cp "$jar" \
  scripts/OmegatJobCheck.java "$tmp/job/omegat" "$tmp/config1" >"$tmp/seen.tsv" 2>"$tmp/check.log" \
  || { echo "[FAIL] omegat: the project did not load"; tail -5 "$tmp/check.log"; exit 1; }
timeout "${OMEGAT_TIMEOUT:-300}" "${sandbox[@]}" java "${java_opts[@]}" -jar "$jar" "$tmp/job/omegat" \
  --mode=console-translate "--config-dir=$tmp/config2" --disable-project-locking --no-team \
  >"$tmp/translate.log" 2>&1 || { echo "[FAIL] omegat: console-translate failed"; tail -5 "$tmp/translate.log"; exit 1; }
fail=0
for x in "$tmp"/job/omegat/target/*.xlf; do
  out=$("$bin" finish "$x" --format json -o "$tmp/$(basename "$x" .xlf).txt" 2>&1) \
    || { echo "[FAIL] roundtrip: dragoman finish $(basename "$x"): $out"; fail=1; continue; }
  printf '%s' "$out" >"$tmp/finish.$(basename "$x").json"
done
python3 - "$tmp" <<'PY' || fail=1
import glob, json, os, sys, xml.etree.ElementTree as ET
tmp = sys.argv[1]
job = os.path.join(tmp, "job")
man = json.load(open(os.path.join(job, "job.json"), encoding="utf-8"))
seen = {}
for line in open(os.path.join(tmp, "seen.tsv"), encoding="utf-8"):
    c = line.rstrip("\n").split("\t")
    if len(c) >= 8:
        seen[c[1].strip()] = {"done": c[2] == "1", "translation": c[3], "score": c[4], "source": c[5]}
X1 = "{urn:oasis:names:tc:xliff:document:1.2}"
X2 = "{urn:oasis:names:tc:xliff:document:2.0}"
MTC = "{urn:oasis:names:tc:xliff:matches:2.0}"
def text(e):
    return "".join(e.itertext()).strip() if e is not None else ""
failed = 0
def report(ok, check, msg):
    global failed
    print("[%s] %s %s" % ("PASS" if ok else "FAIL", check, msg))
    failed += 0 if ok else 1
for f in man["files"]:
    root = ET.parse(os.path.join(job, f["xliff"])).getroot()
    units = []  # (id, source, prefilled, suggestion sources)
    for tu in root.iter(X1 + "trans-unit"):
        units.append((tu.get("id"), text(tu.find(X1 + "source")),
                      f["prefilled"].get(tu.get("id")),
                      [text(a.find(X1 + "source")) for a in tu.findall(X1 + "alt-trans")]))
    for u in root.iter(X2 + "unit"):
        seg = u.find(X2 + "segment")
        units.append((u.get("id"), text(seg.find(X2 + "source")), f["prefilled"].get(u.get("id")),
                      [text(m.find(X2 + "source")) for m in u.iter(MTC + "match")]))
    exact = [u for u in units if u[2] is not None]
    fuzzy = [u for u in units if u[2] is None and u[3]]
    rest = [u for u in units if u[2] is None and not u[3]]
    ok = [u for u in exact if seen.get(u[1], {}).get("done") and seen[u[1]]["translation"].strip() == u[2].strip()]
    bad = [u[0] for u in exact if u not in ok]
    report(not bad, "exact", "%s: %d/%d exact and context matches are OmegaT's translations%s" % (
        f["name"], len(ok), len(exact), (" (not: %s)" % ", ".join(bad[:5])) if bad else ""))
    ok = [u for u in fuzzy if seen.get(u[1], {}).get("source") in u[3]]
    bad = [u[0] for u in fuzzy if u not in ok]
    report(not bad, "fuzzy", "%s: %d/%d segments with fuzzy matches show one in OmegaT's Fuzzy Matches%s" % (
        f["name"], len(ok), len(fuzzy), (" (not: %s)" % ", ".join(bad[:5])) if bad else ""))
    bad = [u[0] for u in rest if seen.get(u[1], {}).get("done")]
    report(not bad, "empty", "%s: %d/%d segments without a match stay untranslated" % (
        f["name"], len(rest) - len(bad), len(rest)))
    missing = [u[0] for u in units if u[1] not in seen]
    report(not missing, "segments", "%s: OmegaT has %d/%d of the package's segments" % (
        f["name"], len(units) - len(missing), len(units)))
    stem = os.path.splitext(f["xliff"])[0]
    fj = os.path.join(tmp, "finish.%s.xlf.json" % stem)
    if os.path.exists(fj):
        r = json.load(open(fj, encoding="utf-8"))["files"][0]
        back = r["translated"] - len(r["changed"])
        report(back >= len(exact) and not r["changed"], "roundtrip",
               "%s: dragoman finish read OmegaT's target/%s.xlf: %d translated, %d pre-translations changed" % (
                   f["name"], stem, r["translated"], len(r["changed"])))
    else:
        report(False, "roundtrip", "%s: no target/%s.xlf from OmegaT" % (f["name"], stem))
sys.exit(1 if failed else 0)
PY
if [ $fail -eq 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; fi
exit $fail

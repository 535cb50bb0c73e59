#!/usr/bin/env bash
# Lontara beside Hugo on generated catalogues (issue 11). From a clean clone:
#
#   bench/run.sh                 # 1,000 and 10,000 entries, 3 runs of each tool
#   bench/run.sh --40k --100k    # also 40,000 and 100,000 entries
#   bench/run.sh --sizes "500 2000" --runs 5 --work /tmp/bench
#
# For each size: generates the corpus (examples/corpus.rs, seed 42), converts it to an
# equivalent Hugo site (bench/to_hugo.py) when `hugo` is installed, then alternates full
# builds (`lontara build`: site, search index and open data; the corpus has no books) with
# `hugo` runs, each into a new folder. Prints the median wall time and peak memory
# (maximum resident set size, /usr/bin/time), the output's size, and what a phone downloads
# from opening /cari/ to the first results of two queries (e2e/measure.mjs in Chromium;
# needs node, `cd e2e && npm ci` and /usr/bin/chromium, else "-"). Finally a rebuild after
# an edit that changes no indexed text (the site's description): its time, and whether the
# search bundle stayed byte for byte the same.
#
# Measurements on a shared machine are noisy: the tools alternate within each size, each run
# starts after `sync` in a new folder, and the medians are of the same conditions. Disk: the
# runs' outputs of one size are kept until the size is done (about 11 GB at 100,000).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

sizes="1000 10000"
runs=3
work=${TMPDIR:-/tmp}/lontara-bench
queries=("laporan keuangan" "pelayanan kesehatan")
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift ;;
    --40k) sizes="$sizes 40000" ;;
    --100k) sizes="$sizes 100000" ;;
    --runs) runs=$2; shift ;;
    --work) work=$2; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

echo "building lontara and the corpus generator (release)…" >&2
cargo build --release --quiet --bin lontara --example corpus
lontara=$repo/target/release/lontara
corpus_bin=$repo/target/release/examples/corpus

have_hugo=0; command -v hugo >/dev/null && have_hugo=1
have_browser=0
if command -v node >/dev/null && [ -d e2e/node_modules/playwright-core ] && [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  have_browser=1
fi

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

# Runs a build (into a folder that does not exist yet); appends "seconds kB" to $1. Earlier
# output is flushed to disk first, so no run pays for another's writes.
timed() {
  local log=$1; shift
  sync
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
    cat "$work/stderr.txt" >&2; exit 1; }
  cat "$work/time.txt" >> "$log"
}

bytes_for() { # site query → bytes to first results
  (cd e2e && node measure.mjs "$1" "$2" 1) | sed -n 's/.*"bytes_to_results":\([0-9]*\).*/\1/p'
}

rows=()
for n in $sizes; do
  corpus=$work/corpus-$n
  if [ ! -d "$corpus/content/innovations" ]; then
    echo "generating $n entries…" >&2
    "$corpus_bin" --n "$n" --seed 42 --out "$corpus" >&2
  fi
  rm -f "$corpus/book.toml"
  hugo_site=$work/hugo-$n
  if [ $have_hugo = 1 ] && [ ! -f "$hugo_site/config.toml" ]; then
    python3 bench/to_hugo.py "$corpus" "$hugo_site" >&2
  fi
  : > "$work/lontara-$n.log"; : > "$work/hugo-$n.log"
  # Each run writes a new folder; deleting one (tens of thousands of files) would keep the
  # disk busy during the next run, so the folders of all runs are deleted after them.
  rm -rf "$work"/out-*
  for i in $(seq "$runs"); do
    echo "$n entries, run $i/$runs…" >&2
    (cd "$corpus" && timed "$work/lontara-$n.log" "$lontara" build --out "$work/out-lontara-$i")
    if [ $have_hugo = 1 ]; then
      (cd "$hugo_site" && timed "$work/hugo-$n.log" hugo --quiet -d "$work/out-hugo-$i")
    fi
  done
  rm -rf "$work/site-$n" "$work/hugo-out-$n"
  mv "$work/out-lontara-$runs" "$work/site-$n"
  [ $have_hugo = 1 ] && mv "$work/out-hugo-$runs" "$work/hugo-out-$n"
  rm -rf "$work"/out-*

  q1=-; q2=-
  if [ $have_browser = 1 ]; then
    q1=$(bytes_for "$work/site-$n" "${queries[0]}"); q2=$(bytes_for "$work/site-$n" "${queries[1]}")
  fi
  row() { # tool log out q1 q2
    local t m size files
    t=$(cut -d' ' -f1 "$2" | median)
    m=$(cut -d' ' -f2 "$2" | median | awk '{printf "%d", $1 / 1024}')
    size=$(du -sb "$3" | awk '{printf "%d", $1 / 1048576}')
    files=$(find "$3" -type f | wc -l)
    printf "%8s  %-8s %9s %9s %9s %8s %12s %12s\n" "$n" "$1" "$t" "$m" "$size" "$files" "$4" "$5"
  }
  rows+=("$(row lontara "$work/lontara-$n.log" "$work/site-$n" "$q1" "$q2")")
  if [ $have_hugo = 1 ]; then
    rows+=("$(row hugo "$work/hugo-$n.log" "$work/hugo-out-$n" - -)")
  fi

  # A rebuild that changes no indexed text: the bundle must be taken over as it was.
  sums() { (cd "$work/site-$n/pagefind" && find . -type f ! -name lontara.json -exec sha1sum {} + | sort); }
  before=$(sums)
  printf '[site]\ndescription = "Katalog inovasi daerah (bangku uji)"\n' > "$corpus/book.toml"
  sync
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$lontara" --root "$corpus" build --out "$work/site-$n" >/dev/null
  rm -f "$corpus/book.toml"
  if [ "$before" = "$(sums)" ]; then same="byte-identical"; else same="REBUILT (differs)"; fi
  rows+=("$(printf "%8s  %-8s %9s %9s   search bundle %s (%s files)" "$n" rebuild \
    "$(cut -d' ' -f1 "$work/time.txt")" "$(awk '{printf "%d", $2 / 1024}' "$work/time.txt")" \
    "$same" "$(echo "$before" | wc -l)")")
done

echo
echo "median of $runs runs; rebuild: one run after changing the site's description only"
printf "%8s  %-8s %9s %9s %9s %8s %12s %12s\n" entries tool "wall s" "peak MB" "out MB" files \
  "\"${queries[0]}\"" "\"${queries[1]}\""
printf "%s\n" "${rows[@]}"
echo "(bytes a phone downloads from opening /cari/ to the first results, compressed, 250 bytes of headers per response)"

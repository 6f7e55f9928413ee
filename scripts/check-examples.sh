#!/usr/bin/env bash
# Checks the contract every example program keeps: --help exits 0, a normal run exits 0 with output, bad usage
# and bad input exit 2 with one line on stderr that names the file and line at fault.
# Usage: scripts/check-examples.sh BIN_DIR   (the folder holding the built executables, e.g. .build/debug)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: scripts/check-examples.sh BIN_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

expect() {  # expect EXIT_CODE DESCRIPTION -- COMMAND...
    local want=$1 what=$2
    shift 3
    local got=0
    "$@" >"$work/out" 2>"$work/err" || got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, expected $want"
        sed 's/^/    /' "$work/err" | head -n 5
        failures=$((failures + 1))
    else
        echo "ok:   $what (exit $got)"
    fi
}

one_line() {  # the last run's standard error must be exactly one line
    local lines
    lines=$(wc -l <"$work/err")
    if [ "$lines" -ne 1 ]; then
        echo "FAIL: expected one line on stderr, got $lines"
        failures=$((failures + 1))
    fi
}

expect 0 "care-journey --help" -- "$bin/care-journey" --help
grep -q "USAGE: care-journey" "$work/out" || { echo "FAIL: --help printed no usage"; failures=$((failures + 1)); }

# Runs without --store or --output make temporary folders; keep them inside $work so that they are removed.
export TMPDIR="$work"
nope() { echo "FAIL: $1"; failures=$((failures + 1)); }
expect 0 "care-journey (all four journeys)" -- "$bin/care-journey"
grep -q "^Store: $work/care-journey-.* (a new temporary folder)" "$work/out" || nope "the temporary store's path was not printed"
grep -q "^Output: $work/care-journey-output-.* (a new temporary folder)" "$work/out" || nope "the temporary output folder was not printed"
output=$(sed -n 's/^Output: \(.*\) (a new temporary folder)$/\1/p' "$work/out")
for journey in claire john phil lucy; do
    [ -s "$output/$journey.json" ] || nope "no Bundle was written for $journey"
done
# Output must not depend on the machine's time zone or locale: run again far from London. The temporary
# paths are the lines that differ.
grep -v -e '^Store: ' -e '^Output: ' "$work/out" >"$work/first"
expect 0 "care-journey in another time zone and locale" -- env TZ=Pacific/Kiritimati LC_ALL=tr_TR.UTF-8 "$bin/care-journey"
grep -v -e '^Store: ' -e '^Output: ' "$work/out" | cmp -s "$work/first" - || nope "the output depends on the time zone or locale"
second_output=$(sed -n 's/^Output: \(.*\) (a new temporary folder)$/\1/p' "$work/out")
for journey in claire john phil lucy; do
    cmp -s "$output/$journey.json" "$second_output/$journey.json" || nope "$journey's Bundle differs between runs"
done

# What the narrative must show, journey by journey.
grep -q "REF had no record; the index matched record l82999-40017 (certain" "$work/out" || nope "Claire was not recognised across organisations"
grep -q "reminder day-before  Mon 2026-07-20 10:00 BST by app" "$work/out" || nope "Claire's moved appointment has no day-before reminder"
grep -q "ReSPECT: CPR attempts NOT recommended" "$work/out" || nope "Claire's emergency summary lacks her ReSPECT recommendation"
grep -q "not-permitted at goals\[walk\].target" "$work/out" || nope "Claire's direct change to a clinical field was not refused"
grep -q "leave out 1 protected item" "$work/out" || nope "the safeguarding note was not kept from the crew"
grep -q "ED-2207: raised from yellow to orange by NEWS2 9" "$work/out" || nope "Claire was not scored on arrival"
grep -q "ED-2207 is number 2 of 5 waiting." "$work/out" || nope "Claire was not placed on the board"
grep -q "After discharge, the same request: permit" "$work/out" || nope "the community team cannot see Claire's plan"
grep -q "escalated #1 urgent for VW-0412" "$work/out" || nope "the virtual ward did not escalate"
# The summary holds a safeguarding note withheld from Claire, so her history names the access but not the class.
grep -q "Health Professional Access Role at RYF: read record, purpose ETREAT, allowed" "$work/out" || nope "Claire cannot see the crew's access"
grep -q "fulfilled (version 4)" "$work/out" || nope "John's journey did not reach his check-in"
grep -q "rowe-30 is free" "$work/out" || nope "John's switch to video did not free his slot"
grep -q "the confirmation goes by letter" "$work/out" || nope "Phil's confirmation was not a letter"
grep -q "owned by Dr Pascoe (GP, L82999)" "$work/out" || nope "Phil's plan did not pass to his GP"
grep -q "Mother:  Asthma plan" "$work/out" || nope "Lucy's mother's view is missing"
if grep "Mother: " "$work/out" | grep -q "Safeguarding"; then nope "the safeguarding note reached Lucy's mother"; fi

# A second run against the same store finds everyone through the patient index and writes nothing.
expect 0 "care-journey --store (first run)" -- "$bin/care-journey" --store "$work/store" --output "$work/bundles-1"
grep -q "It is empty: this run creates the records." "$work/out" || nope "a new store was not reported empty"
grep -v -e '^Store: ' -e '^Output: ' "$work/out" | cmp -s "$work/first" - || nope "a run with --store differs from one without"
expect 0 "care-journey --store (second run)" -- "$bin/care-journey" --store "$work/store" --output "$work/bundles-2"
held="It holds from an earlier run: 6 Patient, 3 Schedule, 160 Slot, 4 Appointment, 10 Communication, 4 CarePlan, 1 Consent, 1 Encounter, 2 Observation, 11 audit entries"
grep -q "$held" "$work/out" || nope "the second run did not find the first run's records"
[ "$(grep -c "found in the patient index, nothing added" "$work/out")" -eq 6 ] || nope "the second run did not find all six records through the index"
grep -q "john-follow-up-1  Mon 2026-10-26 09:00 GMT  In-person, fulfilled (version 4)" "$work/out" || nope "John's appointments were not read back"
grep -q "claire-plan-1 version 5, active" "$work/out" || nope "Claire's plan was not read back"
grep -q "phil-copd-plan version 3, active, owned by Dr Pascoe" "$work/out" || nope "Phil's plan was not read back"
grep -q "lucy-proxy-sexual-health: active" "$work/out" || nope "Lucy's consent directive was not read back"
for journey in claire john phil lucy; do
    cmp -s "$work/bundles-1/$journey.json" "$work/bundles-2/$journey.json" || nope "the second run's $journey Bundle differs"
done
expect 0 "care-journey --store (third run)" -- "$bin/care-journey" --store "$work/store" --output "$work/bundles-2"
grep -q "$held" "$work/out" || nope "the second run wrote something"
expect 0 "care-journey lucy phil (a fresh store, in another order)" -- "$bin/care-journey" lucy phil --store "$work/store-2"
grep -q "phil-copd-review booked" "$work/out" || nope "Phil's journey did not run after Lucy's"

printf 'not a database' >"$work/store-file"
expect 2 "care-journey --store on a file" -- "$bin/care-journey" --store "$work/store-file"
one_line
mkdir -p "$work/garbage" && head -c 8192 /dev/zero | tr '\0' 'x' >"$work/garbage/care.sqlite"
expect 2 "care-journey --store holding a file that is not a database" -- "$bin/care-journey" --store "$work/garbage"
one_line
expect 2 "care-journey --output on a file" -- "$bin/care-journey" john --output "$work/store-file"
one_line
expect 2 "care-journey --csv with a journey that does not read it" -- "$bin/care-journey" john --csv "$work/absent.csv"
one_line

expect 2 "care-journey with an unknown option" -- "$bin/care-journey" --frobnicate
one_line
expect 2 "care-journey with a missing file" -- "$bin/care-journey" --csv "$work/absent.csv"
one_line

printf 'id,given,family,birth_date,postcode,channels,no_digital\nx1,Ann,Test,1990-01-01,TR1 3LJ,sms,false\nx2,"Bob,Test,1990-01-01,TR1 3LJ,sms,false\n' >"$work/unterminated.csv"
expect 2 "care-journey with an unterminated quote" -- "$bin/care-journey" --csv "$work/unterminated.csv"
one_line
grep -q "unterminated.csv: line 3" "$work/err" || { echo "FAIL: the error does not name the file and line"; failures=$((failures + 1)); }
if grep -q "Bob" "$work/err"; then echo "FAIL: the error repeats patient data"; failures=$((failures + 1)); fi

printf 'id,given,family,birth_date,postcode,channels,no_digital\nx1,Ann,Test,1990-02-30,TR1 3LJ,sms,false\n' >"$work/baddate.csv"
expect 2 "care-journey with an impossible date of birth" -- "$bin/care-journey" --csv "$work/baddate.csv"
one_line
grep -q "baddate.csv: line 2: date" "$work/err" || { echo "FAIL: the error does not name the line and field"; failures=$((failures + 1)); }
if grep -q "1990" "$work/err"; then echo "FAIL: the error repeats patient data"; failures=$((failures + 1)); fi

printf 'id,given,family,birth_date,postcode,channels,no_digital\nx1,Ann,Test,1990-02,TR1 3LJ,sms,false\n' >"$work/good.csv"
expect 0 "care-journey with a valid file" -- "$bin/care-journey" --csv "$work/good.csv"

# patient-match: generate, deduplicate (twice, for determinism), cluster, link, explain, and bad input.
pm="$bin/patient-match"
expect 0 "patient-match --help" -- "$pm" --help
expect 0 "patient-match generate" -- "$pm" generate --count 800 --seed 11 --output "$work/people.csv" --truth "$work/truth.csv"
expect 0 "patient-match dedupe" -- "$pm" dedupe --input "$work/people.csv" --output "$work/pairs.csv" --clusters "$work/clusters.csv"
head -n 1 "$work/pairs.csv" | grep -q "^left_id,right_id,probability,match_weight" || { echo "FAIL: pairs header"; failures=$((failures + 1)); }
[ "$(wc -l <"$work/pairs.csv")" -gt 100 ] || { echo "FAIL: too few pairs found"; failures=$((failures + 1)); }
[ "$(wc -l <"$work/clusters.csv")" -eq 801 ] || { echo "FAIL: clusters must list every record"; failures=$((failures + 1)); }
expect 0 "patient-match dedupe to standard output" -- "$pm" dedupe --input "$work/people.csv"
cmp -s "$work/out" "$work/pairs.csv" || { echo "FAIL: dedupe output differs between runs"; failures=$((failures + 1)); }
grep -q "unreadable values kept as received" "$work/err" || { echo "FAIL: no summary of unreadable values"; failures=$((failures + 1)); }
head -n 400 "$work/people.csv" >"$work/left.csv"
{ head -n 1 "$work/people.csv"; tail -n 400 "$work/people.csv"; } >"$work/right.csv"
expect 0 "patient-match link" -- "$pm" link --left "$work/left.csv" --right "$work/right.csv" --threshold 0.9
pair=$(sed -n 2p "$work/pairs.csv" | cut -d, -f1,2)
expect 0 "patient-match explain" -- "$pm" explain --input "$work/people.csv" --pair "$pair"
grep -q "match weight" "$work/out" || { echo "FAIL: explain printed no weight"; failures=$((failures + 1)); }
printf 'id,given_name\n1,"Ann\n2,Bob\n' >"$work/broken.csv"
expect 2 "patient-match with an unterminated quote" -- "$pm" dedupe --input "$work/broken.csv"
one_line
grep -q "line 2" "$work/err" || { echo "FAIL: the error does not name the line"; failures=$((failures + 1)); }
printf 'id,given_name\n1,Ann\n1,Bob\n' >"$work/repeated.csv"
expect 2 "patient-match with a repeated id" -- "$pm" dedupe --input "$work/repeated.csv"
one_line
printf 'ID,Family_Name,NHS_NUMBER,date_of_birth,sex,extra\n1,Opie,9434765919,14/07/1958,F,x\n2,Opie,9434765919,19580714,2,y\n' >"$work/messy.csv"
expect 0 "patient-match with messy headers and formats" -- "$pm" dedupe --input "$work/messy.csv" --no-train
grep -q "^1,2," "$work/out" || { echo "FAIL: the messy pair was not found"; failures=$((failures + 1)); }
expect 2 "patient-match with no command" -- "$pm"
expect 2 "patient-match with an unknown command" -- "$pm" frobnicate
expect 2 "patient-match with a bad threshold" -- "$pm" dedupe --input "$work/people.csv" --threshold 2

expect 0 "Benchmarks --help" -- "$bin/Benchmarks" --help
expect 2 "Benchmarks with an unknown option" -- "$bin/Benchmarks" --frobnicate


# triage-board: the built-in sample, a file, standard input, --follow, --explain, --check-breaches, bad lines.
tb="$bin/triage-board"
expect 0 "triage-board --help" -- "$tb" --help
grep -q "USAGE:" "$work/out" || { echo "FAIL: triage-board --help printed no usage"; failures=$((failures + 1)); }
expect 0 "triage-board (built-in sample)" -- "$tb"
grep -q "1. ED-0103    yellow  waited 140 min, BREACHED by 80 min" "$work/out" || { echo "FAIL: the sample board is not as expected"; failures=$((failures + 1)); }
cp "$work/out" "$work/board-first"
expect 0 "triage-board --sample" -- "$tb" --sample
cp "$work/out" "$work/sample.ndjson"
expect 0 "triage-board on the sample file in another time zone" -- env TZ=America/Los_Angeles "$tb" "$work/sample.ndjson"
tail -n +3 "$work/board-first" | cmp -s - "$work/out" || { echo "FAIL: the board from the file differs from the built-in run"; failures=$((failures + 1)); }
expect 0 "triage-board --follow" -- "$tb" --follow "$work/sample.ndjson"
grep -q "ED-0105: raised from green to orange by NEWS2 7" "$work/out" || { echo "FAIL: --follow did not show the NEWS2 raise"; failures=$((failures + 1)); }
grep -q "AMBULANCE WARNING" "$work/out" || { echo "FAIL: --follow did not show the ambulance warning"; failures=$((failures + 1)); }
expect 0 "triage-board --explain" -- "$tb" "$work/sample.ndjson" --explain ED-0103
grep -q "ED-0103 is number 1 of 4 waiting." "$work/out" || { echo "FAIL: --explain did not place the patient"; failures=$((failures + 1)); }
expect 1 "triage-board --check-breaches with breaches" -- "$tb" "$work/sample.ndjson" --check-breaches
printf '{"time":"2026-11-25T08:00:00Z","event":"arrival","patient":"A-1","category":"red","triagedBy":"rn","mode":"walk-in"}\n{"time":"2026-11-25T08:01:00Z","event":"observations","patient":"A-1","pulse":"80"}\n' >"$work/bad.ndjson"
expect 2 "triage-board with a bad line" -- "$tb" "$work/bad.ndjson"
one_line
grep -q "bad.ndjson: line 2: malformed-event at pulse" "$work/err" || { echo "FAIL: the error does not name the line and key"; failures=$((failures + 1)); }
if grep -q "80" "$work/err"; then echo "FAIL: the error repeats the value"; failures=$((failures + 1)); fi
printf '{"time":"2026-11-25T08:00:00Z","event":"departure","patient":"A-1"}\n' >"$work/unknown.ndjson"
expect 2 "triage-board with an unknown patient" -- "$tb" - <"$work/unknown.ndjson"
one_line
expect 2 "triage-board with an unknown option" -- "$tb" --frobnicate
one_line
expect 2 "triage-board with a missing file" -- "$tb" "$work/absent.ndjson"
one_line
# fhir-tool: validation, round trips and NDJSON over the shared corpus beside the repository.
ft="$bin/fhir-tool"
corpus=../shared/fhir-corpus
last_line() {  # last_line EXPECTED: the last run's final stdout line must be exactly EXPECTED
    local got
    got=$(tail -n 1 "$work/out")
    [ "$got" = "$1" ] || { echo "FAIL: last line '$got', expected '$1'"; failures=$((failures + 1)); }
}
expect 0 "fhir-tool --help" -- "$ft" --help
grep -q "fhir-tool validate" "$work/out" || { echo "FAIL: fhir-tool --help printed no usage"; failures=$((failures + 1)); }
expect 0 "fhir-tool validate (HL7 examples)" -- "$ft" validate "$corpus/hl7-r4"
last_line "111 passed, 0 failed"
expect 1 "fhir-tool validate (known-invalid)" -- "$ft" validate "$corpus/known-invalid"
last_line "0 passed, 8 failed"
grep -q "^FAIL .*PATCH-body.json: error required at Appointment.participant" "$work/out" || { echo "FAIL: a failure is not named with its first issue"; failures=$((failures + 1)); }
expect 1 "fhir-tool validate (UK Core, one bad NHS number)" -- "$ft" validate "$corpus/uk-core"
last_line "116 passed, 1 failed"
expect 0 "fhir-tool validate --lenient (UK Core)" -- "$ft" validate --lenient "$corpus/uk-core"
expect 0 "fhir-tool roundtrip (Synthea)" -- "$ft" roundtrip "$corpus/synthea"
last_line "5 passed, 0 failed"
expect 0 "fhir-tool ndjson join" -- "$ft" ndjson join "$corpus/synthea" --output "$work/all.ndjson"
grep -q "^wrote 3362 resources" "$work/out" || { echo "FAIL: join did not flatten the Synthea bundles"; sed -n 1p "$work/out"; failures=$((failures + 1)); }
expect 0 "fhir-tool validate (the joined NDJSON)" -- "$ft" validate "$work/all.ndjson"
last_line "3362 passed, 0 failed"
expect 0 "fhir-tool roundtrip (the joined NDJSON, through the typed models)" -- "$ft" roundtrip "$work/all.ndjson"
last_line "3362 passed, 0 failed"
expect 0 "fhir-tool roundtrip --lenient (UK Core)" -- "$ft" roundtrip --lenient "$corpus/uk-core"
last_line "117 passed, 0 failed"
printf '{"resourceType":"Patient","id":"p1","active":null}\n' >"$work/null.ndjson"
expect 1 "fhir-tool roundtrip --lenient (a null the typed model drops)" -- "$ft" roundtrip --lenient "$work/null.ndjson"
grep -q "^FAIL .*null.ndjson:1: the round trip changed the JSON" "$work/out" || { echo "FAIL: a dropped null was not reported"; failures=$((failures + 1)); }
head -n 40 "$work/all.ndjson" >"$work/part.ndjson"
expect 0 "fhir-tool ndjson split" -- "$ft" ndjson split "$work/part.ndjson" --output "$work/split"
last_line "40 passed, 0 failed"
[ "$(find "$work/split" -name '*.json' | wc -l)" -eq 40 ] || { echo "FAIL: split did not write 40 files"; failures=$((failures + 1)); }
printf '{"resourceType":"Patient","id":"p1"}\n\n{"resourceType":"Patient","id":"p2","gender":"F"}\nnot json\n' >"$work/mixed.ndjson"
expect 1 "fhir-tool validate (a mixed NDJSON file)" -- "$ft" validate "$work/mixed.ndjson"
grep -q "^FAIL .*mixed.ndjson:3: error code-invalid at Patient.gender" "$work/out" || { echo "FAIL: an NDJSON failure does not name its line"; failures=$((failures + 1)); }
grep -q "^FAIL .*mixed.ndjson:4: fatal invalid" "$work/out" || { echo "FAIL: a line that is not JSON did not fail"; failures=$((failures + 1)); }
last_line "1 passed, 2 failed"
expect 2 "fhir-tool with an unknown command" -- "$ft" frobnicate "$corpus"
one_line
expect 2 "fhir-tool with a missing path" -- "$ft" validate "$work/absent"
one_line
expect 2 "fhir-tool ndjson join without --output" -- "$ft" ndjson join "$corpus/synthea"
one_line
if [ "$failures" -ne 0 ]; then
    echo "$failures example check(s) failed"
    exit 1
fi

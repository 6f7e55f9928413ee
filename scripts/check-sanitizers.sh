#!/usr/bin/env bash
# The slower checks that CI runs after scripts/check.sh: the concurrency tests under ThreadSanitizer and the
# parser tests under AddressSanitizer, each in its own build folder so the main debug build is untouched.
# Add a suite to the lists below when it exercises shared state or parses untrusted input.
#
#   scripts/check-sanitizers.sh          the listed suites (what every CI run does)
#   scripts/check-sanitizers.sh --all    every suite under both sanitizers (the long run)
set -euo pipefail
cd "$(dirname "$0")/.."

concurrency_suites='AuthorisationPropertyTests|ConformanceTests|AuditStorageTests|RepositoryTests|WallClockTests|PatientIndexTests|ClusteringTests|MatchingQualityTests|BlockingTests|WeightBoundTests|DemographicCSVTests|AppointmentBookTests|BookingStressTests|WaitlistTests|DidNotAttendTests|CarePlanRegistryTests|AuditLogTests|AccessControlTests'
parser_suites='SQLiteStoreTests|AuditStorageTests|RepositoryTests|CSVReaderTests|CSVTableTests|PostcodeTests|FHIRDateTests|InstantTests|FHIRDateTimeTests|HumanNameTests|CivilDateTests|PeriodTests|LanguageTagTests|ODSCodeTests|EntityIDTests|CodingTests|PatientDataLeakTests|NHSNumberTests|StringSimilarityTests|SoundexTests|DoubleMetaphoneTests|DemographicCSVTests|DemographicSearchTests|RBACTests|SHA256Tests|SHA256DigestTests|HMACSHA256Tests|MerkleTreeTests|AuditLogTests|TriageEventReaderTests|EarlyWarningChartTests|NEWS2InputTests|ChunkedLineReaderTests|JSONReaderTests|JSONWriterTests|ValidatorTests|NDJSONTests|MutationTests|CSVHostileInputTests|FHIREncodingTests.HostileInputTests|PatientDataLeakAcrossModulesTests|DescriptionRedactionTests|CareLoggerTests'

case "${1:-}" in
    --all) concurrency_suites='.'; parser_suites='.' ;;
    "") ;;
    *) echo "usage: scripts/check-sanitizers.sh [--all]" >&2; exit 2 ;;
esac

printf '\n==> concurrency tests under ThreadSanitizer\n'
TSAN_OPTIONS=halt_on_error=1 swift test --sanitize=thread --scratch-path .build-tsan --filter "$concurrency_suites"

printf '\n==> parser tests under AddressSanitizer\n'
ASAN_OPTIONS=halt_on_error=1:detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan --filter "$parser_suites"

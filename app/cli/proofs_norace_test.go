//go:build !race

package cli

// defaultCrashRuns is how many kill runs the crash proof makes by default (see proofs_race_test.go).
const defaultCrashRuns = 20

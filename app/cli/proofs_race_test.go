//go:build race

package cli

// defaultCrashRuns is how many kill runs the crash proof makes by default. Under the race detector every
// process takes seconds to start, so CI's race pass makes fewer; the plain pass makes 20, and
// scripts/proofs as many as asked.
const defaultCrashRuns = 4

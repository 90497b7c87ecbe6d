package main

// The build's provenance, set by scripts/release with -ldflags "-X main.commit=… -X main.buildDate=…" and shown
// in Help ▸ About and the copied diagnostics. A plain `go build` or `go run` leaves them empty, and the About
// dialog says so.
var (
	// commit is the Git commit the release was built from, with "-dirty" when the tree had changes.
	commit string
	// buildDate is when the release was built, in RFC 3339 (UTC).
	buildDate string
)

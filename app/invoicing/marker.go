package invoicing

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds the marker every invoice made by Dealbooks carries in QuickBooks, so every rep's app
// knows which Pipedrive company and deal it belongs to and who made it.
//
// The marker is a line of the invoice's PrivateNote, not an invoice custom field: QuickBooks offers at
// most three string custom fields per sales form, only when an admin has enabled and named them in the
// company's sales-form settings (Preferences.SalesFormsPrefs.CustomField), and each needs its
// DefinitionId looked up per company (quickbooks.md §3.1, §3.6). PrivateNote exists on every invoice of
// every company, holds 4,000 characters, is internal (never printed for the customer), and comes back
// in full with every read and with the one change-data-capture request a refresh makes. The marker goes
// AFTER any text already there: QuickBooks prepends "Voided" to the PrivateNote when an invoice is
// voided, and the status rule reads that prefix (status.go), so a marker first would hide a void.

// markerTag opens the marker line.
const markerTag = "Dealbooks:"

// Marker names the Pipedrive company and deal an invoice belongs to, and
// the Pipedrive user (the rep) who created it.
type Marker struct {
	CompanyID int64 // Pipedrive company_id
	DealID    int64
	RepID     int64 // Pipedrive user id of the rep who created the invoice; 0 when unknown
}

// String is the marker line, "Dealbooks: pipedrive=<company> deal=<deal> by=<user>".
func (m Marker) String() string {
	s := fmt.Sprintf("%s pipedrive=%d deal=%d", markerTag, m.CompanyID, m.DealID)
	if m.RepID != 0 {
		s += fmt.Sprintf(" by=%d", m.RepID)
	}
	return s
}

// ParseMarker finds the marker line in an invoice's PrivateNote. It is
// false when there is none, or when it names no company or deal.
func ParseMarker(note string) (Marker, bool) {
	for line := range strings.Lines(note) {
		// QuickBooks prepends "Voided" to the PrivateNote on a void, on the marker's own line when the
		// marker is all there was; the exact joining text is not documented, so the tag is looked for
		// anywhere in the line.
		_, rest, ok := strings.Cut(line, markerTag)
		if !ok {
			continue
		}
		var m Marker
		for field := range strings.FieldsSeq(rest) {
			key, val, _ := strings.Cut(field, "=")
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n <= 0 {
				continue
			}
			switch key {
			case "pipedrive":
				m.CompanyID = n
			case "deal":
				m.DealID = n
			case "by":
				m.RepID = n
			}
		}
		if m.CompanyID != 0 && m.DealID != 0 {
			return m, true
		}
	}
	return Marker{}, false
}

// withMarker returns note with the marker line added after its text. When
// both would exceed QuickBooks' 4,000 characters the end of note is cut, so
// the marker always arrives.
func withMarker(note string, m Marker) string {
	line := m.String()
	note = strings.TrimRight(note, "\n ")
	if note == "" {
		return line
	}
	room := MaxMemoLength - utf8.RuneCountInString(line) - 1
	if utf8.RuneCountInString(note) > room {
		note = string([]rune(note)[:room])
	}
	return note + "\n" + line
}

// replaceMarker returns note with its marker, if any, replaced by m: the
// text before and around the old marker stays (a "Voided" QuickBooks put in
// front of it included), the new marker line goes at the end.
func replaceMarker(note string, m Marker) string {
	var kept []string
	for line := range strings.Lines(note) {
		line = strings.TrimRight(line, "\r\n")
		if before, _, ok := strings.Cut(line, markerTag); ok {
			line = strings.TrimRight(before, " ")
			if line == "" {
				continue
			}
		}
		kept = append(kept, line)
	}
	return withMarker(strings.Join(kept, "\n"), m)
}

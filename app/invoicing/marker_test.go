package invoicing

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

func TestParseMarker(t *testing.T) {
	for _, tc := range []struct {
		name, note string
		want       Marker
		ok         bool
	}{
		{"alone", "Dealbooks: pipedrive=7 deal=42 by=9", Marker{7, 42, 9}, true},
		{"after the rep's memo", "Call before delivery\nDealbooks: pipedrive=7 deal=42 by=9", Marker{7, 42, 9}, true},
		{"voided by QuickBooks", "Voided - Dealbooks: pipedrive=7 deal=42", Marker{7, 42, 0}, true},
		{"without company", "Dealbooks: deal=42", Marker{}, false},
		{"someone's own memo", "Paid by cheque", Marker{}, false},
		{"empty", "", Marker{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseMarker(tc.note)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseMarker(%q) = %+v, %v; want %+v, %v", tc.note, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestMarkerGoesAfterTheMemoAndKeepsVoidedFirst(t *testing.T) {
	m := Marker{CompanyID: 7, DealID: 42, RepID: 9}
	note := withMarker("Call before delivery", m)
	if note != "Call before delivery\nDealbooks: pipedrive=7 deal=42 by=9" {
		t.Fatalf("note = %q", note)
	}
	// QuickBooks prepends "Voided" on a void (quickbooks.md §3.1); the status still reads it.
	voided := Invoice{Total: decimal.Zero, Balance: decimal.Zero, PrivateNote: "Voided - " + note}
	if st := voided.Status(Date{2026, 11, 2}); st.State != Voided {
		t.Errorf("status of %q = %v, want voided", voided.PrivateNote, st.State)
	}
	if got, ok := ParseMarker(voided.PrivateNote); !ok || got != m {
		t.Errorf("marker after void = %+v, %v", got, ok)
	}
	long := withMarker(strings.Repeat("x", MaxMemoLength), m)
	if n := utf8.RuneCountInString(long); n > MaxMemoLength || !strings.HasSuffix(long, m.String()) {
		t.Errorf("a full memo gives %d characters ending %q", n, long[len(long)-40:])
	}
}

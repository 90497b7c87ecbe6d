package store

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// FuzzDecimalRoundTrip checks that every amount reads back from its stored text with the same value,
// and with the same number of decimal places when it has any.
func FuzzDecimalRoundTrip(f *testing.F) {
	for _, s := range []string{"0", "0.00", "100.00", "0.3", "-19.99", "0.0000001", "1E3", "12345678901234567890.123456789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := decimal.NewFromString(s)
		if err != nil || d.Exponent() > 64 || d.Exponent() < -64 {
			return // not an amount; "1e999999999" would only make a huge string
		}
		var fs fields
		got := fs.decimal(formatDecimal(d))
		if fs.err != nil {
			t.Fatalf("%q stored as %q does not read back: %v", s, formatDecimal(d), fs.err)
		}
		if !got.Equal(d) {
			t.Fatalf("%q read back as %s", s, got)
		}
		if d.Exponent() <= 0 && got.Exponent() != d.Exponent() {
			t.Fatalf("%q read back with exponent %d, want %d", s, got.Exponent(), d.Exponent())
		}
	})
}

// FuzzTimeRoundTrip checks that stored times read back as the same instant and sort as text in time
// order.
func FuzzTimeRoundTrip(f *testing.F) {
	f.Add(int64(0), int64(1))
	f.Add(int64(1_790_000_000_123_456_789), int64(1_790_000_000_123_456_790))
	f.Add(int64(-1), int64(0)) // before 1970
	f.Fuzz(func(t *testing.T, a, b int64) {
		ta, tb := time.Unix(0, a), time.Unix(0, b).In(time.FixedZone("X", -7*3600))
		sa, sb := formatTime(ta), formatTime(tb)
		var fs fields
		if got := fs.time(sa); fs.err != nil || !got.Equal(ta) {
			t.Fatalf("%v stored as %q read back as %v, %v", ta, sa, got, fs.err)
		}
		if ta.Compare(tb) != strings.Compare(sa, sb) {
			t.Fatalf("%v vs %v compare %d, stored %q vs %q compare %d", ta, tb, ta.Compare(tb), sa, sb, strings.Compare(sa, sb))
		}
	})
}

package invoicing

import (
	"testing"

	"github.com/shopspring/decimal"

	"dealbooks/internal/testkit"
)

func TestCurrencyDecimals(t *testing.T) {
	tests := map[string]int32{
		"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "KRW": 0, "ISK": 0,
		"KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3, "jpy": 0, "XYZ": 2, "": 2,
	}
	for code, want := range tests {
		if got := CurrencyDecimals(code); got != want {
			t.Errorf("CurrencyDecimals(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestRoundAmountHalfAwayFromZero(t *testing.T) {
	tests := []struct {
		amount, currency, want string
	}{
		{"2.345", "USD", "2.35"},
		{"2.344", "USD", "2.34"},
		{"-2.345", "USD", "-2.35"},
		{"0.005", "EUR", "0.01"},
		{"1234.5", "JPY", "1235"},
		{"-1234.5", "JPY", "-1235"},
		{"1.2345", "KWD", "1.235"},
		{"7", "USD", "7"},
	}
	for _, tt := range tests {
		got := RoundAmount(testkit.Dec(tt.amount), tt.currency)
		if !got.Equal(testkit.Dec(tt.want)) {
			t.Errorf("RoundAmount(%s %s) = %s, want %s", tt.amount, tt.currency, got, tt.want)
		}
	}
}

func TestMoneyStringAndRound(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{Money{testkit.Dec("1234.5"), "EUR"}, "1234.50 EUR"},
		{Money{testkit.Dec("1234.5"), "JPY"}, "1235 JPY"},
		{Money{testkit.Dec("0.1"), "KWD"}, "0.100 KWD"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	r := Money{testkit.Dec("10.125"), "USD"}.Round()
	if !r.Amount.Equal(testkit.Dec("10.13")) || r.Currency != "USD" {
		t.Errorf("Round() = %v", r)
	}
}

func TestIsISOCurrency(t *testing.T) {
	for _, code := range []string{"USD", "EUR", "GBP", "JPY", "KWD", "AUD", "CAD", "CHF", "SEK"} {
		if !IsISOCurrency(code) {
			t.Errorf("IsISOCurrency(%q) = false", code)
		}
	}
	// Custom Pipedrive currencies, lower case, and funds codes are not invoiceable.
	for _, code := range []string{"", "usd", "BTC", "PTS", "EURO", "US", "XAU", "XXX"} {
		if IsISOCurrency(code) {
			t.Errorf("IsISOCurrency(%q) = true", code)
		}
	}
}

func TestAmountTextShowsTheCurrencysDecimalsAndKeepsFinerOnes(t *testing.T) {
	cases := []struct{ amount, currency, want string }{
		{"29.9", "USD", "29.90"},
		{"1524.9000000", "USD", "1524.90"},
		{"0.125", "EUR", "0.125"},
		{"1200", "JPY", "1200"},
		{"-100", "GBP", "-100.00"},
	}
	for _, c := range cases {
		if got := AmountText(decimal.RequireFromString(c.amount), c.currency); got != c.want {
			t.Errorf("AmountText(%s %s) = %q, want %q", c.amount, c.currency, got, c.want)
		}
	}
}

package qbofake

import (
	"fmt"
	"net/http"
	"testing"

	"dealbooks/internal/testkit"
)

func TestSeedDemoWithMultiCurrency(t *testing.T) {
	h := newHarness(t, Options{MultiCurrency: true})
	if err := h.fake.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	currencyOf := map[string]string{}
	for _, c := range h.fake.Customers() {
		currencyOf[c.ID] = c.CurrencyRef.Value
	}
	invoiced := map[string]bool{}
	for _, inv := range h.fake.Invoices() {
		cur := inv.CurrencyRef.Value
		invoiced[cur] = true
		if cur != currencyOf[inv.CustomerRef.Value] {
			t.Errorf("invoice %s is in %s, its customer in %s", inv.ID, cur, currencyOf[inv.CustomerRef.Value])
		}
		if cur == "USD" {
			if inv.ExchangeRate != nil || inv.HomeTotalAmt != nil {
				t.Errorf("home-currency invoice %s has exchange rate %v, home total %v", inv.ID, inv.ExchangeRate, inv.HomeTotalAmt)
			}
			continue
		}
		if inv.ExchangeRate == nil || !inv.ExchangeRate.IsPositive() {
			t.Errorf("%s invoice %s has no exchange rate", cur, inv.ID)
			continue
		}
		want := inv.TotalAmt.Mul(inv.ExchangeRate.Decimal).Round(2)
		if !inv.HomeTotalAmt.Equal(want) {
			t.Errorf("%s invoice %s: home total %s, want %s", cur, inv.ID, inv.HomeTotalAmt, want)
		}
	}
	for _, cur := range []string{"USD", "EUR", "GBP", "SEK"} {
		if !invoiced[cur] {
			t.Errorf("no demo invoice in %s (have %v)", cur, invoiced)
		}
	}
}

func TestForeignInvoiceExchangeRate(t *testing.T) {
	h := newHarness(t, Options{MultiCurrency: true})
	_, m := h.api(http.MethodPost, "/customer", nil, `{"DisplayName":"Euro Co","CurrencyRef":{"value":"EUR"}}`)
	cust := get(m, "Customer.Id").(string)
	line := `"Line":[{"DetailType":"SalesItemLineDetail","Amount":100,"SalesItemLineDetail":{"ItemRef":{"value":"1"}}}]`
	tests := []struct {
		name, rate, code, wantRate, wantHome string
	}{
		{name: "rate given", rate: `,"ExchangeRate":1.1`, wantRate: "1.1", wantHome: "110.00"},
		{name: "rate filled in", wantRate: "1.08", wantHome: "108.00"},
		{name: "zero rate", rate: `,"ExchangeRate":0`, code: "6000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"CustomerRef":{"value":"` + cust + `"},"CurrencyRef":{"value":"EUR"}` + tt.rate + "," + line + "}"
			_, m := h.api(http.MethodPost, "/invoice", nil, body)
			testkit.Eq(t, "fault", faultCode(m), tt.code)
			if tt.code != "" {
				return
			}
			testkit.Eq(t, "currency", get(m, "Invoice.CurrencyRef.value"), any("EUR"))
			testkit.Eq(t, "total in EUR", fmt.Sprint(get(m, "Invoice.TotalAmt")), "100.00")
			testkit.Eq(t, "rate", fmt.Sprint(get(m, "Invoice.ExchangeRate")), tt.wantRate)
			testkit.Eq(t, "home total", fmt.Sprint(get(m, "Invoice.HomeTotalAmt")), tt.wantHome)
		})
	}
}

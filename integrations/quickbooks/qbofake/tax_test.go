package qbofake

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestTaxAsDocumented posts invoices and checks the tax the fake computes
// against QuickBooks' documented rules (api/quickbooks.md §6), worked by hand.
func TestTaxAsDocumented(t *testing.T) {
	line := func(item, amount, code, extra string) string {
		ref := ""
		if code != "" {
			ref = fmt.Sprintf(`,"TaxCodeRef":{"value":%q}`, code)
		}
		return fmt.Sprintf(`{"DetailType":"SalesItemLineDetail","Amount":%s,"SalesItemLineDetail":{"ItemRef":{"value":%q}%s%s}}`,
			amount, item, ref, extra)
	}
	discount := func(amount string) string {
		return fmt.Sprintf(`{"DetailType":"DiscountLineDetail","Amount":%s,"DiscountLineDetail":{"PercentBased":false}}`, amount)
	}
	tests := []struct {
		name, country, calc, after string
		lines                      func(h *harness) []string
		totalTax, totalAmt         string
		inclusiveAmt               string // the first line's TaxInclusiveAmt as read back, "" for none
	}{
		{"UK: tax per line, rounded per line (3 × 0.07, not 0.20)", "GB", "TaxExcluded", "",
			func(h *harness) []string {
				s, c := h.fake.DefaultItemID(), h.fake.TaxCodeID("20.0% S")
				return []string{line(s, "0.33", c, ""), line(s, "0.33", c, ""), line(s, "0.33", c, "")}
			}, "0.21", "1.2", ""},
		{"UK: TaxInclusive keeps Amount net, TaxInclusiveAmt the gross", "GB", "TaxInclusive", "",
			func(h *harness) []string {
				return []string{line(h.fake.DefaultItemID(), "83.33", h.fake.TaxCodeID("20.0% S"), `,"TaxInclusiveAmt":100`)}
			}, "16.67", "100", "100"},
		{"UK: the discount is pro-rated through the lines before tax", "GB", "TaxExcluded", "",
			func(h *harness) []string {
				s, c := h.fake.DefaultItemID(), h.fake.TaxCodeID("20.0% S")
				return []string{line(s, "10", c, ""), line(s, "10", c, ""), line(s, "10", c, ""), discount("10")}
			}, "3.99", "23.99", ""},
		{"AU: GST 10 % on net", "AU", "TaxExcluded", "",
			func(h *harness) []string {
				return []string{line(h.fake.DefaultItemID(), "150", h.fake.TaxCodeID("GST"), "")}
			}, "15", "165", ""},
		{"US: without ApplyTaxAfterDiscount tax is on the amount before the discount", "US", "", "",
			func(h *harness) []string {
				return []string{line(h.fake.DefaultItemID(), "200", "TAX", ""), discount("20")}
			},
			"16", "196", ""},
		{"US: ApplyTaxAfterDiscount false is the same", "US", "", `"ApplyTaxAfterDiscount":false,`,
			func(h *harness) []string {
				return []string{line(h.fake.DefaultItemID(), "200", "TAX", ""), discount("20")}
			},
			"16", "196", ""},
		{"US: ApplyTaxAfterDiscount true takes the discount off first", "US", "", `"ApplyTaxAfterDiscount":true,`,
			func(h *harness) []string {
				return []string{line(h.fake.DefaultItemID(), "200", "TAX", ""), discount("20")}
			},
			"14.4", "194.4", ""},
		{"US: tax once on the taxable total (3 × 1.15 at 8 % = 0.28, not 3 × 0.09)", "US", "", "",
			func(h *harness) []string {
				s := h.fake.DefaultItemID()
				return []string{line(s, "1.15", "TAX", ""), line(s, "1.15", "TAX", ""), line(s, "1.15", "TAX", ""), line(s, "5", "NON", "")}
			}, "0.28", "8.73", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Options{Country: tt.country})
			calc := ""
			if tt.calc != "" {
				calc = fmt.Sprintf(`"GlobalTaxCalculation":%q,`, tt.calc)
			}
			body := fmt.Sprintf(`{"CustomerRef":{"value":%q},%s%s"Line":[%s]}`, h.customer("Tax Test"), calc, tt.after,
				strings.Join(tt.lines(h), ","))
			code, m := h.api(http.MethodPost, "/invoice", nil, body)
			if code != http.StatusOK {
				t.Fatalf("create: %d %v", code, m)
			}
			same := func(what, path, want string) {
				t.Helper()
				got, _ := get(m, path).(string)
				if g, err := decimal.NewFromString(got); err != nil || !g.Equal(decimal.RequireFromString(want)) {
					t.Errorf("%s = %q, want %s", what, got, want)
				}
			}
			same("TotalTax", "Invoice.TxnTaxDetail.TotalTax", tt.totalTax)
			same("TotalAmt", "Invoice.TotalAmt", tt.totalAmt)
			if tt.inclusiveAmt != "" {
				same("TaxInclusiveAmt", "Invoice.Line.0.SalesItemLineDetail.TaxInclusiveAmt", tt.inclusiveAmt)
				same("Amount", "Invoice.Line.0.Amount", "83.33")
			}
		})
	}
}

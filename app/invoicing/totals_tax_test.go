package invoicing

import (
	"testing"

	"dealbooks/internal/testkit"
)

// TestInclusivePricesGoNet checks the conversion of prices that include tax
// to the net QuickBooks keeps in Line.Amount: the total QuickBooks computes
// from the nets (tax rounded per line outside the US, once in the US) must
// give back the gross the deal lists, to the currency's smallest unit, or
// say by how much it cannot. Expected figures are worked by hand from the
// listed gross and rate.
func TestInclusivePricesGoNet(t *testing.T) {
	global := TaxSettings{Model: TaxGlobal, Calculation: TaxInclusive}
	us := TaxSettings{Model: TaxUS, TxnTaxCode: "2", TxnTaxRate: testkit.Dec("8"), PricesIncludeTax: true, ApplyTaxAfterDiscount: true}
	coded := func(l Line, rate string) Line { l.TaxCode, l.TaxRate = "c", testkit.Dec(rate); return l }
	included := func(l Line, rate string) Line { l.Taxable, l.IncludedTaxRate = true, testkit.Dec(rate); return l }
	tests := []struct {
		name                       string
		draft                      Draft
		amounts                    []string // Line.Amount, net
		discount, tax, total, miss string
	}{
		{"UK 20 %: 100 gross is 83.33 + 16.67",
			Draft{Currency: "GBP", Tax: global, Lines: []Line{coded(line("1", "100"), "20")}},
			[]string{"83.33"}, "0", "16.67", "100", "0"},
		{"UK 20 %: 0.03 has no net (0.02 + 0.00, 0.03 + 0.01)",
			Draft{Currency: "GBP", Tax: global, Lines: []Line{coded(line("1", "0.03"), "20")}},
			[]string{"0.03"}, "0", "0.01", "0.04", "0.01"},
		{"AU 10 % in yen-like whole units: 1000 is 909 + 91",
			Draft{Currency: "JPY", Tax: global, Lines: []Line{coded(line("1", "1000"), "10")}},
			[]string{"909"}, "0", "91", "1000", "0"},
		{"dinar, three decimals, 5 %: 10.500 is 10.000 + 0.500",
			Draft{Currency: "KWD", Tax: global, Lines: []Line{coded(line("1", "10.5"), "5")}},
			[]string{"10"}, "0", "0.5", "10.5", "0"},
		{"100 % line discount and a zero quantity bill nothing",
			Draft{Currency: "GBP", Tax: global, Lines: []Line{
				coded(Line{Quantity: testkit.Dec("2"), UnitPrice: testkit.Dec("60"), Discount: pct("100")}, "20"),
				coded(line("0", "99"), "20"), coded(line("1", "12"), "20")}},
			[]string{"0", "0", "10"}, "0", "2", "12", "0"},
		{"UK deal discount 10 % of 120 gross: net discount 10, tax on 90",
			Draft{Currency: "GBP", Tax: global, Lines: []Line{coded(line("1", "120"), "20")}, Discounts: []Discount{pct("10")}},
			[]string{"100"}, "10", "18", "108", "0"},
		{"US 8 %: 108 gross is 100 + 8",
			Draft{Currency: "USD", Tax: us, Lines: []Line{included(line("1", "108"), "8")}},
			[]string{"100"}, "0", "8", "108", "0"},
		{"US 8.25 % taxed once: three 1.15 lines need one net a cent up",
			Draft{Currency: "USD", Tax: TaxSettings{Model: TaxUS, TxnTaxCode: "2", TxnTaxRate: testkit.Dec("8.25"), PricesIncludeTax: true},
				Lines: []Line{included(line("1", "1.15"), "8.25"), included(line("1", "1.15"), "8.25"), included(line("1", "1.15"), "8.25")}},
			[]string{"1.07", "1.06", "1.06"}, "0", "0.26", "3.45", "0"},
		{"US discount of 10.80 gross comes off net before tax",
			Draft{Currency: "USD", Tax: us, Lines: []Line{included(line("1", "54"), "8"), included(line("1", "54"), "8")},
				Discounts: []Discount{amt("10.80")}},
			[]string{"50", "50"}, "10", "7.2", "97.2", "0"},
		{"US line the rep added includes QuickBooks' rate",
			Draft{Currency: "USD", Tax: us, Lines: []Line{{Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("54"), Taxable: true}}},
			[]string{"50"}, "0", "4", "54", "0"},
		{"US deal line without tax in Pipedrive, ticked taxable, is taxed on top",
			Draft{Currency: "USD", Tax: us, Lines: []Line{{Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("100"), Taxable: true, Deal: &DealLine{}}}},
			[]string{"100"}, "0", "8", "108", "8"},
		{"US line not taxed keeps its gross",
			Draft{Currency: "USD", Tax: us, Lines: []Line{{Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("108"), IncludedTaxRate: testkit.Dec("8")}}},
			[]string{"108"}, "0", "0", "108", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ComputeTotals(tt.draft)
			for i, want := range tt.amounts {
				if !got.Lines[i].Amount.Equal(testkit.Dec(want)) {
					t.Errorf("line %d Amount = %s, want %s", i+1, got.Lines[i].Amount, want)
				}
				l := tt.draft.Lines[i]
				if again := l.Quantity.Mul(got.Lines[i].UnitPrice).Round(CurrencyDecimals(tt.draft.Currency)); !l.Quantity.IsZero() && !again.Equal(got.Lines[i].Amount) {
					t.Errorf("line %d: Qty × UnitPrice = %s, Amount %s: QuickBooks refuses that (6070)", i+1, again, got.Lines[i].Amount)
				}
				if tt.draft.Tax.Model == TaxGlobal && !got.Lines[i].TaxInclusiveAmt.Equal(got.Lines[i].Listed) {
					t.Errorf("line %d TaxInclusiveAmt = %s, want the gross %s", i+1, got.Lines[i].TaxInclusiveAmt, got.Lines[i].Listed)
				}
			}
			for _, c := range []struct{ field, got, want string }{
				{"Discount", got.Discount.String(), testkit.Dec(tt.discount).String()},
				{"Tax", got.Tax.String(), testkit.Dec(tt.tax).String()},
				{"Total", got.Total.String(), testkit.Dec(tt.total).String()},
				{"Unmatched", got.Unmatched.String(), testkit.Dec(tt.miss).String()},
			} {
				if c.got != c.want {
					t.Errorf("%s = %s, want %s", c.field, c.got, c.want)
				}
			}
		})
	}
}

package invoicing

import (
	"testing"

	"github.com/shopspring/decimal"

	"dealbooks/internal/testkit"
)

// reconcileDeal builds a deal's draft as BuildDraft does and reconciles it;
// edit, when not nil, plays the rep's changes first.
func reconcileDeal(company Company, codes []TaxCode, b DealBundle, edit func(*Draft)) (Draft, Reconciliation) {
	prefs := DefaultPreferences()
	prefs.DefaultItemID = "1"
	if company.TaxModel == TaxGlobal && len(codes) > 0 {
		prefs.DefaultTaxCode = codes[0].ID
	}
	d := draftFrom(draftInputs{bundle: b, prefs: prefs, company: company, taxCodes: codes}, Date{2026, 11, 2})
	if edit != nil {
		edit(&d)
	}
	return d, Reconcile(d, ComputeTotals(d))
}

func product(qty, price, rate string, method TaxMethod) DealProduct {
	q, p := testkit.Dec(qty), testkit.Dec(price)
	return DealProduct{ProductID: 7, Name: "Widget", Quantity: q, ItemPrice: p, TaxRate: testkit.Dec(rate), TaxMethod: method,
		Sum: q.Mul(p).Round(2), Enabled: true}
}

func bundle(value string, ps ...DealProduct) DealBundle {
	return DealBundle{Deal: Deal{ID: 9, Title: "Deal", Value: testkit.Dec(value), Currency: "GBP"}, Products: ps}
}

// TestReconcile checks the reconciliation against deals whose figures are
// Pipedrive's: the expected amount and the difference come from the deal
// value and product prices, worked by hand.
func TestReconcile(t *testing.T) {
	uk := Company{Country: "GB", TaxModel: TaxGlobal, HomeCurrency: "GBP"}
	ukCodes := []TaxCode{{ID: "20", Name: "20.0% S", Rate: testkit.Dec("20")}, {ID: "5", Name: "5.0% R", Rate: testkit.Dec("5")}, {ID: "0", Name: "0.0% Z", Rate: testkit.Dec("0")}}
	us := Company{Country: "US", TaxModel: TaxUS, HomeCurrency: "USD", DefaultTaxCode: "3"}
	usCodes := []TaxCode{{ID: "3", Name: "California", Rate: testkit.Dec("8")}}
	usd := func(b DealBundle) DealBundle { b.Deal.Currency = "USD"; return b }

	tests := []struct {
		name       string
		company    Company
		codes      []TaxCode
		deal       DealBundle
		edit       func(*Draft)
		basis      Basis
		expected   string
		difference string
		causes     []CauseKind
	}{
		{"UK exclusive, value without tax: the invoice adds 20 %", uk, ukCodes,
			bundle("100", product("1", "100", "20", TaxMethodExclusive)), nil,
			BasisValuePlusTax, "120", "0", nil},
		{"UK exclusive, value with tax", uk, ukCodes,
			bundle("120", product("1", "100", "20", TaxMethodExclusive)), nil,
			BasisValueWithTax, "120", "0", nil},
		{"UK two rates map to two codes", uk, ukCodes,
			bundle("112.5", product("1", "50", "20", TaxMethodExclusive), product("1", "50", "5", TaxMethodExclusive)), nil,
			BasisValueWithTax, "112.5", "0", nil},
		{"UK inclusive: 100 gross is billed 100", uk, ukCodes,
			bundle("100", product("1", "100", "20", TaxMethodInclusive)), nil,
			BasisValue, "100", "0", nil},
		{"UK inclusive 0.03 cannot be matched: a rounding cent", uk, ukCodes,
			bundle("0.03", product("1", "0.03", "20", TaxMethodInclusive)), nil,
			BasisValue, "0.03", "0.01", []CauseKind{CauseRounding}},
		{"UK no tax takes the zero-rate code", uk, ukCodes,
			bundle("100", product("1", "100", "0", TaxMethodNone)), nil,
			BasisValue, "100", "0", nil},
		{"UK rate with no code names both rates", uk, ukCodes,
			bundle("100", product("1", "100", "12", TaxMethodExclusive)), nil,
			BasisValuePlusTax, "112", "8", []CauseKind{CauseTaxRate}},
		{"US inclusive at QuickBooks' rate matches", us, usCodes,
			usd(bundle("108", product("1", "108", "8", TaxMethodInclusive))), nil,
			BasisValue, "108", "0", nil},
		{"US exclusive 20 % in Pipedrive, 8 % in QuickBooks", us, usCodes,
			usd(bundle("100", product("1", "100", "20", TaxMethodExclusive))), nil,
			BasisValuePlusTax, "120", "-12", []CauseKind{CauseTaxRate}},
		{"US inclusive 21 % in Pipedrive, 8 % in QuickBooks", us, usCodes,
			usd(bundle("121", product("1", "121", "21", TaxMethodInclusive))), nil,
			BasisValue, "121", "-13", []CauseKind{CauseTaxRate}},
		{"US without sales tax bills inclusive prices as they are", Company{Country: "US", TaxModel: TaxUS, HomeCurrency: "USD"}, nil,
			usd(bundle("108", product("1", "108", "8", TaxMethodInclusive))), nil,
			BasisValue, "108", "0", []CauseKind{CauseTaxRate}},
		{"a line the rep changed", uk, ukCodes,
			bundle("100", product("1", "100", "0", TaxMethodNone)), func(d *Draft) { d.Lines[0].Quantity = testkit.Dec("2") },
			BasisValue, "100", "100", []CauseKind{CauseLineChanged}},
		{"a deal value that is not its products", uk, ukCodes,
			bundle("150", product("1", "100", "0", TaxMethodNone)), nil,
			BasisValue, "150", "-50", []CauseKind{CauseValueDiffers}},
		{"no products: one line for the value, tax inside", uk, ukCodes,
			bundle("240"), nil,
			BasisNoProducts, "240", "0", nil},
		{"US no products: one untaxed line", us, usCodes,
			usd(bundle("99.99")), nil,
			BasisNoProducts, "99.99", "0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := reconcileDeal(tt.company, tt.codes, tt.deal, tt.edit)
			if r.Basis != tt.basis || !r.Expected.Equal(testkit.Dec(tt.expected)) || !r.Difference.Equal(testkit.Dec(tt.difference)) {
				t.Errorf("basis %s, expected %s, difference %s; want %s, %s, %s", r.Basis, r.Expected, r.Difference, tt.basis, tt.expected, tt.difference)
			}
			if !r.Total.Sub(r.Expected).Equal(r.Difference) {
				t.Errorf("difference %s is not total %s − expected %s", r.Difference, r.Total, r.Expected)
			}
			var kinds []CauseKind
			sum := decimal.Zero
			for _, c := range r.Causes {
				if !c.Amount.IsZero() || c.Kind == CauseTaxRate {
					kinds = append(kinds, c.Kind)
				}
				sum = sum.Add(c.Amount)
			}
			if len(kinds) != len(tt.causes) {
				t.Fatalf("causes %+v, want kinds %v", r.Causes, tt.causes)
			}
			for i := range kinds {
				if kinds[i] != tt.causes[i] {
					t.Errorf("cause %d is %s, want %s", i, kinds[i], tt.causes[i])
				}
			}
			if !sum.Equal(r.Difference) {
				t.Errorf("causes add up to %s, difference is %s", sum, r.Difference)
			}
		})
	}
}

func TestReconcileNamesBothRates(t *testing.T) {
	us := Company{Country: "US", TaxModel: TaxUS, HomeCurrency: "USD", DefaultTaxCode: "3"}
	b := bundle("100", product("1", "100", "20", TaxMethodExclusive))
	b.Deal.Currency = "USD"
	_, r := reconcileDeal(us, []TaxCode{{ID: "3", Rate: testkit.Dec("8")}}, b, nil)
	if len(r.Causes) != 1 || !r.Causes[0].PipedriveRate.Equal(testkit.Dec("20")) || !r.Causes[0].QuickBooksRate.Equal(testkit.Dec("8")) || r.Causes[0].Line != 0 {
		t.Errorf("causes = %+v, want line 0 taxed at 8 %% in QuickBooks and 20 %% in Pipedrive", r.Causes)
	}
}

package pipedrivefake

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/shopspring/decimal"
)

func TestGenerateIsDeterministicAndPerCompany(t *testing.T) {
	a, _ := json.Marshal(Generate(SeedOptions{Seed: 42}))
	b, _ := json.Marshal(Generate(SeedOptions{Seed: 42}))
	if string(a) != string(b) {
		t.Fatal("the same seed gave different data")
	}
	one, two := Generate(SeedOptions{Seed: 1, Deals: 10}), Generate(SeedOptions{Seed: 2, Deals: 10})
	c1, c2 := FieldCode(one.OrganizationFields, FieldTaxID), FieldCode(two.OrganizationFields, FieldTaxID)
	hash := regexp.MustCompile(`^[0-9a-f]{40}$`)
	if !hash.MatchString(c1) || !hash.MatchString(c2) || c1 == c2 {
		t.Errorf("tax ID codes %q and %q: want distinct 40-character hashes", c1, c2)
	}
}

// The demo company needs variety; these are the cases the app must handle.
func TestGenerateCoversTheDemoCases(t *testing.T) {
	d := Generate(SeedOptions{Seed: 1})
	if len(d.Deals) < 300 {
		t.Fatalf("%d deals", len(d.Deals))
	}
	count := func(cond bool, n *int) {
		if cond {
			*n++
		}
	}
	currencies, statuses, owners := map[string]bool{}, map[string]bool{}, map[int64]bool{}
	for _, deal := range d.Deals {
		currencies[deal.Currency], statuses[deal.Status], owners[deal.OwnerID] = true, true, true
	}
	if len(currencies) < 3 || len(owners) < 3 || !statuses["open"] || !statuses["won"] || !statuses["lost"] {
		t.Errorf("currencies %v, owners %d, statuses %v", currencies, len(owners), statuses)
	}

	taxCode := FieldCode(d.OrganizationFields, FieldTaxID)
	var full, partial, oneLine, noAddress, taxIDs int
	for _, o := range d.Organizations {
		a := o.Address
		count(a == nil, &noAddress)
		count(a != nil && a.Route != nil && a.PostalCode != nil, &full)
		count(a != nil && a.Route == nil && a.Locality != nil, &partial)
		count(a != nil && a.Locality == nil && a.Value != nil, &oneLine)
		count(o.CustomFields[taxCode] != nil, &taxIDs)
	}
	for name, n := range map[string]int{"full": full, "partial": partial, "one-line": oneLine, "none": noAddress, "tax IDs": taxIDs} {
		if n == 0 {
			t.Errorf("no organizations with %s address/field", name)
		}
	}

	var severalEmails, primaryNotFirst int
	for _, p := range d.Persons {
		count(len(p.Emails) > 1, &severalEmails)
		count(len(p.Emails) > 1 && !p.Emails[0].Primary, &primaryNotFirst)
		primaries := 0
		for _, e := range p.Emails {
			count(e.Primary, &primaries)
		}
		if primaries != 1 {
			t.Fatalf("person %d has %d primary e-mails", p.ID, primaries)
		}
	}
	if severalEmails == 0 || primaryNotFirst == 0 {
		t.Errorf("several e-mails %d, primary not first %d", severalEmails, primaryNotFirst)
	}

	var pct, amount, taxed, recurring, pctDeal, amountDeal int
	lineTotal := map[int64]decimal.Decimal{}
	for _, l := range d.DealProducts {
		count(l.DiscountType == "percentage" && l.Discount.IsPositive(), &pct)
		count(l.DiscountType == "amount" && l.Discount.IsPositive(), &amount)
		count(l.Tax.IsPositive(), &taxed)
		count(l.BillingFrequency != "one-time", &recurring)
		gross := l.Quantity.Mul(l.ItemPrice.Decimal)
		want := gross.Sub(l.Discount.Decimal)
		if l.DiscountType == "percentage" {
			want = gross.Sub(gross.Mul(l.Discount.Decimal).Div(decimal.NewFromInt(100)))
		}
		if !want.Round(2).Equal(l.Sum.Decimal) {
			t.Fatalf("line %d: sum %s, want %s", l.ID, l.Sum, want.Round(2))
		}
		lineTotal[l.DealID] = lineTotal[l.DealID].Add(l.Sum.Decimal)
	}
	for _, disc := range d.Discounts {
		count(disc.Type == "percentage", &pctDeal)
		count(disc.Type == "amount", &amountDeal)
	}
	for name, n := range map[string]int{"percentage line discounts": pct, "amount line discounts": amount,
		"taxed lines": taxed, "recurring lines": recurring, "percentage deal discounts": pctDeal,
		"amount deal discounts": amountDeal, "installments": len(d.Installments)} {
		if n == 0 {
			t.Errorf("no %s", name)
		}
	}
	methods := map[int64]string{}
	rates := map[string]map[string]bool{}
	for _, l := range d.DealProducts {
		methods[l.DealID] = l.TaxMethod
		if rates[l.Currency] == nil {
			rates[l.Currency] = map[string]bool{}
		}
		rates[l.Currency][l.Tax.String()] = true
	}
	var noProducts, withTax int
	for _, deal := range d.Deals {
		switch {
		case methods[deal.ID] == "":
			noProducts++
			if !deal.Value.IsPositive() {
				t.Errorf("deal %d has no products and no value", deal.ID)
			}
		case lineTotal[deal.ID].LessThan(deal.Value.Decimal) && methods[deal.ID] == "exclusive":
			withTax++ // the value includes the tax put on top
		case lineTotal[deal.ID].LessThan(deal.Value.Decimal):
			t.Fatalf("deal %d: value %s above its lines %s", deal.ID, deal.Value, lineTotal[deal.ID])
		}
	}
	if noProducts == 0 || withTax == 0 {
		t.Errorf("%d deals without products, %d with exclusive tax in their value; want some of each", noProducts, withTax)
	}
	for cur, rs := range rates {
		if len(rs) < 3 {
			t.Errorf("%s deals carry the rates %v; want several", cur, rs)
		}
	}
	if d.Me.CompanyID == 0 || d.Me.CompanyDomain == "" || !d.Me.IsYou {
		t.Errorf("users/me: %+v", d.Me)
	}
}

package invoicing

import (
	"context"
	"errors"
	"testing"

	"dealbooks/internal/testkit"
)

func TestBuildDraftAppliesPreferences(t *testing.T) {
	h := newHarness(t)
	b, err := h.svc.BuildDraft(context.Background(), dealID)
	if err != nil {
		t.Fatal(err)
	}
	d := b.Draft
	wantCustomer := Customer{To: "Acme Ltd", Address: "1 High St, London", Email: "jane@acme.test", TaxID: "GB123456789",
		Party: PartyRef{EntityOrganization, 100}}
	if d.Customer != wantCustomer {
		t.Errorf("customer = %+v, want %+v", d.Customer, wantCustomer)
	}
	if d.Currency != "GBP" || d.IssueDate != NewDate(2026, 3, 13) || d.DueDate != NewDate(2026, 3, 20) {
		t.Errorf("currency %s, issued %s, due %s; want GBP, 2026-03-13, 2026-03-20", d.Currency, d.IssueDate, d.DueDate)
	}
	if d.Tax.Model != TaxGlobal || d.Tax.Calculation != TaxExcluded {
		t.Errorf("tax = %+v, want global, tax excluded", d.Tax)
	}
	if len(d.Lines) != 2 {
		t.Fatalf("%d lines, want 2 (the disabled product left out)", len(d.Lines))
	}
	consulting, hosting := d.Lines[0], d.Lines[1]
	if consulting.ItemRef != "2" || consulting.TaxCode != "20" || !consulting.TaxRate.Equal(testkit.Dec("20")) ||
		consulting.Description != "March" || consulting.Discount.Type != DiscountPercentage || !consulting.Discount.Value.Equal(testkit.Dec("10")) {
		t.Errorf("consulting line = %+v; want item 2 by name, tax code 20, 10%% off", consulting)
	}
	if hosting.ItemRef != "1" || hosting.TaxCode != "0" || !hosting.Recurring {
		t.Errorf("hosting line = %+v; want default item 1, zero-rate code 0, recurring", hosting)
	}
	if len(d.Discounts) != 1 || !d.Discounts[0].Value.Equal(testkit.Dec("5")) {
		t.Errorf("discounts = %+v, want the 5.00 loyalty discount", d.Discounts)
	}
	if len(b.Warnings) != 2 || b.Warnings[0].Code != RecurringProduct || b.Warnings[1].Code != ItemDefaulted ||
		b.Warnings[1].Field != "lines[1].item" {
		t.Errorf("warnings = %+v, want a recurring-product warning and, for Hosting, no matching item", b.Warnings)
	}
	if consulting.ItemMatch != ItemByName || hosting.ItemMatch != ItemDefault {
		t.Errorf("item matches = %v, %v; want by name, default", consulting.ItemMatch, hosting.ItemMatch)
	}
	if err := CheckDraft(d, h.acct.company, nil); err != nil {
		t.Errorf("built draft does not validate: %v", err)
	}
}

func TestBuildDraftCustomer(t *testing.T) {
	acme := PartyRef{EntityOrganization, 100}
	tests := []struct {
		name        string
		links       []CustomerLink
		customers   []QBCustomer
		wantTo      string
		wantLinked  string
		wantMatches []string
	}{
		{name: "no link, no customers", wantTo: "Acme Ltd"},
		{
			name:       "remembered link in the deal's currency",
			links:      []CustomerLink{{Party: acme, Currency: "GBP", CustomerID: "42"}},
			wantTo:     "Acme Ltd",
			wantLinked: "42",
		},
		{
			name:   "linked in another currency only",
			links:  []CustomerLink{{Party: acme, Currency: "USD", CustomerID: "43"}},
			wantTo: "Acme Ltd (GBP)",
		},
		{
			name: "candidates ranked, other currencies left out",
			customers: []QBCustomer{
				{ID: "1", DisplayName: "Acme", Currency: "GBP"},
				{ID: "2", DisplayName: "Jane's shop", Email: "JANE@acme.test", Currency: "GBP"},
				{ID: "3", DisplayName: "acme  ltd", Currency: "GBP"},
				{ID: "4", DisplayName: "Acme Ltd", Currency: "USD"},
			},
			wantTo:      "Acme Ltd",
			wantMatches: []string{"3", "2", "1"},
		},
		{
			name:        "name taken in another currency",
			customers:   []QBCustomer{{ID: "4", DisplayName: "Acme Ltd", Currency: "USD"}, {ID: "5", DisplayName: "Acme Ltd (GBP)", Currency: "GBP"}},
			wantTo:      "Acme Ltd (GBP)",
			wantMatches: []string{"5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			for _, l := range tt.links {
				h.repo.links[l.Party] = append(h.repo.links[l.Party], l)
			}
			for _, c := range tt.customers {
				h.acct.addCustomer(c)
			}
			b, err := h.svc.BuildDraft(context.Background(), dealID)
			if err != nil {
				t.Fatal(err)
			}
			if b.Draft.Customer.To != tt.wantTo || b.Draft.Customer.LinkedID != tt.wantLinked {
				t.Errorf("To %q linked %q; want %q linked %q", b.Draft.Customer.To, b.Draft.Customer.LinkedID, tt.wantTo, tt.wantLinked)
			}
			var got []string
			for _, m := range b.Matches {
				got = append(got, m.Customer.ID)
			}
			if len(got) != len(tt.wantMatches) {
				t.Fatalf("matches %v, want %v", got, tt.wantMatches)
			}
			for i := range got {
				if got[i] != tt.wantMatches[i] {
					t.Errorf("matches %v, want %v", got, tt.wantMatches)
				}
			}
		})
	}
}

func TestBuildDraftItemsAndTax(t *testing.T) {
	t.Run("remembered item link wins over the name", func(t *testing.T) {
		h := newHarness(t)
		h.repo.itemLinks[1] = "9"
		h.acct.items = append(h.acct.items, Item{ID: "9", Name: "Advisory"})
		if got := h.draft(t).Lines[0]; got.ItemRef != "9" || got.ItemMatch != ItemLinked {
			t.Errorf("item = %s (%v), want the linked 9", got.ItemRef, got.ItemMatch)
		}
	})
	t.Run("US company marks taxed products taxable", func(t *testing.T) {
		h := newHarness(t)
		h.acct.company = Company{Country: "US", HomeCurrency: "GBP", TaxModel: TaxUS}
		d := h.draft(t)
		if d.Tax.Model != TaxUS || !d.Lines[0].Taxable || d.Lines[1].Taxable || d.Lines[0].TaxCode != "" {
			t.Errorf("tax %+v, taxable %v %v; want US, consulting taxable, hosting not", d.Tax, d.Lines[0].Taxable, d.Lines[1].Taxable)
		}
	})
	t.Run("US taxable by default", func(t *testing.T) {
		h := newHarness(t)
		h.acct.company = Company{Country: "US", HomeCurrency: "GBP", TaxModel: TaxUS}
		h.repo.prefs.TaxableByDefault = true
		d := h.draft(t)
		if !d.Lines[1].Taxable {
			t.Error("untaxed product is not taxable despite the preference")
		}
		if !NewLine(d).Taxable {
			t.Error("a line the rep adds is not taxable despite the preference")
		}
	})
	t.Run("US lines the rep adds follow the preference as products without a rate do", func(t *testing.T) {
		for _, on := range []bool{false, true} {
			h := newHarness(t)
			h.acct.company = Company{Country: "US", HomeCurrency: "GBP", TaxModel: TaxUS}
			h.repo.prefs.TaxableByDefault = on
			d := h.draft(t)
			// Lines[1], Hosting, has no tax rate in Pipedrive; Lines[0] has one and is taxed either way.
			if added := NewLine(d); added.Taxable != d.Lines[1].Taxable || added.Taxable != on || !d.Lines[0].Taxable {
				t.Errorf("preference %v: added line taxable %v, product without rate %v, product with rate %v",
					on, added.Taxable, d.Lines[1].Taxable, d.Lines[0].Taxable)
			}
		}
	})
	t.Run("tax-inclusive deal", func(t *testing.T) {
		h := newHarness(t)
		b := h.crm.bundles[dealID]
		for i := range b.Products {
			b.Products[i].TaxMethod = TaxMethodInclusive
		}
		if d := h.draft(t); d.Tax.Calculation != TaxInclusive {
			t.Errorf("calculation = %s, want TaxInclusive", d.Tax.Calculation)
		}
	})
	t.Run("own numbering", func(t *testing.T) {
		h := newHarness(t)
		h.repo.prefs.Numbering = Numbering{Mode: NumberPrefix, Prefix: "PD-", Next: 1000}
		if d := h.draft(t); d.InvoiceNumber != "PD-1000" {
			t.Errorf("number = %q, want PD-1000", d.InvoiceNumber)
		}
	})
	t.Run("custom field mapping from the deal", func(t *testing.T) {
		h := newHarness(t)
		h.repo.prefs.To = FieldRef{EntityDeal, "po_hash"}
		if d := h.draft(t); d.Customer.To != "PO-77" {
			t.Errorf("To = %q, want the deal's custom field PO-77", d.Customer.To)
		}
	})
}

func TestBuildDraftOffline(t *testing.T) {
	t.Run("QuickBooks offline uses the stored company", func(t *testing.T) {
		h := newHarness(t)
		h.draft(t) // stores the company
		h.acct.setOffline(true)
		svc := h.newService()
		b, err := svc.BuildDraft(context.Background(), dealID)
		if err != nil {
			t.Fatal(err)
		}
		if b.Draft.Tax.Model != TaxGlobal || b.Draft.Lines[0].ItemRef != "1" {
			t.Errorf("draft %+v; want the stored company's tax model and the default item", b.Draft)
		}
	})
	t.Run("QuickBooks never reached", func(t *testing.T) {
		h := newHarness(t)
		h.acct.setOffline(true)
		if _, err := h.svc.BuildDraft(context.Background(), dealID); !errors.Is(err, ErrOffline) {
			t.Errorf("err = %v, want ErrOffline", err)
		}
	})
	t.Run("Pipedrive offline", func(t *testing.T) {
		h := newHarness(t)
		h.crm.setOffline(true)
		if _, err := h.svc.BuildDraft(context.Background(), dealID); !errors.Is(err, ErrOffline) {
			t.Errorf("err = %v, want ErrOffline", err)
		}
	})
	t.Run("saved draft reads back", func(t *testing.T) {
		h := newHarness(t)
		d := h.draft(t)
		d.Memo = "typed by the rep"
		if err := h.svc.SaveDraft(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		got, err := h.svc.SavedDraft(context.Background(), dealID)
		if err != nil || got.Memo != d.Memo || !got.Lines[0].UnitPrice.Equal(d.Lines[0].UnitPrice) {
			t.Errorf("saved draft = %+v, %v", got, err)
		}
	})
}

func TestBuildDraftParty(t *testing.T) {
	t.Run("person only", func(t *testing.T) {
		h := newHarness(t)
		b := h.crm.bundles[dealID]
		b.Organization = nil
		h.crm.bundles[dealID] = b
		c := h.draft(t).Customer
		if c.Party != (PartyRef{EntityPerson, 200}) || c.To != "Jane Doe" || c.Address != "" || c.Email != "jane@acme.test" {
			t.Errorf("customer = %+v; want Jane Doe by name, linked per person", c)
		}
	})
	t.Run("nobody", func(t *testing.T) {
		h := newHarness(t)
		b := h.crm.bundles[dealID]
		b.Organization, b.Person = nil, nil
		h.crm.bundles[dealID] = b
		c := h.draft(t).Customer
		if !c.Party.IsZero() || c.To != "" {
			t.Errorf("customer = %+v; want empty, for the rep to fill", c)
		}
	})
}

func TestReloadQuickBooksReadsAgain(t *testing.T) {
	h := newHarness(t)
	h.draft(t)
	h.draft(t)
	if n := h.acct.count("Company"); n != 1 {
		t.Fatalf("company read %d times for two drafts, want once", n)
	}
	h.svc.ReloadQuickBooks()
	h.draft(t)
	if n, m := h.acct.count("Company"), h.acct.count("Items"); n != 2 || m != 2 {
		t.Errorf("after reload: company read %d times, items %d; want 2 each", n, m)
	}
}

package adapters

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dealbooks/internal/clock"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
	"dealbooks/app/invoicing/invoicingtest"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks/qbofake"
)

// world is the Service over both adapters, the fakes behind them and an
// in-memory Repository.
type world struct {
	pd    *pdEnv
	qb    *qbEnv
	repo  *invoicingtest.Repository
	clock *clock.Manual
	svc   *invoicing.Service
}

func newWorld(t testing.TB, latency time.Duration) *world {
	t.Helper()
	clk := clock.NewManual(time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC))
	w := &world{pd: newPipedriveEnv(t, latency), qb: newQuickBooksEnv(t, qbofake.Options{Now: clk.Now}), repo: invoicingtest.NewRepository(), clock: clk}
	w.qb.fake.SetLatency(latency)
	prefs := invoicing.DefaultPreferences()
	prefs.DefaultItemID = w.qb.fake.DefaultItemID()
	prefs.TaxID = invoicing.FieldRef{Entity: invoicing.EntityOrganization,
		Code: pipedrivefake.FieldCode(w.pd.data.OrganizationFields, pipedrivefake.FieldTaxID)}
	if err := w.repo.SavePreferences(context.Background(), prefs); err != nil {
		t.Fatal(err)
	}
	w.svc = w.newService()
	return w
}

func (w *world) newService() *invoicing.Service {
	return invoicing.NewService(invoicing.Config{CRM: w.pd.crm, Accounting: w.qb.acct, Repository: w.repo, Now: w.clock.Now})
}

// usDeal is a USD deal with an organization that has a tax ID and a person.
func (w *world) usDeal(t testing.TB) pipedrivefake.Deal {
	s := seeded{w.pd.data}
	taxID := pipedrivefake.FieldCode(s.OrganizationFields, pipedrivefake.FieldTaxID)
	for _, d := range s.Deals {
		if d.Currency == "USD" && d.OrgID != nil && d.PersonID != nil && s.org(*d.OrgID).CustomFields[taxID] != nil {
			return d
		}
	}
	t.Fatal("no USD deal with organization, tax ID and person")
	return pipedrivefake.Deal{}
}

func TestServiceBuildsAndCreatesOneInvoice(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	deal := w.usDeal(t)
	s := seeded{w.pd.data}
	org, person := s.org(*deal.OrgID), s.person(*deal.PersonID)
	taxID := org.CustomFields[pipedrivefake.FieldCode(s.OrganizationFields, pipedrivefake.FieldTaxID)].(string)

	built, err := w.svc.BuildDraft(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := built.Draft
	if d.Customer.To != org.Name || d.Customer.TaxID != taxID || d.Customer.Email == "" || d.Currency != "USD" ||
		d.Customer.Party != (invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: org.ID}) || len(d.Lines) != len(s.lines(deal.ID)) {
		t.Fatalf("draft = %+v; want %q, tax ID %q, %d lines", d, org.Name, taxID, len(s.lines(deal.ID)))
	}
	if want := primaryEmail(person); d.Customer.Email != want {
		t.Errorf("draft e-mail %q, want the person's primary %q", d.Customer.Email, want)
	}

	res, err := w.svc.CreateInvoice(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if res.Queued || res.Entry.State != invoicing.OutboxDone || res.NoteErr != nil {
		t.Fatalf("result = %+v", res)
	}
	invoices := w.qb.fake.Invoices()
	if len(invoices) != 1 || invoices[0].ID != res.Invoice.ID {
		t.Fatalf("QuickBooks holds %d invoices, want exactly the one created (%s)", len(invoices), res.Invoice.ID)
	}
	customers := w.qb.fake.Customers()
	if len(customers) != 1 || customers[0].DisplayName != org.Name || customers[0].PrimaryTaxIdentifier != taxID ||
		invoices[0].CustomerRef.Value != customers[0].ID {
		t.Errorf("customers = %+v", customers)
	}
	items := 0
	for _, l := range invoices[0].Line {
		if l.DetailType == "SalesItemLineDetail" {
			items++
		}
	}
	if items != len(d.Lines) {
		t.Errorf("invoice has %d item lines, want %d", items, len(d.Lines))
	}
	notes := w.pd.fake.Notes()
	if len(notes) != 1 || notes[0].DealID != deal.ID || !strings.Contains(notes[0].Content, w.qb.acct.InvoiceURL(res.Invoice.ID)) {
		t.Errorf("notes = %+v, want one on deal %d linking the invoice", notes, deal.ID)
	}

	// The next draft of the deal is linked to the customer just created.
	again, err := w.svc.BuildDraft(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Draft.Customer.LinkedID != customers[0].ID {
		t.Errorf("second draft links %q, want %q", again.Draft.Customer.LinkedID, customers[0].ID)
	}

	// Refresh by id the first time, then by change data capture.
	if _, err := w.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Minute)
	if _, err := w.qb.fake.RecordPayment(res.Invoice.ID, res.Invoice.Total); err != nil {
		t.Fatal(err)
	}
	before := w.qb.requests()
	r, err := w.svc.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Changed != 1 || len(r.NewlyPaid) != 1 || w.qb.requests()-before != 1 {
		t.Errorf("refresh = %+v in %d requests, want the invoice newly paid in one", r, w.qb.requests()-before)
	}
}

func primaryEmail(p pipedrivefake.Person) string {
	for _, e := range p.Emails {
		if e.Primary {
			return e.Value
		}
	}
	return ""
}

// The editor shows invoicing.ComputeTotals; the rep must see the amounts QuickBooks will charge. Every USD
// deal of the seeded company with products, with its line and deal discounts and sales tax, goes through
// the whole path and the invoice QuickBooks computes must carry exactly the draft's total and tax.
func TestDraftTotalsAreWhatQuickBooksCharges(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	s := seeded{w.pd.data}
	checked, taxed, discounted := 0, 0, 0
	for _, deal := range s.Deals {
		if deal.Currency != "USD" || len(s.lines(deal.ID)) == 0 || checked == 25 {
			continue
		}
		built, err := w.svc.BuildDraft(ctx, deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := built.Draft
		d.Customer.LinkedID, d.Customer.LinkedCurrency = "", ""
		d.Customer.To = fmt.Sprintf("%s (deal %d)", d.Customer.To, deal.ID) // a new customer each time
		d.InvoiceNumber = ""
		want := invoicing.ComputeTotals(d)
		res, err := w.svc.CreateInvoice(ctx, d)
		if err != nil {
			t.Fatalf("deal %d: %v", deal.ID, err)
		}
		if !res.Invoice.Total.Equal(want.Total) {
			t.Errorf("deal %d: QuickBooks charges %s, the draft showed %s (tax %s, discount %s)",
				deal.ID, res.Invoice.Total, want.Total, want.Tax, want.Discount)
		}
		checked++
		if want.Tax.IsPositive() {
			taxed++
		}
		if want.Discount.IsPositive() || !want.Subtotal.Equal(sumGross(want)) {
			discounted++
		}
	}
	if checked < 10 || taxed == 0 || discounted == 0 {
		t.Fatalf("checked %d deals, %d with tax, %d with discounts; the seed no longer covers the cases", checked, taxed, discounted)
	}
}

func sumGross(t invoicing.Totals) decimal.Decimal {
	sum := decimal.Zero
	for _, l := range t.Lines {
		sum = sum.Add(l.Gross)
	}
	return sum
}

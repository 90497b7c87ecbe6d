package adapters

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/quickbooks/qbofake"
)

// TestAnInvoiceMadeByHandAndLinkedByOneRepShowsUnderTheDealForTheOther: rep A links an invoice made in
// QuickBooks by hand to a deal; rep B's next refresh files it under that deal, and the deal has one note
// for it and its fields set.
func TestAnInvoiceMadeByHandAndLinkedByOneRepShowsUnderTheDealForTheOther(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	fields := chooseDealFields(t, a, a, b)
	deal := w.usDeal(t)
	if _, err := b.svc.Refresh(ctx); err != nil { // B is up to date before: the next refresh asks for changes
		t.Fatal(err)
	}

	cust := mustCustomer(t, w.qb, "Made By Hand Inc")
	made, err := w.qb.fake.AddInvoice(qbofake.Invoice{CustomerRef: &qbofake.Ref{Value: cust.ID}, DocNumber: "H-77",
		PrivateNote: "Agreed on the phone",
		Line: []qbofake.Line{{DetailType: "SalesItemLineDetail", Amount: qbofake.N("250"),
			SalesItemLineDetail: &qbofake.SalesItemLineDetail{ItemRef: &qbofake.Ref{Value: w.qb.fake.DefaultItemID()}}}}})
	if err != nil {
		t.Fatal(err)
	}

	// A's deal lists it among its candidates once the organization is linked to the customer.
	d := invoicing.Deal{ID: deal.ID, OrgID: *deal.OrgID, PersonID: *deal.PersonID}
	if err := a.repo.SaveCustomerLink(ctx, invoicing.CustomerLink{Party: invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: *deal.OrgID},
		Currency: "USD", CustomerID: cust.ID, DisplayName: cust.DisplayName}); err != nil {
		t.Fatal(err)
	}
	cands, err := a.svc.AdoptCandidates(ctx, d)
	if err != nil || len(cands.Invoices) != 1 || cands.Invoices[0].DocNumber != "H-77" {
		t.Fatalf("A's candidates = %+v, %v; want H-77 alone", cands, err)
	}
	byNumber, err := a.svc.InvoicesByNumber(ctx, []string{"H-77"})
	if err != nil || len(byNumber) != 1 || byNumber[0].ID != made.ID {
		t.Fatalf("invoice H-77 by number = %+v, %v; want invoice %s", byNumber, err, made.ID)
	}

	w.clock.Advance(time.Minute)
	if err := a.svc.AdoptInvoices(ctx, deal.ID, []string{made.ID}); err != nil {
		t.Fatal(err)
	}
	after, _ := w.qb.fake.Invoice(made.ID)
	want := "Agreed on the phone\nDealbooks: pipedrive=" + strconv.FormatInt(w.pd.data.Me.CompanyID, 10) + " deal=" + strconv.FormatInt(deal.ID, 10)
	if after.PrivateNote != want {
		t.Errorf("PrivateNote in QuickBooks = %q, want %q", after.PrivateNote, want)
	}
	if after.SyncToken != "1" || after.TotalAmt.String() != "250" || len(after.Line) != len(made.Line) || after.DocNumber != "H-77" {
		t.Errorf("the sparse update changed more than the note: token %s, total %s, %d lines, number %s", after.SyncToken, after.TotalAmt, len(after.Line), after.DocNumber)
	}
	// Linking again writes nothing more to QuickBooks and adds no second note.
	writes := w.qb.writes()
	if err := a.svc.AdoptInvoices(ctx, deal.ID, []string{made.ID}); err != nil {
		t.Fatal(err)
	}
	if w.qb.writes() != writes {
		t.Errorf("linking again wrote to QuickBooks")
	}

	w.clock.Advance(15 * time.Minute)
	got, err := b.svc.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Found != 1 {
		t.Errorf("B's refresh found %d invoices, want the linked one", got.Found)
	}
	hist, err := b.svc.History(ctx, invoicing.HistoryQuery{DealID: deal.ID})
	if err != nil || len(hist.Items) != 1 || hist.Items[0].Invoice.DocNumber != "H-77" {
		t.Fatalf("B's history of deal %d = %+v, %v; want H-77", deal.ID, hist.Items, err)
	}
	notes := w.invoiceNotes(deal.ID, made.ID)
	if len(notes) != 1 || !strings.Contains(notes[0], "H-77") || !strings.Contains(notes[0], "Linked by "+w.pd.data.Me.Name+" in Dealbooks.") {
		t.Errorf("deal %d's notes for H-77 = %q, want one, naming %s who linked it", deal.ID, notes, w.pd.data.Me.Name)
	}
	if status, amount := w.dealFields(t, deal.ID, fields); status != "Open" || amount != "250 USD" {
		t.Errorf("the deal's fields say %q, %q; want Open, 250 USD", status, amount)
	}
}

package invoicing

import (
	"context"
	"errors"
	"testing"
)

// Pipedrive answers the first listing, then refuses the network: a deal opened before opens from its saved
// draft, a deal only listed opens from the cached deal without its products, and a deal never seen cannot
// be drafted.
func TestBuildDraftOfflineUsesWhatIsCached(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.crm.deals = []Deal{
		h.crm.bundles[dealID].Deal,
		{ID: 77, Title: "Only listed", Currency: "eur", Status: DealOpen, OrgID: 300, OrgName: "Globex BV"},
	}
	h.crm.deals[0].OrgName = "Acme Ltd"
	if _, err := h.svc.RefreshDeals(ctx); err != nil {
		t.Fatal(err)
	}
	online, err := h.svc.BuildDraft(ctx, dealID)
	if err != nil {
		t.Fatal(err)
	}
	online.Draft.Customer.Address = "2 Low St, Leeds" // the rep's edit
	if err := h.svc.SaveDraft(ctx, online.Draft); err != nil {
		t.Fatal(err)
	}
	if err := h.repo.SaveCustomerLink(ctx, CustomerLink{Party: PartyRef{EntityOrganization, 300}, Currency: "EUR", CustomerID: "58"}); err != nil {
		t.Fatal(err)
	}
	h.crm.setOffline(true)
	h.acct.setOffline(true)

	opened, err := h.svc.BuildDraft(ctx, dealID)
	if err != nil {
		t.Fatalf("a deal opened before, offline: %v", err)
	}
	if !opened.Offline || opened.ProductsUnknown || opened.Draft.Customer.Address != "2 Low St, Leeds" ||
		len(opened.Draft.Lines) != len(online.Draft.Lines) {
		t.Errorf("opened offline = %+v, want the saved draft with its %d lines", opened, len(online.Draft.Lines))
	}

	listed, err := h.svc.BuildDraft(ctx, 77)
	if err != nil {
		t.Fatalf("a deal only listed, offline: %v", err)
	}
	d := listed.Draft
	if !listed.Offline || !listed.ProductsUnknown || len(d.Lines) != 0 {
		t.Errorf("listed offline: offline %v, products unknown %v, %d lines; want no lines, said so",
			listed.Offline, listed.ProductsUnknown, len(d.Lines))
	}
	if d.DealID != 77 || d.Currency != "EUR" || d.Customer.To != "Globex BV" || d.Customer.LinkedID != "58" ||
		d.IssueDate != h.svc.today() || d.DueDate.IsZero() {
		t.Errorf("listed offline draft = %+v, want deal 77 in EUR for Globex BV linked to customer 58, dated today", d)
	}

	if _, err := h.svc.BuildDraft(ctx, 404); !errors.Is(err, ErrOffline) {
		t.Errorf("a deal never seen, offline = %v, want ErrOffline", err)
	}
}

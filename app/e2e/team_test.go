package e2e

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive/pipedrivefake"
)

// sharedCustomer is what the organization's "QuickBooks customer" field holds in Pipedrive ("" for nothing).
func sharedCustomer(t *testing.T, s *stack, orgID int64) string {
	t.Helper()
	o, ok := s.pd.Organization(orgID)
	if !ok {
		t.Fatalf("organization %d is gone", orgID)
	}
	v, _ := o.CustomFields[pipedrivefake.FieldCode(s.pd.OrganizationFields(), invoicing.SharedCustomerField)].(string)
	return v
}

// Issue 14: unlinking a customer clears it for the whole team, after a confirmation that says so.
func TestUnlinkAsksAndClearsTheCustomerForTheTeam(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	deal, org, _ := openDeal(t, s)
	// A teammate (here: the same Pipedrive company through the Service) invoiced the deal: the organization
	// carries its QuickBooks customer.
	built, err := s.svc.BuildDraft(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.svc.CreateInvoice(ctx, built.Draft)
	if err != nil {
		t.Fatal(err)
	}
	customer := res.Invoice.CustomerID
	if got := sharedCustomer(t, s, org.ID); got != customer {
		t.Fatalf("the organization's field holds %q, want the customer %s", got, customer)
	}

	s.open(t)
	deals := openTab(t, content(s), "Deals")
	test.Type(entry(t, deals, "Search deals by title, organization or person"), deal.Title)
	test.Tap(rows(list(t, deals))[0].tap)
	editor := openTab(t, content(s), "New invoice")

	test.Tap(button(t, editor, "Unlink"))
	want := "Every rep's Dealbooks will stop using this customer for " + org.Name + "."
	if !dialogShows(s, want) {
		t.Fatalf("the confirmation says %q, want %q", dialogTexts(s), want)
	}
	test.Tap(dialogButton(t, s, "Cancel"))
	if got := sharedCustomer(t, s, org.ID); got != customer {
		t.Errorf("after Cancel the organization's field holds %q, want %s still", got, customer)
	}

	test.Tap(button(t, editor, "Unlink"))
	test.Tap(dialogButton(t, s, "Unlink"))
	if got := sharedCustomer(t, s, org.ID); got != "" {
		t.Errorf("after Unlink the organization's field holds %q, want it cleared for everyone", got)
	}
	if shows(editor, "Linked to QuickBooks customer "+res.Invoice.CustomerName) {
		t.Error("the editor still shows the link")
	}
}

package invoicing

import (
	"context"
	"errors"
	"strings"
	"testing"

	"dealbooks/internal/testkit"
)

// built builds the seeded deal's draft as the editor and the CLI get it: without Another.
func built(t *testing.T, h *harness) BuiltDraft {
	t.Helper()
	b, err := h.svc.BuildDraft(context.Background(), dealID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSecondInvoiceNeedsAnother(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	b := built(t, h)
	if b.Invoiced.Any() || b.Draft.Another {
		t.Fatalf("a deal never invoiced: %+v, Another %v", b.Invoiced, b.Draft.Another)
	}
	first, err := h.svc.CreateInvoice(ctx, b.Draft)
	if err != nil {
		t.Fatal(err)
	}

	again := built(t, h)
	if len(again.Invoiced.Invoices) != 1 || again.Invoiced.Invoices[0].Invoice.ID != first.Invoice.ID {
		t.Fatalf("already invoiced = %+v, want the first invoice", again.Invoiced)
	}
	creates := h.acct.count("CreateInvoice")
	_, err = h.svc.CreateInvoice(ctx, again.Draft)
	var ai *AlreadyInvoicedError
	if !errors.As(err, &ai) || len(ai.Invoices) != 1 || h.acct.count("CreateInvoice") != creates {
		t.Fatalf("second create: err = %v, %d creates; want *AlreadyInvoicedError and no create", err, h.acct.count("CreateInvoice")-creates)
	}
	for _, want := range []string{first.Invoice.DocNumber, "Id " + first.Invoice.ID} {
		if !strings.Contains(err.Error(), want) || !strings.Contains(Explain(err), want) {
			t.Errorf("error %q / %q does not name %q", err, Explain(err), want)
		}
	}

	again.Draft.Another = true
	second, err := h.svc.CreateInvoice(ctx, again.Draft)
	if err != nil || second.Invoice.ID == "" || second.Invoice.ID == first.Invoice.ID {
		t.Fatalf("create another: %+v, %v; want a second invoice", second.Invoice, err)
	}
}

func TestVoidedOrDeletedInvoiceDoesNotCount(t *testing.T) {
	ctx := context.Background()
	for _, action := range []string{"void", "delete"} {
		t.Run(action, func(t *testing.T) {
			h := newHarness(t)
			res, err := h.svc.CreateInvoice(ctx, built(t, h).Draft)
			if err != nil {
				t.Fatal(err)
			}
			if action == "void" {
				_, err = h.svc.Void(ctx, res.Invoice.ID)
			} else {
				_, err = h.svc.Delete(ctx, res.Invoice.ID)
			}
			if err != nil {
				t.Fatal(err)
			}
			b := built(t, h)
			if b.Invoiced.Any() {
				t.Errorf("already invoiced after %s = %+v, want nothing", action, b.Invoiced.Invoices)
			}
			if _, err := h.svc.CreateInvoice(ctx, b.Draft); err != nil {
				t.Errorf("create after %s: %v", action, err)
			}
		})
	}
}

// A queued invoice counts too, with its computed total: pressing Create again for the same draft
// continues it, but a changed draft is a second invoice.
func TestQueuedInvoiceCountsAsInvoiced(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	d := built(t, h).Draft
	h.acct.setOffline(true)
	if res, err := h.svc.CreateInvoice(ctx, d); err != nil || !res.Queued {
		t.Fatalf("queue: %+v, %v", res, err)
	}
	if res, err := h.svc.CreateInvoice(ctx, d); err != nil || !res.Queued {
		t.Fatalf("Create again for the same draft: %+v, %v; want the queued entry continued", res, err)
	}
	d.Memo = "changed"
	var ai *AlreadyInvoicedError
	if _, err := h.svc.CreateInvoice(ctx, d); !errors.As(err, &ai) || !strings.Contains(err.Error(), "queued") {
		t.Errorf("changed draft: err = %v, want *AlreadyInvoicedError naming the queued invoice", err)
	}
}

// What is still to bill is the deal's value less the invoices that stand, in the deal's currency.
func TestAlreadyInvoicedAmounts(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	deal := h.crm.bundles[dealID].Deal
	deal.Value = testkit.Dec("2000")
	b := h.crm.bundles[dealID]
	b.Deal = deal
	h.crm.bundles[dealID] = b
	res, err := h.svc.CreateInvoice(ctx, built(t, h).Draft)
	if err != nil {
		t.Fatal(err)
	}
	a := built(t, h).Invoiced
	// The deal's products: 10 × 100 less 10 % and 1 × 50, less 5.00: 945.00 (this package's fake QuickBooks
	// charges no tax); the invoice counts with the total QuickBooks reported.
	if !res.Invoice.Total.Equal(testkit.Dec("945")) {
		t.Fatalf("created total = %s, the deal's products give 945.00", res.Invoice.Total)
	}
	if a.DealValue.Currency != "GBP" || !a.DealValue.Amount.Equal(testkit.Dec("2000")) ||
		!a.Invoiced.Equal(testkit.Dec("945")) || !a.ToBill.Equal(testkit.Dec("1055")) {
		t.Errorf("already invoiced = value %s, invoiced %s, to bill %s; want 2000 GBP, 945, 1055", a.DealValue, a.Invoiced, a.ToBill)
	}
}

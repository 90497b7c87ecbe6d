package invoicing

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Voiding an invoice that is voided already says so, and asks QuickBooks
// nothing: there is nothing to correct.
func TestVoidingAVoidedInvoiceSaysItIsVoided(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	inv := h.created(t)
	if _, err := h.svc.Void(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	writes := h.acct.writes()
	_, err := h.svc.Void(ctx, inv.ID)
	if !errors.Is(err, ErrAlreadyVoided) || h.acct.writes() != writes {
		t.Errorf("voiding again = %v with %d writes; want ErrAlreadyVoided and none", err, h.acct.writes()-writes)
	}
	if got := Explain(err); !strings.Contains(got, "already voided") || strings.Contains(got, "correct") {
		t.Errorf("Explain = %q, want it to say the invoice is already voided", got)
	}
}

// Sending with no address given, to an invoice without a billing address,
// says the address is missing rather than that "" is not an address.
func TestSendWithoutAnyAddressSaysItIsMissing(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	d := h.draft(t)
	d.Customer.Email = ""
	res, err := h.svc.CreateInvoice(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.svc.Send(ctx, res.Invoice.ID, " ")
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Issues[0].Code != EmailMissing || strings.Contains(ve.Issues[0].Message, `""`) {
		t.Errorf("Send = %v, want the address reported missing", err)
	}
}

// A deal or invoice id that does not exist says which, and where to look.
func TestMissingDealOrInvoiceSaysWhichAndWhereToLook(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	_, err := h.svc.BuildDraft(ctx, 999)
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Kind != "deal" || nf.ID != "999" || !errors.Is(err, ErrNotFound) {
		t.Errorf("BuildDraft(999) = %v, want deal 999 not found", err)
	}
	if got := Explain(err); !strings.Contains(got, "no deal 999") || strings.Contains(got, "refresh") {
		t.Errorf("Explain = %q, want it to name the missing deal", got)
	}
	_, err = h.svc.Void(ctx, "4242")
	if !errors.As(err, &nf) || nf.Kind != "invoice" || nf.ID != "4242" {
		t.Errorf("Void(4242) = %v, want invoice 4242 not found", err)
	}
	if got := Explain(err); !strings.Contains(got, "no invoice with Id 4242") {
		t.Errorf("Explain = %q, want it to name the missing invoice", got)
	}
}

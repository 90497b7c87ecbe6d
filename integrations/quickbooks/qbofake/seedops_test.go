package qbofake

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/internal/testkit"
)

// The seeding helpers leave the fake as the API's send, void and delete operations do.
func TestSendVoidDeleteForSeeding(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Acme")
	add := func() *Invoice {
		inv, err := h.fake.AddInvoice(Invoice{CustomerRef: &Ref{Value: cust}, Line: []Line{{DetailType: "SalesItemLineDetail", Amount: N("100")}}})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	since := h.clock.Now().Format(time.RFC3339)
	h.clock.Advance(time.Second)

	sent, err := h.fake.SendInvoice(add().ID, "ap@acme.example")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "sent status", sent.EmailStatus, "EmailSent")
	testkit.Eq(t, "sent to", sent.BillEmail.Address, "ap@acme.example")
	testkit.Eq(t, "sent sync token", sent.SyncToken, "1")

	voided, err := h.fake.VoidInvoice(sent.ID)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "voided total", voided.TotalAmt.IsZero() && voided.Balance.IsZero(), true)
	testkit.Eq(t, "voided memo", voided.PrivateNote, "Voided")
	testkit.Eq(t, "voided sync token", voided.SyncToken, "2")

	paid := add()
	if _, err := h.fake.RecordPayment(paid.ID, decimal.NewFromInt(10)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.VoidInvoice(paid.ID); err == nil {
		t.Error("an invoice with a payment was voided")
	}
	if err := h.fake.DeleteInvoice(paid.ID); err == nil {
		t.Error("an invoice with a payment was deleted")
	}

	gone := add()
	if err := h.fake.DeleteInvoice(gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.fake.Invoice(gone.ID); ok {
		t.Error("the deleted invoice is still there")
	}
	if err := h.fake.DeleteInvoice(gone.ID); err == nil {
		t.Error("an invoice was deleted twice")
	}
	_, m := h.api(http.MethodGet, "/cdc", url.Values{"entities": {"Invoice"}, "changedSince": {since}}, "")
	testkit.Eq(t, "deleted in CDC", get(m, "CDCResponse.0.QueryResponse.0.Invoice.2.Id"), any(gone.ID))
	testkit.Eq(t, "deleted status", get(m, "CDCResponse.0.QueryResponse.0.Invoice.2.status"), any("Deleted"))
}

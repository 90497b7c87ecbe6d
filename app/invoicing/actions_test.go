package invoicing

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"dealbooks/internal/testkit"
)

func TestVoid(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	inv := h.created(t)
	got, err := h.svc.Void(ctx, inv.ID)
	if err != nil || got.Status(h.svc.today()).State != Voided {
		t.Fatalf("void = %+v, %v", got, err)
	}
	if st := cachedStatus(t, h, inv.ID); st.State != Voided {
		t.Errorf("cache shows %v after void", st)
	}
}

func TestActionOnChangedInvoiceShowsChangeThenSucceeds(t *testing.T) {
	actions := map[string]func(*Service, context.Context, string) (Invoice, error){
		"void":   (*Service).Void,
		"delete": (*Service).Delete,
	}
	for name, act := range actions {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			ctx := context.Background()
			inv := h.created(t)
			h.acct.editInvoice(inv.ID, func(i *Invoice) { i.PrivateNote = "edited in QuickBooks" })

			_, err := act(h.svc, ctx, inv.ID)
			var ce *ChangedError
			if !errors.As(err, &ce) || !errors.Is(err, ErrStale) || ce.After.PrivateNote != "edited in QuickBooks" || ce.Before.SyncToken != "0" {
				t.Fatalf("err = %v, want a ChangedError showing the edit", err)
			}
			if _, err := act(h.svc, ctx, inv.ID); err != nil {
				t.Errorf("asked again: %v", err)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	ctx := context.Background()
	t.Run("deleted", func(t *testing.T) {
		h := newHarness(t)
		inv := h.created(t)
		got, err := h.svc.Delete(ctx, inv.ID)
		if err != nil || !got.Deleted || cachedStatus(t, h, inv.ID).State != Deleted {
			t.Errorf("delete = %+v, %v", got, err)
		}
	})
	t.Run("already deleted in QuickBooks", func(t *testing.T) {
		h := newHarness(t)
		inv := h.created(t)
		h.acct.editInvoice(inv.ID, func(i *Invoice) { i.Deleted = true })
		if _, err := h.svc.Delete(ctx, inv.ID); err != nil && !errors.Is(err, ErrStale) {
			t.Errorf("err = %v", err)
		}
		if st := cachedStatus(t, h, inv.ID); st.State != Deleted {
			t.Errorf("cache shows %v", st)
		}
	})
	t.Run("payments known from the cache", func(t *testing.T) {
		h := newHarness(t)
		inv := refreshed(t, h, 1)[0]
		h.acct.pay(inv.ID, testkit.Dec("10"), true)
		if _, err := h.svc.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		deletes := h.acct.count("DeleteInvoice")
		_, err := h.svc.Delete(ctx, inv.ID)
		if !errors.Is(err, ErrPaymentsLinked) || h.acct.count("DeleteInvoice") != deletes {
			t.Errorf("err = %v, want ErrPaymentsLinked without asking QuickBooks", err)
		}
		if !strings.Contains(Explain(err), "payments") {
			t.Errorf("Explain = %q", Explain(err))
		}
	})
	t.Run("a deposit is not a payment", func(t *testing.T) {
		h := newHarness(t)
		inv := refreshed(t, h, 1)[0]
		// Balance = TotalAmt − Deposit, no linked Payment (QuickBooks' TotalAmt 52, Deposit 12, Balance 40).
		h.acct.editInvoice(inv.ID, func(i *Invoice) { i.Deposit = testkit.Dec("12"); i.Balance = i.Total.Sub(testkit.Dec("12")) })
		if _, err := h.svc.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if st := cachedStatus(t, h, inv.ID); st.State != Open {
			t.Errorf("status with only a deposit = %v, want Open", st)
		}
		got, err := h.svc.Delete(ctx, inv.ID)
		if err != nil || !got.Deleted {
			t.Errorf("Delete = %+v, %v; want the invoice deleted", got, err)
		}
	})
	t.Run("payments QuickBooks knows of", func(t *testing.T) {
		h := newHarness(t)
		inv := h.created(t)
		h.acct.mu.Lock()
		h.acct.invoiceByID(inv.ID).Balance = testkit.Dec("1") // paid, SyncToken unchanged
		h.acct.mu.Unlock()
		_, err := h.svc.Delete(ctx, inv.ID)
		var pe *ProviderError
		if !errors.Is(err, ErrPaymentsLinked) || !errors.As(err, &pe) {
			t.Errorf("err = %v, want ErrPaymentsLinked with QuickBooks' fault", err)
		}
	})
}

func TestSend(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	inv := h.created(t)
	tests := []struct {
		name, to, want string
		invalid        bool
	}{
		{name: "to the mapped address", to: "", want: "jane@acme.test"},
		{name: "to an edited address", to: " billing@acme.test ", want: "billing@acme.test"},
		{name: "not an address", to: "billing at acme", invalid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.svc.Send(ctx, inv.ID, tt.to)
			var ve *ValidationError
			if tt.invalid {
				if !errors.As(err, &ve) || ve.Issues[0].Code != EmailInvalid {
					t.Errorf("err = %v, want an invalid e-mail", err)
				}
				return
			}
			if err != nil || got.BillEmail != tt.want || !cachedStatus(t, h, inv.ID).Sent {
				t.Errorf("sent %+v, %v; want to %s and the status Sent", got, err, tt.want)
			}
		})
	}
}

func TestPDFCachedForOffline(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	inv := h.created(t)
	path, err := h.svc.PDF(ctx, inv.ID)
	want := "/cache/Invoice 1001 Acme Ltd.pdf"
	if err != nil || path != want || !strings.HasPrefix(string(h.files.files["Invoice 1001 Acme Ltd.pdf"]), "%PDF") {
		t.Fatalf("PDF at %q (%v), want %q", path, err, want)
	}
	h.acct.setOffline(true)
	if path, err = h.svc.PDF(ctx, inv.ID); err != nil || path != want {
		t.Errorf("offline PDF at %q (%v), want the cached copy", path, err)
	}
	second := h.repo.invoices[inv.ID]
	second.Invoice.ID, second.Invoice.DocNumber = "999", "2000"
	h.repo.UpsertInvoices(ctx, []CachedInvoice{second})
	if _, err := h.svc.PDF(ctx, "999"); !errors.Is(err, ErrOffline) {
		t.Errorf("offline PDF never downloaded: err = %v, want ErrOffline", err)
	}
	if got := h.svc.InvoiceURL(inv.ID); got != h.acct.InvoiceURL(inv.ID) {
		t.Errorf("URL = %q", got)
	}
}

func TestPDFFileName(t *testing.T) {
	tests := []struct {
		inv  Invoice
		want string
	}{
		{Invoice{DocNumber: "1042", CustomerName: "Acme Ltd"}, "Invoice 1042 Acme Ltd.pdf"},
		{Invoice{ID: "77", CustomerName: "Beta"}, "Invoice 77 Beta.pdf"},
		{Invoice{DocNumber: "PD/7", CustomerName: `A:B*C?"<>|\ Ünïcode  & Co.`}, "Invoice PD_7 A_B_C______ Ünïcode & Co.pdf"},
		{Invoice{DocNumber: "1", CustomerName: "../../etc/passwd"}, "Invoice 1 .._.._etc_passwd.pdf"},
		{Invoice{DocNumber: "1", CustomerName: strings.Repeat("x", 200)}, "Invoice 1 " + strings.Repeat("x", 90) + ".pdf"},
	}
	for _, tt := range tests {
		if got := PDFFileName(tt.inv); got != tt.want {
			t.Errorf("PDFFileName(%q, %q) = %q, want %q", tt.inv.DocNumber, tt.inv.CustomerName, got, tt.want)
		}
	}
}

func FuzzPDFFileName(f *testing.F) {
	f.Add("1042", "Acme Ltd")
	f.Add("PD/7", `..\..\x:y`)
	f.Fuzz(func(t *testing.T, number, customer string) {
		name := PDFFileName(Invoice{ID: "1", DocNumber: number, CustomerName: customer})
		if !filepath.IsLocal(name) || filepath.Base(name) != name || strings.ContainsAny(name, `/\:*?"<>|`) || !strings.HasSuffix(name, ".pdf") {
			t.Errorf("unsafe file name %q", name)
		}
	})
}

func TestVoidDeletedInvoiceShowsDeletion(t *testing.T) {
	h := newHarness(t)
	inv := h.created(t)
	h.acct.editInvoice(inv.ID, func(i *Invoice) { i.Deleted = true })
	_, err := h.svc.Void(context.Background(), inv.ID)
	var ce *ChangedError
	if !errors.As(err, &ce) || !ce.After.Deleted || cachedStatus(t, h, inv.ID).State != Deleted {
		t.Errorf("err = %v, want a ChangedError showing the invoice deleted", err)
	}
}

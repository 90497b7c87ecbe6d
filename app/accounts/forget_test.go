package accounts

import (
	"context"
	"errors"
	"testing"
	"time"

	"dealbooks/app/accounts/accountstest"
	"dealbooks/app/invoicing"
	"dealbooks/app/store"
)

// Disconnecting without keeping the history deletes the pair's offline data from the database, as
// main wires it; while an invoice is still queued the data stays, the account is disconnected all the
// same, and the error says why (so the rep can reconnect and let it go out).
func TestDisconnectForgetsTheHistoryInTheStore(t *testing.T) {
	for _, queued := range []bool{false, true} {
		name := "nothing queued"
		if queued {
			name = "an invoice queued"
		}
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			p := f.profile()
			p.opts.ForgetHistory = accountstest.StoreForgetHistory(f.db)
			ctx := context.Background()
			pdc, qbc, repo := f.connectWithStore(t, p)
			if err := repo.SavePreferences(ctx, invoicing.DefaultPreferences()); err != nil {
				t.Fatal(err)
			}
			if queued {
				now := time.Now()
				_, err := repo.Enqueue(ctx, invoicing.OutboxEntry{DealID: 5, State: invoicing.OutboxQueued,
					CustomerRequestID: "c-1", InvoiceRequestID: "i-1", CreatedAt: now, UpdatedAt: now})
				if err != nil {
					t.Fatal(err)
				}
			}

			err := p.Disconnect(ctx, invoicing.QuickBooks, false)
			var unsent *store.UnsentError
			var ce *invoicing.ConnectError
			if errors.As(err, &unsent) != queued || (!queued && err != nil) {
				t.Fatalf("Disconnect = %v", err)
			}
			if queued && (!errors.As(err, &ce) || ce.Reason != invoicing.HistoryKept) {
				t.Errorf("Disconnect with an invoice queued = %v, want a ConnectError saying the history was kept", err)
			}
			if f.setting(t, KeyQuickBooksCompany) != "" || f.secrets.has(t, secretQuickBooksToken) {
				t.Error("QuickBooks is still connected")
			}
			again, err := f.db.Repository(ctx, pdc.AccountID, qbc.AccountID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = again.Preferences(ctx)
			if kept := err == nil; kept != queued {
				t.Errorf("history kept = %v (err %v), want %v", kept, err, queued)
			}
		})
	}
}

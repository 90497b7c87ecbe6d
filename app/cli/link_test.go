package cli

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/quickbooks/qbofake"
)

func TestInvoiceLinkAdoptsAnInvoiceMadeInQuickBooks(t *testing.T) {
	e := newDemoEnv(t)
	qb := e.demo.QuickBooks
	cust := qb.Customers()[0]
	made, err := qb.AddInvoice(qbofake.Invoice{CustomerRef: &qbofake.Ref{Value: cust.ID}, DocNumber: "HAND-1", PrivateNote: "by hand",
		CurrencyRef: cust.CurrencyRef,
		Line: []qbofake.Line{{DetailType: "SalesItemLineDetail", Amount: qbofake.N("40"),
			SalesItemLineDetail: &qbofake.SalesItemLineDetail{ItemRef: &qbofake.Ref{Value: qb.DefaultItemID()}}}}})
	if err != nil {
		t.Fatal(err)
	}
	deal := e.demo.Seeded[0].DealID
	dealID := strconv.FormatInt(deal, 10)
	runIt := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), args, Env{Stdout: &out, Stderr: &errOut,
			OpenService: func(context.Context) (*invoicing.Service, func() error, error) {
				return e.svc, func() error { return nil }, nil
			}})
		return code, out.String(), errOut.String()
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"no deal", []string{"invoice", "link", "HAND-1"}, ExitUsage, "--deal ID is required"},
		{"no number", []string{"invoice", "link", "--deal", dealID}, ExitUsage, "name at least one invoice number"},
		{"unknown number", []string{"invoice", "link", "--deal", dealID, "HAND-1", "NOPE-9"}, ExitError, "QuickBooks has no invoice numbered NOPE-9"},
	} {
		code, _, stderr := runIt(tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.says) {
			t.Errorf("%s: exit %d, %q; want exit %d saying %q", tc.name, code, stderr, tc.code, tc.says)
		}
	}
	if inv, _ := qb.Invoice(made.ID); inv.PrivateNote != "by hand" {
		t.Fatalf("a refused link changed the invoice's note to %q", inv.PrivateNote)
	}

	out := e.run(t, "invoice", "link", "HAND-1", "--deal", dealID)
	if !strings.HasPrefix(out, "linked invoice HAND-1 (Id "+made.ID+", "+cust.DisplayName+", 40.00") || !strings.HasSuffix(out, ") to deal "+dealID+"\n") {
		t.Errorf("invoice link printed %q", out)
	}
	inv, _ := qb.Invoice(made.ID)
	if !strings.HasPrefix(inv.PrivateNote, "by hand\nDealbooks: pipedrive=") || !strings.HasSuffix(inv.PrivateNote, " deal="+dealID) {
		t.Errorf("the invoice's private note is %q, want the text kept and the marker for deal %s", inv.PrivateNote, dealID)
	}
	if csv := e.run(t, "history", "--deal", dealID, "--csv"); !strings.Contains(csv, "HAND-1") {
		t.Errorf("history --deal %s = %q, want HAND-1", dealID, csv)
	}
}
